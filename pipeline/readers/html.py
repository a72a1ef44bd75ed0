"""HTML pages (.html, .htm): the visible text, one line a block.

Government sites publish reports as pages whose source breaks lines wherever the editor
did, and whose markup nests blocks ten deep. What a reader sees is what counts: source
line breaks are spaces (or nothing between two Chinese characters, as browsers render
them), block elements end lines, `<br>` ends a line, table cells are joined by a tab
as in .docx rows, and scripts, styles, the head and comments are not text at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import InputError
from ..text.normalize import normalize_newlines
from .encoding import SUPERSETS, bom_encoding, codec_name, decode, decode_as

DROP = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed", "svg", "canvas"})
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "tfoot", "thead", "tr", "ul",
})
CELLS = frozenset({"td", "th"})
# Declared charsets not taken at their word (names as codecs.lookup gives them).
WIDE = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
WESTERN = frozenset({"ascii", "iso8859-1", "cp1252"})

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
# A line break in the source, kept apart from spaces until lines are assembled, because
# whether it becomes a space depends on the characters on both sides.
SOURCE_BREAK = "\x00"
_SPACE_RUN = re.compile("[ \xa0\x00]+")
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")


def read(data: bytes, source: str, *, encoding: str | None = None) -> tuple[str, str]:
    """The page's visible text and the codec its bytes were decoded with."""
    markup, used = decode_html(data, source, encoding=encoding)
    return visible_text(markup), used


def decode_html(data: bytes, source: str, *, encoding: str | None = None) -> tuple[str, str]:
    """Decode by: `encoding` if given, a byte-order mark, the page's meta charset, detection."""
    if encoding or bom_encoding(data):
        return decode(data, source, encoding=encoding)
    declared = meta_charset(data)
    if declared in WIDE:
        # The HTML standard: a meta tag cannot declare UTF-16 (it could not have been
        # read to find the tag), so such pages are UTF-8.
        declared = "utf-8"
    if declared is None or declared in WESTERN:
        # A Chinese page that declares Latin-1 (a CMS default) decodes as Latin-1
        # without an error and every character wrong: trust the bytes first.
        try:
            return decode(data, source)
        except InputError:
            if declared is None:
                raise
            return decode_as(data, source, declared), declared
    name = SUPERSETS.get(declared, declared)
    # Pages re-saved as UTF-8 keep their old `charset=gb2312`; bytes that are valid
    # UTF-8 and not plain ASCII are UTF-8 whatever the meta tag says.
    if name != "utf-8" and not data.isascii() and _is_utf8(data):
        return data.decode("utf-8"), "utf-8"
    try:
        return decode_as(data, source, name), name
    except InputError:
        return decode(data, source)  # the meta tag is wrong: detection says what else was tried


def meta_charset(data: bytes) -> str | None:
    """The codec named by `<meta charset>` or `http-equiv` in the first 4 KiB, if Python knows it."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return codec_name("", match.group(1).decode("ascii"))
    except InputError:
        return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def visible_text(markup: str) -> str:
    """What a browser shows, as lines: blocks and `<br>` end lines, cells are tab-joined."""
    from bs4 import BeautifulSoup

    # Line separators (U+2028, \f) are source line breaks like \n, to be collapsed with them.
    soup = BeautifulSoup(normalize_newlines(markup).replace(SOURCE_BREAK, ""), "html.parser")
    lines = (_clean_line(line) for line in "".join(_pieces(soup)).split("\n"))
    return "\n".join(line for line in lines if line)


def _pieces(root) -> Iterator[str]:
    """Text and line/cell breaks in document order, walked with a stack: scraped pages
    with thousands of unclosed tags nest deeper than Python's recursion limit."""
    from bs4 import NavigableString
    from bs4.element import CData

    pre_depth = 0
    # Inside a cell, blocks and <br> are spaces: a table row stays one line, as in .docx,
    # even when the cell holds paragraphs (Word's HTML export puts a <p> in every cell).
    cell_depth = 0
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            name = node.name
            if name == "pre":
                pre_depth -= 1
            if name in CELLS:
                cell_depth -= 1
                yield "\t" if cell_depth == 0 else " "
            else:
                yield " " if cell_depth else "\n"
            continue
        if isinstance(node, NavigableString):
            # Comments, doctypes and processing instructions are NavigableStrings too.
            if type(node) in (NavigableString, CData):
                yield str(node) if pre_depth and not cell_depth else _collapse(str(node))
            continue
        name = node.name
        if name in DROP:
            continue
        if name == "br":
            yield " " if cell_depth else "\n"
            continue
        if name in BLOCKS:
            yield " " if cell_depth else "\n"
            if name == "pre":
                pre_depth += 1
        elif name in CELLS:
            cell_depth += 1
        if name in BLOCKS or name in CELLS:
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))


def _collapse(text: str) -> str:
    """HTML whitespace rules: a run is one space, or a SOURCE_BREAK if it holds a line break."""
    return _HTML_SPACE.sub(lambda m: SOURCE_BREAK if "\n" in m.group() or "\r" in m.group() else " ", text)


def _clean_line(line: str) -> str:
    line = _SPACE_RUN.sub(lambda m: _join(line, m), line)
    # Spaces around a cell break are layout, and trailing tabs come from the last cell.
    line = re.sub(r" *\t *", "\t", line)
    # Only trailing tabs go (the last cell's break); a leading tab is an empty first cell.
    return line.strip(" ").rstrip("\t")


def _join(line: str, match: re.Match[str]) -> str:
    """A source line break between two Chinese characters disappears; anything else is one space."""
    run = match.group()
    if set(run) == {SOURCE_BREAK}:
        before = line[match.start() - 1] if match.start() else ""
        after = line[match.end()] if match.end() < len(line) else ""
        if before and after and _CJK.match(before) and _CJK.match(after):
            return ""
    return " "

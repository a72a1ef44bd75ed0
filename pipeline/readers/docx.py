"""Word .docx: the body's paragraphs and tables, in the order they stand in the document.

python-docx opens the package (it finds the main part through the relationships), but
its `paragraphs` and `tables` lists lose the order between them, its `cell` lists repeat
merged cells, and its paragraph text skips tracked insertions. So the body XML is walked
here directly: one line a paragraph, one line a table row with its cells joined by a tab.
Headers, footers and footnotes are page furniture and are left out.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from ..errors import InputError
from .base import SNIFFED_AS, sniff

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC = _w("p"), _w("tbl"), _w("tr"), _w("tc")
SDT, SDT_CONTENT, CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")
TXBX_CONTENT = _w("txbxContent")
# Containers whose children are blocks (or rows, or cells) as if they stood in their place.
TRANSPARENT = frozenset({SDT, SDT_CONTENT, CUSTOM_XML, _w("ins"), _w("moveTo"), _w("smartTag")})
# Subtrees whose text is not the document's text: deleted revisions, the fallback copy
# of a drawing (the same textbox again), phonetic ruby text, field instructions.
SKIP = frozenset({_w("del"), _w("moveFrom"), f"{{{MC}}}Fallback", _w("rt"), _w("instrText"), _w("delText")})
# Run content → text. A page break is a line break, as in PDFs.
RUN_TEXT = {_w("tab"): "\t", _w("br"): "\n", _w("cr"): "\n", _w("noBreakHyphen"): "-"}


def read(data: bytes, source: str, *, encoding: str | None = None) -> tuple[str, None]:
    """The document's text; `encoding` does not apply (XML declares its own)."""
    body = _open_body(data, source)
    return "\n".join(_block_lines(body)), None


def _open_body(data: bytes, source: str):
    kind = sniff(data)
    if kind == "ole":
        raise InputError(source, "an old binary Word .doc (or WPS) file with a .docx name",
                         fix="convert it to .docx (e.g. soffice --headless --convert-to docx FILE)")
    if kind != "zip":
        found = f"it looks like {SNIFFED_AS[kind]}" if kind else "it is not a zip archive"
        raise InputError(source, f"not a Word .docx file: {found}", fix="re-save it from Word or WPS as .docx, or give it its real suffix")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    # python-docx lets zipfile, lxml and its own package errors through unwrapped;
    # whichever it is, the file is damaged and the message says which.
    except Exception as err:
        raise InputError(source, f"corrupt or not a Word document ({type(err).__name__}: {err})",
                         fix="open it in Word or WPS and save it again as .docx") from None
    return document.element.body


def _block_lines(container) -> Iterator[str]:
    """One line a paragraph, one line a table row, recursing into content controls."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == P:
            boxes: list = []
            yield _paragraph_text(child, boxes)
            # Textbox text follows the paragraph it is anchored in: close to where a
            # reader sees it, and never spliced into the middle of a sentence.
            for box in boxes:
                yield from _block_lines(box)
        elif tag == TBL:
            yield from _table_lines(child)
        elif tag in TRANSPARENT:
            yield from _block_lines(child)


def _paragraph_text(p, boxes: list) -> str:
    parts: list[str] = []
    stack = [iter(p.iterchildren())]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        tag = node.tag
        if not isinstance(tag, str) or tag in SKIP:  # comments and processing instructions have no string tag
            continue
        if tag == TXBX_CONTENT:
            boxes.append(node)
        elif tag == _w("t"):
            parts.append(node.text or "")
        elif tag in RUN_TEXT:
            parts.append(RUN_TEXT[tag])
        else:
            stack.append(iter(node.iterchildren()))
    return "".join(parts)


def _table_lines(tbl) -> Iterator[str]:
    for row in _children(tbl, TR):
        cells = [_cell_text(tc) for tc in _children(row, TC) if not _is_horizontal_continuation(tc)]
        if any(cells):
            yield "\t".join(cells)


def _children(parent, tag: str) -> Iterator:
    """Children with `tag`, looking through content controls and custom XML wrappers."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in TRANSPARENT:
            yield from _children(child, tag)


def _cell_text(tc) -> str:
    """A cell's text on one line; empty for the lower part of a vertically merged cell,
    which python-docx would fill with the top cell's text again."""
    if _merge_value(tc, "vMerge") == "continue":
        return ""
    lines = (" ".join(line.replace("\t", " ").split("\n")).strip() for line in _block_lines(tc))
    return " ".join(line for line in lines if line)


def _is_horizontal_continuation(tc) -> bool:
    # The pre-2007 way to merge across (w:hMerge); since then a merged cell is one w:tc
    # with w:gridSpan and needs nothing.
    return _merge_value(tc, "hMerge") == "continue"


def _merge_value(tc, name: str) -> str | None:
    props = tc.find(_w("tcPr"))
    merge = props.find(_w(name)) if props is not None else None
    if merge is None:
        return None
    # An absent w:val means "continue" (ECMA-376 17.4.85).
    return merge.get(_w("val"), "continue")

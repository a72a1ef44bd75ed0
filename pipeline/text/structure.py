"""Layout recovery and sentence segmentation as pure functions over a report's text.

Everything here works on character offsets into the text as decoded (newlines
normalised), so that nothing is ever lost or shifted: page furniture is reported as
spans, not removed; wrapped lines and page breaks are joined by deciding which line
breaks are *not* paragraph ends. The spaCy components in `pipeline/components/`
turn these offsets into spans.

The rules follow ANNOTATION.md section 1: a segment is one sentence or one heading
line; sentences end after 。！？；!?; (with closing quotes/brackets), never inside
《…》 or quotes; line breaks inside a paragraph are not boundaries.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

TERMINATORS = frozenset("。！？；!?;")
CLOSERS = frozenset("”’」』）)\"'》")
# Pairs inside which a terminator never ends a sentence (ANNOTATION.md §1).
PAIRS = {"《": "》", "“": "”", "「": "」", "『": "』", "‘": "’", "〈": "〉"}
# After a quoted sentence, these mean the outer sentence goes on (“好！”，群众说).
CONTINUATIONS = frozenset("，,、：:")
# A line ending in one of these ends its paragraph even without a terminator.
PARAGRAPH_FINAL = frozenset("：:")

_CN = "一二三四五六七八九十百零〇两"
# Heading marker styles, outermost first. The rank orders them for section paths;
# the style name is what a heading's level is reported as.
HEADING_STYLES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("part", 1, re.compile(rf"^第[{_CN}\d]+(部分|章|篇)")),
    ("cn", 2, re.compile(rf"^[{_CN}]+\s*[、．.]")),
    ("cn_paren", 3, re.compile(rf"^[（(]\s*[{_CN}]+\s*[）)]")),
    ("arabic", 4, re.compile(r"^\d{1,2}\s*(?:[、．]|\.(?!\d))")),
    ("arabic_paren", 5, re.compile(r"^[（(]\s*\d{1,2}\s*[）)]|^\d{1,2}\s*[）)]")),
    ("circled", 6, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")),
    ("appendix", 1, re.compile(r"^附\s*件\s*[\d一二三四五六七八九十]*\s*[：:]?\s*$")),
)
STYLE_RANK = {name: rank for name, rank, _ in HEADING_STYLES}
# Enumerations that start a new paragraph even after a line that ends on a comma.
ENUMERATION_START = re.compile(rf"^(?:[{_CN}]是|第[{_CN}]是|首先|其次|再次|最后|另外)")
# Title phrases that keep a heading a heading when a stray 。 ends it.
TITLE_NOUN_END = re.compile(
    r"(情况|概况|分析|目标|任务|措施|建议|结论|问题|成效|结果|说明|依据|内容|管理|评价|职能|职责|"
    r"原因|方向|计划|安排|思路|举措|做法|经验|亮点|指标|得分|基本信息|背景|意见|要求|工作)$"
)
TITLE_KEYWORDS = re.compile(r"(报告|总结|计划|自评|评价|方案|说明|规划|要点)")
DATE_LINE = re.compile(r"^\s*[\d〇零一二三四五六七八九十○Ｏ０-９]{2,4}\s*年\s*[\d一二三四五六七八九十０-９]{1,2}\s*月(\s*[\d一二三四五六七八九十０-９]{1,3}\s*日)?\s*$")
YEAR_LINE = re.compile(r"^[（(]\s*\d{4}\s*年度?\s*[）)]$")
FURNITURE_PATTERNS = (
    re.compile(r"^[-—–－~～\s]*\d{1,4}[-—–－~～\s]*$"),
    re.compile(r"^第\s*\d{1,4}\s*页(\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^\d{1,4}\s*[/／]\s*\d{1,4}$"),
    re.compile(r"^(page|Page|PAGE)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?$"),
)
HEADER_PUNCTUATION = frozenset("，。；：、,;:！？!?")  # a running header is a bare title
MAX_HEADING_WIDTH = 60
MAX_TITLE_WIDTH = 50
MAX_STRAY_STOP_TITLE_WIDTH = 40
MAX_RUNNING_HEADER_WIDTH = 40
WRAP_SLACK = 2.0
MIN_WRAP_WIDTH = 20  # narrower fixed-width text is a list of headings, not a wrap


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str  # the line with surrounding whitespace stripped; start/end bound it

    @cached_property  # asked several times per line by the layout rules
    def width(self) -> float:
        return visual_width(self.text)


@dataclass(frozen=True)
class Heading:
    start: int
    end: int
    style: str  # a HEADING_STYLES name, or "title"
    rank: int  # 0 for the title block; smaller is outer


@dataclass
class Layout:
    text: str
    furniture: list[tuple[int, int]] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    byline: list[tuple[int, int]] = field(default_factory=list)  # title-block lines that are not headings


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    is_heading: bool
    section: tuple[int, ...]  # indexes into Layout.headings, outermost first
    heading_index: int | None = None


_NARROW = re.compile("[\x00-\u2e7f]")  # before CJK: half a cell; the rest a full one


def visual_width(text: str) -> float:
    """Width in full-width cells: what a fixed-width line wrap counts."""
    return len(text) - len(_NARROW.findall(text)) * 0.5


def split_lines(text: str) -> list[Line]:
    """Every non-blank line, stripped, with offsets into `text`."""
    lines = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


def is_page_number(line: str) -> bool:
    return any(p.match(line) for p in FURNITURE_PATTERNS)


def furniture_lines(lines: list[Line]) -> set[int]:
    """Indexes of page numbers and running headers (a short line repeated on 3+ pages;
    its first occurrence stays, as it is usually the real title)."""
    found = {i for i, line in enumerate(lines) if is_page_number(line.text)}
    counts = Counter(line.text for line in lines if line.width <= MAX_RUNNING_HEADER_WIDTH)
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if counts.get(line.text, 0) >= 3 and not any(ch in HEADER_PUNCTUATION for ch in line.text):
            if line.text in seen:
                found.add(i)
            seen.add(line.text)
    return found


def ends_sentence(text: str) -> bool:
    body = text.rstrip("".join(CLOSERS) + " \t")
    return bool(body) and body[-1] in TERMINATORS


def wrap_width(lines: list[Line]) -> float | None:
    """The fixed width at which the text was wrapped, if it was (PDF extraction).

    A wrapped text has many lines of (nearly) the same width: the most common width
    among the lines that do not end a sentence. None for texts with one paragraph a line."""
    widths = [
        round(line.width)
        for line in lines
        if line.width >= MIN_WRAP_WIDTH and not ends_sentence(line.text) and heading_style(line.text) is None
    ]
    if len(widths) < 4:
        return None
    mode, _ = Counter(widths).most_common(1)[0]
    near = sum(1 for w in widths if abs(w - mode) <= WRAP_SLACK)
    if near < 0.5 * len(widths) or near < 3:
        return None
    return float(max(w for w in widths if abs(w - mode) <= WRAP_SLACK))


def heading_style(line: str) -> str | None:
    for name, _, pattern in HEADING_STYLES:
        if pattern.match(line):
            return name
    return None


def _numbered_is_heading(line: str, style: str, full_line: bool) -> bool:
    """A numbered line is a heading when it is a title phrase, not a sentence."""
    if style == "appendix":
        return True
    if full_line:  # filled to the wrap width: a wrapped sentence that starts with a number
        return False
    body = line.rstrip("".join(CLOSERS) + " ")
    if visual_width(line) > MAX_HEADING_WIDTH:
        return False
    if inner_terminator(line) is not None:
        return False  # runs on into a sentence
    if body and body[-1] in TERMINATORS:
        # 。 may be a stray end of a title phrase (（一）项目概况。); ；/！/？ end list items and sentences.
        # a title phrase is short and has at most one pause in it
        return (
            body[-1] in "。."
            and bool(TITLE_NOUN_END.search(body[:-1]))
            and visual_width(body) <= MAX_STRAY_STOP_TITLE_WIDTH
            and sum(body.count(c) for c in "，,") <= 1
        )
    return True


def inner_terminator(text: str) -> int | None:
    """Offset of the first sentence end before the end of `text` (outside quotes), or None."""
    for end in sentence_ends(text):
        if text[end:].strip():
            return end
        return None
    return None


_PAIR_CHARS = re.compile("[" + re.escape("".join(PAIRS) + "".join(PAIRS.values())) + "]")


def _matched_pairs(text: str) -> dict[int, int]:
    """Opening offset → closing offset for every balanced quote/book-title pair."""
    stack: list[tuple[str, int]] = []
    pairs: dict[int, int] = {}
    for match in _PAIR_CHARS.finditer(text):  # every other character leaves the stack alone
        i, ch = match.start(), match.group()
        if ch in PAIRS:
            stack.append((PAIRS[ch], i))
        elif stack and ch == stack[-1][0]:
            pairs[stack.pop()[1]] = i
        elif any(closer == ch for closer, _ in stack):
            # a closer for an outer pair: the inner openers were strays
            while stack and stack[-1][0] != ch:
                stack.pop()
            pairs[stack.pop()[1]] = i
    return pairs


_END_OR_OPENER = re.compile("[" + re.escape("".join(sorted(TERMINATORS)) + "".join(PAIRS)) + "]")


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence end in `text` (a paragraph)."""
    pairs = _matched_pairs(text)
    ends = []
    i, n = 0, len(text)
    while i < n:
        # only terminators and openers matter: jump over everything else
        found = _END_OR_OPENER.search(text, i)
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if i in pairs:
            close = pairs[i]
            follows = text[close + 1 : close + 2]
            if close - 1 > i and text[close - 1] in TERMINATORS and ch != "《" and follows not in CONTINUATIONS:
                # “…完成了。” : the quoted sentence ends the outer one after its closer
                j = close + 1
                while j < n and (text[j] in TERMINATORS or text[j] in "”’」』）)"):
                    j += 1
                ends.append(j)
                i = j
            else:
                i = close + 1
            continue
        if ch in TERMINATORS:
            j = i + 1
            while j < n and (text[j] in TERMINATORS or text[j] in "”’」』）)"):
                j += 1
            ends.append(j)
            i = j
            continue
        i += 1
    return ends


def analyse(text: str, *, detect_furniture: bool = True) -> Layout:
    """Find furniture, paragraphs (joining wrapped lines and page breaks) and headings."""
    layout = Layout(text=text)
    all_lines = split_lines(text)
    furniture = furniture_lines(all_lines) if detect_furniture else set()
    layout.furniture = [(all_lines[i].start, all_lines[i].end) for i in sorted(furniture)]
    lines = [line for i, line in enumerate(all_lines) if i not in furniture]
    width = wrap_width(lines)

    def is_full(line: Line) -> bool:
        return width is not None and line.width >= width - WRAP_SLACK

    title_end = _title_block(lines, layout)
    index = title_end
    paragraph_start: int | None = None
    previous: Line | None = None
    while index < len(lines):
        line = lines[index]
        index += 1
        continues = previous is not None and _continues(previous, line, is_full(previous))
        if continues:
            previous = line
            continue
        if paragraph_start is not None and previous is not None:
            layout.paragraphs.append((paragraph_start, previous.end))
        paragraph_start, previous = None, None
        style = heading_style(line.text)
        if style is not None and _numbered_is_heading(line.text, style, is_full(line)):
            layout.headings.append(Heading(line.start, line.end, style, STYLE_RANK[style]))
            continue
        paragraph_start, previous = line.start, line
    if paragraph_start is not None and previous is not None:
        layout.paragraphs.append((paragraph_start, previous.end))
    layout.headings.sort(key=lambda h: h.start)
    return layout


def _continues(previous: Line, line: Line, previous_full: bool) -> bool:
    """Whether the line break between `previous` and `line` is inside a paragraph."""
    if ends_sentence(previous.text) and not previous_full:
        return False
    if previous.text[-1] in PARAGRAPH_FINAL:
        return False
    style = heading_style(line.text)
    if style is not None and not previous_full and _numbered_is_heading(line.text, style, False):
        return False
    if ENUMERATION_START.match(line.text) and not previous_full:
        return False
    if ends_sentence(previous.text):
        # a full line that happens to end a sentence: the paragraph goes on only if
        # this line does not look like the start of a new one
        return style is None and not ENUMERATION_START.match(line.text)
    return True


def _title_block(lines: list[Line], layout: Layout) -> int:
    """Mark the title block (headings) and its bylines/dates (other); return the first body line."""
    block: list[Line] = []
    for line in lines:
        if (
            line.width > MAX_TITLE_WIDTH
            or any(ch in TERMINATORS for ch in line.text)
            or line.text[-1] in "：:，,、"
            or heading_style(line.text) not in (None, "appendix")
        ):
            break
        block.append(line)
    if len(block) == len(lines):
        block = block[:1]  # a text of short lines only: only its first line is a title
    title_at = next((i for i, line in enumerate(block) if TITLE_KEYWORDS.search(line.text)), 0 if block else None)
    for i, line in enumerate(block):
        is_byline = DATE_LINE.match(line.text) or (
            title_at is not None and i > title_at and not YEAR_LINE.match(line.text) and not TITLE_KEYWORDS.search(line.text)
        )
        if is_byline:
            layout.byline.append((line.start, line.end))
        else:
            layout.headings.append(Heading(line.start, line.end, "title", 0))
    return len(block)


def segments(text: str, layout: Layout | None = None) -> list[Segment]:
    """All segments of `text` in order: headings and sentences, with section paths."""
    layout = layout or analyse(text)
    furniture = layout.furniture
    items: list[tuple[int, int, int | None]] = [(h.start, h.end, k) for k, h in enumerate(layout.headings)]
    for start, end in layout.byline:
        items.append((start, end, None))
    for start, end in layout.paragraphs:
        for s, e in split_paragraph(text, start, end, furniture):
            items.append((s, e, None))
    items.sort()
    out: list[Segment] = []
    stack: list[int] = []
    for start, end, heading_index in items:
        if heading_index is not None:
            rank = layout.headings[heading_index].rank
            while stack and layout.headings[stack[-1]].rank >= rank:
                stack.pop()
            out.append(Segment(start, end, True, tuple(stack), heading_index))
            stack.append(heading_index)
        else:
            out.append(Segment(start, end, False, tuple(stack)))
    return out


def split_paragraph(text: str, start: int, end: int, furniture: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Sentences of the paragraph text[start:end], trimmed of whitespace.

    Furniture lines inside the paragraph are blanked before splitting so that a page
    number can never end or start a sentence; a sentence that runs across a page break
    keeps the furniture inside its span (a span is contiguous)."""
    chunk = text[start:end]
    for fs, fe in furniture:
        if start <= fs and fe <= end:
            chunk = chunk[: fs - start] + " " * (fe - fs) + chunk[fe - start :]
    cuts = [0] + sentence_ends(chunk)
    if cuts[-1] != len(chunk):
        cuts.append(len(chunk))
    result = []
    for a, b in zip(cuts, cuts[1:]):
        piece = chunk[a:b]
        if not piece.strip():
            continue
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        result.append((start + a + lead, start + b - trail))
    return result


def section_paths(text: str, segments: list[dict]) -> list[tuple[str, ...]]:
    """Section path (heading texts, outermost first) of each segment of annotated data,
    where headings are known by label but not by rank: the rank comes from the numbering
    style, unnumbered headings rank as the title."""
    paths: list[tuple[str, ...]] = []
    stack: list[tuple[int, str]] = []
    for seg in segments:
        if seg["label"] == "heading":
            heading = text[seg["start"] : seg["end"]].strip()
            style = heading_style(heading)
            rank = STYLE_RANK[style] if style else 0
            while stack and stack[-1][0] >= rank:
                stack.pop()
            paths.append(tuple(h for _, h in stack))
            stack.append((rank, heading))
        else:
            paths.append(tuple(h for _, h in stack))
    return paths

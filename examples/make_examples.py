"""Regenerate examples/reports/street-summary-2024.docx and .pdf from examples/src/street-summary-2024.txt.

    .venv/bin/python examples/make_examples.py

The output is byte-for-byte the same on every run (fixed document dates, fixed zip
timestamps, reportlab's invariant mode), so regenerating never shows up as a change
unless the source text or the layout below changed.

The source text's layout conventions: the first block (up to the first blank line) is
the title, the last block is the sign-off (organisation and date), lines with tabs are
table rows, every other line is one paragraph.

The PDF imitates an archived report as a reader of its text layer meets it: body lines
wrapped at a fixed width (so sentences run across line ends), a fixed number of lines a
page (so a page break falls inside a sentence: the script checks that one does), and a
page number line `- N -` at each page foot.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "src" / "street-summary-2024.txt"
DOCX_OUT = HERE / "reports" / "street-summary-2024.docx"
PDF_OUT = HERE / "reports" / "street-summary-2024.pdf"

TITLE = "桐山街道办事处2024年工作总结和2025年工作计划"
AUTHOR = "jixiao examples"
FIXED_TIME = datetime(2025, 1, 8, 9, 0, 0, tzinfo=timezone.utc)

# Page geometry in points (A4) after GB/T 9704, the national layout for official
# documents: 16 pt body text (三号), 28 characters a line, 22 lines a page, a
# 2-character first-line indent.
PAGE_W, PAGE_H = 595.27, 841.89
FONT, BODY_SIZE, TITLE_SIZE = "STSong-Light", 16, 22
CHARS_PER_LINE, LINES_PER_PAGE = 28, 22
TEXT_W = CHARS_PER_LINE * BODY_SIZE
MARGIN_X = (PAGE_W - TEXT_W) / 2
TOP_Y, FOOT_Y, LINE_PITCH = 745.0, 50.0, 29.0
INDENT = 2 * BODY_SIZE
# Characters that may not begin a line (禁则): they hang at the end of the line before.
NO_LINE_START = set("，。、；：？！）》」』”’%…")
SENTENCE_END = set("。！？；：")


@dataclass
class Source:
    title: list[str]
    body: list[str]  # paragraphs and tab-separated table rows, in order
    signoff: list[str]


def parse(text: str) -> Source:
    blocks = [block.splitlines() for block in text.strip().split("\n\n")]
    body = [line for block in blocks[1:-1] for line in block if line.strip()]
    return Source(title=blocks[0], body=body, signoff=blocks[-1])


# ---------------------------------------------------------------- docx


def make_docx(src: Source) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    # Chinese government documents are set in 仿宋_GB2312; Word takes East Asian text's
    # font from w:eastAsia, which python-docx's font.name does not set.
    normal.font.name = "仿宋_GB2312"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")

    def paragraph(text: str, *, align=None, indent: bool = True, font: str | None = None, size: int | None = None):
        para = document.add_paragraph()
        run = para.add_run(text)
        if font:
            run.font.name = font
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        if size:
            run.font.size = Pt(size)
        if align is not None:
            para.alignment = align
        if indent:
            para.paragraph_format.first_line_indent = Pt(32)
        return para

    for line in src.title:
        paragraph(line, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, font="方正小标宋简体", size=22)
    paragraph("")
    rows: list[list[str]] = []
    for line in src.body + [""]:
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            rows = []
        if not line:
            continue
        kind = heading_kind(line)
        font = {"cn": "黑体", "cn_paren": "楷体_GB2312"}.get(kind or "")
        paragraph(line, font=font)
    paragraph("")
    for line in src.signoff:
        paragraph(line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)

    core = document.core_properties
    core.title, core.author, core.last_modified_by = TITLE, AUTHOR, AUTHOR
    core.created = core.modified = FIXED_TIME.replace(tzinfo=None)
    core.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    return fixed_zip(raw.getvalue())


def fixed_zip(data: bytes) -> bytes:
    """The same archive with every member's timestamp fixed: zipfile stamps the current time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def heading_kind(line: str) -> str | None:
    if line[:1] in "一二三四五六七八九十" and "、" in line[:4]:
        return "cn"
    if line.startswith("（") and "）" in line[:5]:
        return "cn_paren"
    return None


# ---------------------------------------------------------------- pdf


@dataclass
class Line:
    text: str
    x: float
    size: int = BODY_SIZE
    cells: list[tuple[float, str]] | None = None  # a table row: (x, text) per cell
    ends_sentence: bool = True


def wrap(text: str, first_width: float, width: float) -> list[str]:
    """Greedy wrap by measured width, keeping NO_LINE_START characters off a line start."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    limit = first_width
    for char in text:
        if current and stringWidth(current + char, FONT, BODY_SIZE) > limit and char not in NO_LINE_START:
            lines.append(current)
            current, limit = "", width
        current += char
    if current:
        lines.append(current)
    return lines


def layout(src: Source) -> list[Line]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[Line] = []
    for text in src.title:
        width = stringWidth(text, FONT, TITLE_SIZE)
        lines.append(Line(text, (PAGE_W - width) / 2, size=TITLE_SIZE))
    lines.append(Line("", MARGIN_X))
    columns = [0.0, 0.34, 0.58, 0.82]
    for text in src.body:
        if "\t" in text:
            cells = [(MARGIN_X + TEXT_W * columns[i], cell) for i, cell in enumerate(text.split("\t"))]
            lines.append(Line(text, MARGIN_X, cells=cells))
            continue
        parts = wrap(text, TEXT_W - INDENT, TEXT_W)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            lines.append(Line(part, MARGIN_X + (INDENT if i == 0 else 0), ends_sentence=last or part[-1] in SENTENCE_END))
    lines.append(Line("", MARGIN_X))
    for text in src.signoff:
        width = stringWidth(text, FONT, BODY_SIZE)
        lines.append(Line(text, PAGE_W - MARGIN_X - width - BODY_SIZE))
    return lines


def make_pdf(src: Source) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    lines = layout(src)
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    if not any(not page[-1].ends_sentence for page in pages[:-1]):
        raise SystemExit(f"no page break falls inside a sentence with {LINES_PER_PAGE} lines a page: change LINES_PER_PAGE")

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    pdf.setTitle(TITLE)
    pdf.setAuthor(AUTHOR)
    pdf.setCreator(AUTHOR)
    for number, page in enumerate(pages, start=1):
        y = TOP_Y
        for line in page:
            pdf.setFont(FONT, line.size)
            for x, text in line.cells or [(line.x, line.text)]:
                pdf.drawString(x, y, text)
            y -= LINE_PITCH
        folio = f"- {number} -"
        pdf.setFont(FONT, 14)
        pdf.drawCentredString(PAGE_W / 2, FOOT_Y, folio)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def main() -> None:
    src = parse(SOURCE.read_text(encoding="utf-8"))
    DOCX_OUT.write_bytes(make_docx(src))
    PDF_OUT.write_bytes(make_pdf(src))


if __name__ == "__main__":
    main()

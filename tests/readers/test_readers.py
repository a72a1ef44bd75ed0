"""read_path over every format: each input is made here, in tmp_path, from our own text."""

from __future__ import annotations

import codecs
import io
import logging
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.readers import SUPPORTED_SUFFIXES, Text, read_path
from pipeline.readers.pdf import cid_share

REPORT = "某县文化馆2023年度部门整体支出绩效自评报告\n一、基本情况\n全年开展群众文化活动120场，服务群众3.5万人次，预算执行率96.8%。\n"
REPORT_TRAD = "某縣文化館2023年度部門整體支出績效自評報告\n一、基本情況\n全年開展群眾文化活動120場，服務群眾3.5萬人次，預算執行率96.8%。\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_error(path: Path, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        read_path(path, **kwargs)
    message = str(info.value)
    # One line that names the file: the CLI prints it as is.
    assert "\n" not in message and str(path) in message
    assert info.value.path == str(path)
    return message


# ---------------------------------------------------------------- text files


@pytest.mark.parametrize(
    "name, data, text, encoding",
    [
        ("utf8.txt", REPORT.encode("utf-8"), REPORT, "utf-8"),
        ("utf8-bom.txt", codecs.BOM_UTF8 + REPORT.encode("utf-8"), REPORT, "utf-8-sig"),
        ("crlf.txt", REPORT.replace("\n", "\r\n").encode("utf-8"), REPORT, "utf-8"),
        ("cr.txt", REPORT.replace("\n", "\r").encode("utf-8"), REPORT, "utf-8"),
        ("gb18030.txt", REPORT.encode("gb18030"), REPORT, "gb18030"),
        ("gb18030-crlf.txt", REPORT.replace("\n", "\r\n").encode("gb18030"), REPORT, "gb18030"),
        ("gbk.txt", REPORT.encode("gbk"), REPORT, "gb18030"),  # GBK decodes as its superset
        ("gb2312.txt", REPORT.encode("gb2312"), REPORT, "gb18030"),
        ("gb18030-4byte.txt", ("㐀𠀀" + REPORT).encode("gb18030"), "㐀𠀀" + REPORT, "gb18030"),
        ("big5.txt", REPORT_TRAD.encode("big5"), REPORT_TRAD, "big5"),
        ("utf16le-bom.txt", REPORT.encode("utf-16"), REPORT, "utf-16"),
        ("utf16be-bom.txt", codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be"), REPORT, "utf-16"),
        ("utf32-bom.txt", REPORT.encode("utf-32"), REPORT, "utf-32"),
        ("ascii.txt", b"Annual report 2023\n", "Annual report 2023\n", "utf-8"),
        ("notes.md", "# 工作总结\r\n\r\n正文。".encode("utf-8"), "# 工作总结\n\n正文。", "utf-8"),
        ("plain.text", "正文\u2028第二行".encode("utf-8"), "正文\n第二行", "utf-8"),
        ("upper.TXT", REPORT.encode("utf-8"), REPORT, "utf-8"),
    ],
)
def test_text_files_are_detected_and_normalised(tmp_path: Path, name: str, data: bytes, text: str, encoding: str) -> None:
    result = read_path(write(tmp_path, name, data))
    assert result.text == text
    assert result.encoding == encoding
    assert result.format == "txt"


@pytest.mark.parametrize(
    "data, encoding, text, recorded",
    [
        (REPORT.encode("gbk"), "GBK", REPORT, "gbk"),
        (REPORT.encode("gb18030"), "gb18030", REPORT, "gb18030"),
        (REPORT.encode("utf-16-le"), "utf-16-le", REPORT, "utf-16-le"),  # no BOM: only by asking
        (REPORT_TRAD.encode("cp950"), "cp950", REPORT_TRAD, "cp950"),
        (codecs.BOM_UTF8 + REPORT.encode("utf-8"), "utf-8", REPORT, "utf-8"),  # the BOM still goes
    ],
)
def test_encoding_override(tmp_path: Path, data: bytes, encoding: str, text: str, recorded: str) -> None:
    result = read_path(write(tmp_path, "r.txt", data), encoding=encoding)
    assert (result.text, result.encoding) == (text, recorded)


@pytest.mark.parametrize(
    "name, data, kwargs, expected",
    [
        ("binary.txt", bytes(range(256)) * 8, {}, ["not a text file"]),
        ("nul.txt", b"report\x00\x00\x01text", {}, ["not a text file", "--encoding utf-16-le"]),
        ("controls.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08" * 100, {}, ["not a text file"]),
        ("renamed-pdf.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n", {}, ["not a text file", "PDF"]),
        ("renamed-docx.txt", b"PK\x03\x04" + b"\x14" * 40, {}, ["not a text file", "zip"]),
        ("empty.txt", b"", {}, ["empty"]),
        ("blank.txt", b" \r\n\t\r\n\u3000".replace(b"\u3000", "\u3000".encode()), {}, ["empty"]),
        ("bom-only.txt", codecs.BOM_UTF8, {}, ["empty"]),
        ("undecodable.txt", b"\x80\xff" * 40 + b"\n", {}, ["cannot decode", "utf-8, gb18030, big5", "--encoding"]),
        ("damaged.txt", REPORT.encode("utf-8") * 3 + b"\xff" + REPORT.encode("utf-8"), {}, ["damaged", "byte"]),
        ("wrong-override.txt", REPORT.encode("gb18030"), {"encoding": "utf-8"}, ["not valid utf-8", "byte", "--encoding"]),
        ("bad-bom.txt", codecs.BOM_UTF16_LE + b"\x00\xd8", {}, ["not valid utf-16", "byte-order mark"]),
        ("unknown-codec.txt", b"report", {"encoding": "klingon"}, ["unknown encoding", "klingon"]),
        ("too-large.txt", REPORT.encode("utf-8"), {"max_bytes": 16}, ["too large", "max_bytes"]),
    ],
)
def test_text_file_errors(tmp_path: Path, name: str, data: bytes, kwargs: dict, expected: list[str]) -> None:
    message = read_error(write(tmp_path, name, data), **kwargs)
    for part in expected:
        assert part in message


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: d / "missing.txt", ["no such file"]),
        (lambda d: (d / "folder.txt").mkdir() or d / "folder.txt", ["is a folder"]),
        (lambda d: write(d, "sheet.xlsx", b"PK"), ["unsupported file type", ".xlsx", ".docx"]),
        (lambda d: write(d, "old.doc", b"x"), ["unsupported file type", "soffice"]),
        (lambda d: write(d, "table.csv", b"text\nx\n"), ["unsupported file type", "--text-column"]),
        (lambda d: write(d, "noext", b"x"), ["unsupported file type", "(no suffix)"]),
    ],
)
def test_path_errors(tmp_path: Path, make: Callable[[Path], Path], expected: list[str]) -> None:
    message = read_error(make(tmp_path))
    for part in expected:
        assert part in message


def test_text_record_fields(tmp_path: Path) -> None:
    path = write(tmp_path, "county-2023.gb.txt", REPORT.encode("gb18030"))
    result = read_path(str(path))
    assert result == Text(text=REPORT, source=str(path), encoding="gb18030", format="txt", doc_id="county-2023.gb")
    with pytest.raises(AttributeError):
        result.text = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    "source, doc_id",
    [("reports/a.txt", "a"), ("t.parquet#row=3", "t"), ("/x/y/report.v2.pdf", "report.v2")],
)
def test_doc_id_defaults_to_the_file_stem(source: str, doc_id: str) -> None:
    assert Text(text="x", source=source, encoding=None, format="txt").doc_id == doc_id
    assert Text(text="x", source=source, encoding=None, format="txt", doc_id="given").doc_id == "given"


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".text", ".md", ".docx", ".pdf", ".html", ".htm"}


# ---------------------------------------------------------------- docx


def make_docx(path: Path, build: Callable) -> Path:
    import docx

    document = docx.Document()
    build(document)
    document.save(str(path))
    return path


def body_and_table(document) -> None:
    document.add_paragraph("某县文化馆2023年度绩效自评报告")
    document.add_paragraph("一、预算执行情况")
    table = document.add_table(rows=3, cols=3)
    for c, value in enumerate(["指标", "目标值", "完成值"]):
        table.cell(0, c).text = value
    table.cell(1, 0).text = "活动场次"
    table.cell(1, 1).text = "150场"
    table.cell(1, 2).text = "168场"
    table.cell(2, 0).merge(table.cell(2, 1)).text = "合计（合并单元格）"
    table.cell(2, 2).text = "112%"
    document.add_paragraph("二、存在的问题")
    document.add_paragraph("部分项目支出进度偏慢。")


def vertical_merge(document) -> None:
    table = document.add_table(rows=3, cols=2)
    top = table.cell(0, 0).merge(table.cell(1, 0))
    top.text = "产出指标"
    table.cell(0, 1).text = "数量指标"
    table.cell(1, 1).text = "质量指标"
    table.cell(2, 0).text = "效益指标"
    table.cell(2, 1).text = "社会效益"


def cell_with_two_paragraphs(document) -> None:
    table = document.add_table(rows=1, cols=2)
    cell = table.cell(0, 0)
    cell.text = "第一段"
    cell.add_paragraph("第二段\t含制表符")
    table.cell(0, 1).text = "右"
    document.add_paragraph("")  # an empty paragraph is a blank line
    document.add_paragraph("表后文字")


def tracked_changes(document) -> None:
    from docx.oxml import OxmlElement

    paragraph = document.add_paragraph("完成率为")
    inserted = OxmlElement("w:ins")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "98%"
    run.append(text)
    inserted.append(run)
    deleted = OxmlElement("w:del")
    old_run = OxmlElement("w:r")
    old_text = OxmlElement("w:delText")
    old_text.text = "95%"
    old_run.append(old_text)
    deleted.append(old_run)
    paragraph._p.append(deleted)
    paragraph._p.append(inserted)
    paragraph.add_run("。")
    breaks = document.add_paragraph("上行")
    breaks.runs[0].add_break()
    breaks.add_run("下行")


@pytest.mark.parametrize(
    "build, expected",
    [
        (
            body_and_table,
            "某县文化馆2023年度绩效自评报告\n一、预算执行情况\n指标\t目标值\t完成值\n活动场次\t150场\t168场\n"
            "合计（合并单元格）\t112%\n二、存在的问题\n部分项目支出进度偏慢。",
        ),
        (vertical_merge, "产出指标\t数量指标\n\t质量指标\n效益指标\t社会效益"),
        (cell_with_two_paragraphs, "第一段 第二段 含制表符\t右\n\n表后文字"),
        (tracked_changes, "完成率为98%。\n上行\n下行"),
    ],
)
def test_docx_reading_order(tmp_path: Path, build: Callable, expected: str) -> None:
    result = read_path(make_docx(tmp_path / "report.docx", build))
    assert result.text == expected
    assert (result.format, result.encoding, result.doc_id) == ("docx", None, "report")


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"PK\x03\x04 this is not really a zip", ["corrupt or not a Word document", "save it again"]),
        (zip_bytes({"hello.txt": b"not a document"}), ["corrupt or not a Word document"]),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, ["old binary Word .doc", "soffice"]),
        (b"%PDF-1.4\n", ["not a Word .docx file", "PDF"]),
        ("这是一段纯文本".encode("utf-8"), ["not a Word .docx file", "not a zip archive"]),
        (b"", ["not a Word .docx file"]),
    ],
)
def test_docx_errors(tmp_path: Path, data: bytes, expected: list[str]) -> None:
    message = read_error(write(tmp_path, "bad.docx", data))
    for part in expected:
        assert part in message


def test_docx_without_text_is_empty(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "blank.docx", lambda d: d.add_paragraph(""))
    assert "empty" in read_error(path)


# ---------------------------------------------------------------- pdf


def make_pdf(path: Path, pages: list[list[str]], *, encrypt: str | None = None, rectangle: bool = False) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), encrypt=encrypt, invariant=1)
    for lines in pages:
        y = 760
        for line in lines:
            pdf.setFont("STSong-Light", 14)
            pdf.drawString(72, y, line)
            y -= 24
        if rectangle:
            pdf.rect(72, 200, 400, 500, fill=1)
        pdf.setFont("STSong-Light", 12)
        pdf.drawCentredString(297, 40, f"- {pdf.getPageNumber()} -")
        pdf.showPage()
    pdf.save()
    return path


PDF_PAGES = [
    ["一、预算执行情况", "全年预算收入486.52万元，实际支出471.36万元，预算执行", "率为96.88%，较上年提高"],
    ["2.1个百分点。", "二、存在的问题"],
]


def test_pdf_pages_joined_with_page_numbers_kept(tmp_path: Path) -> None:
    result = read_path(make_pdf(tmp_path / "report.pdf", PDF_PAGES))
    assert result.text == (
        "一、预算执行情况\n全年预算收入486.52万元，实际支出471.36万元，预算执行\n率为96.88%，较上年提高\n- 1 -\n"
        "2.1个百分点。\n二、存在的问题\n- 2 -"
    )
    assert (result.format, result.encoding) == ("pdf", None)


def test_pdf_with_an_empty_page_in_the_middle(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "gap.pdf", [["第一页"], [], ["第三页"]])
    assert read_path(pdf).text == "第一页\n- 1 -\n- 2 -\n第三页\n- 3 -"


def scanned_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), invariant=1)
    pdf.rect(72, 72, 450, 700, fill=1)  # a "scan": marks on the page, no text
    pdf.showPage()
    pdf.rect(72, 72, 200, 200)
    pdf.showPage()
    pdf.save()
    return path


def truncated_pdf(path: Path) -> Path:
    make_pdf(path, PDF_PAGES)
    path.write_bytes(path.read_bytes()[:600])
    return path


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda p: make_pdf(p, PDF_PAGES, encrypt="secret"), ["encrypted", "qpdf", "--decrypt"]),
        (scanned_pdf, ["no text layer", "2 pages", "scanned PDF", "OCR", "ocrmypdf"]),
        (truncated_pdf, ["corrupt PDF"]),
        (lambda p: write(p.parent, p.name, b"%PDF-1.4\nthis is not a pdf body\n%%EOF"), ["corrupt PDF"]),
        (lambda p: write(p.parent, p.name, b"<!DOCTYPE html><html><body>login</body></html>"), ["not a PDF", "HTML page"]),
        (lambda p: write(p.parent, p.name, b""), ["not a PDF", "no %PDF header"]),
    ],
)
def test_pdf_errors(tmp_path: Path, make: Callable[[Path], Path], expected: list[str]) -> None:
    message = read_error(make(tmp_path / "bad.pdf"))
    for part in expected:
        assert part in message


def test_pdf_reading_is_quiet(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """pdfminer's warnings about damaged objects would flood a run over thousands of files."""
    path = truncated_pdf(tmp_path / "noisy.pdf")
    with caplog.at_level(logging.DEBUG, logger="pdfminer"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_error(path)
        read_path(make_pdf(tmp_path / "fine.pdf", PDF_PAGES))
    assert not [r for r in caplog.records if r.name.startswith("pdfminer") and r.levelno >= logging.WARNING]
    assert not [w for w in caught if "pdfminer" in str(w.filename)]


@pytest.mark.parametrize(
    "text, share",
    [
        ("", 0.0),
        ("预算执行率96.88%", 0.0),
        ("(cid:12)(cid:345)", 1.0),
        ("(cid:1) 正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文", 7 / 59),
    ],
)
def test_cid_share(text: str, share: float) -> None:
    assert cid_share(text) == pytest.approx(share)


# ---------------------------------------------------------------- html

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>不应出现的标题</title>
<style>p {{ color: red }} .x:before {{ content: "样式文字" }}</style>
<script>var note = "脚本文字";</script></head>
<body>
<!-- 注释文字 -->
<noscript>请启用脚本</noscript><template><p>模板文字</p></template>
{body}
</body></html>"""


@pytest.mark.parametrize(
    "body, expected",
    [
        ("<h1>某县文化馆</h1><p>全年开展活动168场。</p>", "某县文化馆\n全年开展活动168场。"),
        # Source line breaks: nothing between Chinese characters, one space elsewhere.
        ("<p>全年开展\n  群众文化活动\n168场，服务\n3.5万人次。</p>", "全年开展群众文化活动 168场，服务 3.5万人次。"),
        ("<p>Annual   report\n2023</p>", "Annual report 2023"),
        ("<p>第一行<br>第二行<br/>第三行</p>", "第一行\n第二行\n第三行"),
        ("<div><div><section><p>嵌套</p></section></div></div><div>下一块</div>", "嵌套\n下一块"),
        ("<ul><li>一是</li><li>二是</li></ul>", "一是\n二是"),
        ("<p>&nbsp;&nbsp;缩进&nbsp;&nbsp;文字&amp;实体&lt;</p>", "缩进 文字&实体<"),
        ("<p>\u3000\u3000全角缩进保留</p>", "\u3000\u3000全角缩进保留"),
        ("<p>行内<span>标签</span><b>不断行</b></p>", "行内标签不断行"),
        (
            "<table><tr><th>指标</th><th>目标</th></tr><tr><td><p>活动</p><p>场次</p></td><td> 150场 </td></tr>"
            "<tr><td></td><td>仅第二列</td></tr></table>",
            "指标\t目标\n活动 场次\t150场\n\t仅第二列",
        ),
        ("<pre>第一行\n  第二行</pre>", "第一行\n第二行"),  # pre keeps its line breaks
        ("<p>正文</p>\u2028<p>另一段</p>", "正文\n另一段"),
    ],
)
def test_html_visible_text(tmp_path: Path, body: str, expected: str) -> None:
    result = read_path(write(tmp_path, "page.html", PAGE.format(body=body).encode("utf-8")))
    assert result.text == expected
    assert (result.format, result.encoding) == ("html", "utf-8")


@pytest.mark.parametrize(
    "name, data, kwargs, encoding",
    [
        ("meta.html", '<meta charset="gb2312"><p>某县报告正文内容</p>'.encode("gb18030"), {}, "gb18030"),
        (
            "http-equiv.htm",
            '<meta http-equiv="Content-Type" content="text/html; charset=GBK"><p>某县报告正文内容</p>'.encode("gbk"),
            {},
            "gb18030",
        ),
        ("big5.html", '<meta charset="big5"><p>某縣報告正文內容</p>'.encode("big5"), {}, "big5"),
        ("lying-meta.html", '<meta charset="gb2312"><p>某县报告正文内容</p>'.encode("utf-8"), {}, "utf-8"),
        ("no-meta.html", "<p>某县文化馆2023年度部门整体支出绩效自评报告，全年开展活动168场。</p>".encode("gb18030"), {}, "gb18030"),
        ("bad-meta.html", '<meta charset="x-unknown"><p>某县报告正文内容</p>'.encode("utf-8"), {}, "utf-8"),
        ("bom.html", codecs.BOM_UTF8 + '<meta charset="gbk"><p>某县报告正文内容</p>'.encode("utf-8"), {}, "utf-8-sig"),
        ("utf16-meta.html", '<meta charset="utf-16"><p>某县报告正文内容</p>'.encode("utf-8"), {}, "utf-8"),
        ("latin1-meta.html", '<meta charset="iso-8859-1"><p>某县报告正文内容，全年开展活动168场。</p>'.encode("gb18030"), {}, "gb18030"),
        ("real-latin1.html", '<meta charset="iso-8859-1"><p>Caf\xe9 \xa9 2023 \xbe\xbf\x80</p>'.encode("latin-1"), {}, "iso8859-1"),
        ("override.html", '<meta charset="utf-8"><p>某县报告正文内容</p>'.encode("gb18030"), {"encoding": "gb18030"}, "gb18030"),
    ],
)
def test_html_charset(tmp_path: Path, name: str, data: bytes, kwargs: dict, encoding: str) -> None:
    result = read_path(write(tmp_path, name, data), **kwargs)
    assert result.encoding == encoding
    assert any(words in result.text for words in ("报告正文内容", "報告正文內容", "绩效自评报告", "Café"))


@pytest.mark.parametrize(
    "data, expected",
    [
        (PAGE.format(body="").encode("utf-8"), "empty"),
        (b"<html><body><script>only()</script></body></html>", "empty"),
        (bytes(range(256)) * 4, "not a text file"),
    ],
)
def test_html_errors(tmp_path: Path, data: bytes, expected: str) -> None:
    assert expected in read_error(write(tmp_path, "page.htm", data))


def test_html_deep_nesting_does_not_recurse(tmp_path: Path) -> None:
    page = "<div>" * 3000 + "深处的文字" + "</div>" * 3000
    assert read_path(write(tmp_path, "deep.html", page.encode("utf-8"))).text == "深处的文字"

"""The committed example reports read as documented, and the generated ones match their source."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from pipeline.readers import expand_inputs, read_path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REPORTS = EXAMPLES / "reports"


def make_examples():
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def squeeze(text: str) -> str:
    """Text without any whitespace: wrapped lines, tabs and page breaks aside, the same words."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    "name, encoding, fmt, start",
    [
        ("wenhuaguan-2023.txt", "utf-8", "txt", "云溪县文化馆\n2023年度部门整体支出绩效自评报告\n"),
        ("road-project-2022.gb18030.txt", "gb18030", "txt", "石门县2022年度农村公路养护项目\n支出绩效自评报告\n"),
        ("street-summary-2024.docx", None, "docx", "桐山街道办事处\n2024年工作总结和2025年工作计划\n"),
        ("street-summary-2024.pdf", None, "pdf", "桐山街道办事处\n2024年工作总结和2025年工作计划\n"),
    ],
)
def test_examples_read(name: str, encoding: str | None, fmt: str, start: str) -> None:
    text = read_path(REPORTS / name)
    assert (text.encoding, text.format) == (encoding, fmt)
    assert text.text.startswith(start)
    assert "\r" not in text.text


def test_gb18030_example_is_gb18030_bytes_with_crlf() -> None:
    data = (REPORTS / "road-project-2022.gb18030.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"\r\n" in data and "预算执行率95.11%".encode("gb18030") in data


def test_docx_and_pdf_say_what_the_source_says() -> None:
    source = (EXAMPLES / "src" / "street-summary-2024.txt").read_text(encoding="utf-8")
    docx_text = read_path(REPORTS / "street-summary-2024.docx").text
    pdf_text = read_path(REPORTS / "street-summary-2024.pdf").text
    assert squeeze(docx_text) == squeeze(source)
    assert "指标\t年度目标\t完成情况\t完成率" in docx_text  # the table, in its place
    without_folios = re.sub(r"^- \d+ -$", "", pdf_text, flags=re.MULTILINE)
    assert squeeze(without_folios) == squeeze(source)


def test_pdf_looks_like_an_archived_report() -> None:
    lines = read_path(REPORTS / "street-summary-2024.pdf").text.split("\n")
    folios = [i for i, line in enumerate(lines) if re.fullmatch(r"- \d+ -", line)]
    assert [lines[i] for i in folios] == ["- 1 -", "- 2 -", "- 3 -"]
    # A page break inside a sentence: the line before a folio does not end one.
    assert any(lines[i - 1][-1] not in "。；：！？" for i in folios[:-1])
    # Wrapped at a fixed width: most body lines are about as long as each other.
    widths = sorted(len(line) for line in lines if len(line) > 20)
    assert widths[len(widths) // 2] >= 27


def test_generation_is_deterministic() -> None:
    module = make_examples()
    source = module.parse(module.SOURCE.read_text(encoding="utf-8"))
    assert module.make_docx(source) == module.make_docx(source)
    assert module.make_pdf(source) == module.make_pdf(source)


def test_examples_folder_expands_to_its_reports() -> None:
    files, errors = expand_inputs([str(REPORTS)])
    names = {path.name for path in files}
    assert {"wenhuaguan-2023.txt", "road-project-2022.gb18030.txt", "street-summary-2024.docx", "street-summary-2024.pdf"} == names
    assert errors == []

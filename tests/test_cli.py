"""The command line, one smoke run per input format with files the test makes itself,
on the real pipeline and the shipped models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

REPORT = (
    "某县图书馆2023年度部门整体支出绩效自评报告\n"
    "一、基本情况\n"
    "全年预算收入356.8万元，执行率为98.6%。\n"
    "二、主要成效\n"
    "举办第三届全民阅读节，服务读者1.2万人次。\n"
    "三、存在的问题\n"
    "数字资源建设相对滞后。\n"
)


def write_txt(path: Path, encoding: str) -> Path:
    path.write_bytes(REPORT.encode(encoding))
    return path


def write_docx(path: Path) -> Path:
    from docx import Document

    document = Document()
    for line in REPORT.strip().split("\n"):
        document.add_paragraph(line)
    document.save(path)
    return path


def write_pdf(path: Path) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 12)
    y = 800
    for line in REPORT.strip().split("\n"):
        pdf.drawString(50, y, line)
        y -= 20
    pdf.save()
    return path


def write_html(path: Path) -> Path:
    body = "".join(f"<p>{line}</p>" for line in REPORT.strip().split("\n"))
    path.write_text(f"<html><head><meta charset='utf-8'><script>var x=1;</script></head><body>{body}</body></html>", encoding="utf-8")
    return path


MAKERS = {
    "utf8.txt": lambda p: write_txt(p, "utf-8"),
    "gbk.txt": lambda p: write_txt(p, "gb18030"),
    "report.docx": write_docx,
    "report.pdf": write_pdf,
    "report.html": write_html,
}


@pytest.mark.parametrize("name", list(MAKERS))
def test_process_each_format(tmp_path: Path, name: str) -> None:
    source = MAKERS[name](tmp_path / name)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["process", str(source), "-o", str(out), "--jobs", "1", "--include-text"])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["status"] == "ok"
    text = record["text"]
    for seg in record["segments"]:
        assert text[seg["start"] : seg["end"]] == seg["text"]
    labels = {seg["text"]: seg["label"] for seg in record["segments"]}
    assert labels["一、基本情况"] == "heading"
    money = [e for e in record["entities"] if e["label"] == "MONEY"]
    assert money and money[0]["value"] == pytest.approx(3568000.0)


def test_bad_inputs_are_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    good = write_txt(tmp_path / "good.txt", "utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        app, ["process", str(good), str(tmp_path / "empty.txt"), str(tmp_path / "binary.txt"), str(tmp_path / "broken.docx"), str(tmp_path / "missing.txt"), "-o", str(out), "--jobs", "1"]
    )
    assert result.exit_code == 1
    records = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert records["good"]["status"] == "ok"
    failed = {k for k, r in records.items() if r["status"] == "failed"}
    assert {"empty", "binary", "broken", "missing"} <= failed
    assert all(records[k]["error"] for k in failed)


def test_evaluate_prints_the_figures_and_json(tmp_path: Path) -> None:
    text = "一、概况\n全年预算收入356.8万元。"
    money = text.index("356.8万元")
    gold = {
        "id": "g",
        "text": text,
        "segments": [{"start": 0, "end": 4, "label": "heading"}, {"start": 5, "end": len(text), "label": "metric"}],
        "entities": [{"start": money, "end": money + 7, "label": "MONEY", "value": 3568000.0, "approx": False}],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 0, result.output
    assert "boundaries" in result.output and "confusion" in result.output
    result = CliRunner().invoke(app, ["evaluate", str(path), "--json"])
    report = json.loads(result.output)
    assert report["boundaries"]["f1"] == 1.0
    assert report["entities"]["labels"]["MONEY"]["f1"] == 1.0


def test_unknown_output_format_is_one_clear_line(tmp_path: Path) -> None:
    source = write_txt(tmp_path / "a.txt", "utf-8")
    result = CliRunner().invoke(app, ["process", str(source), "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 2
    assert "error:" in result.output and "xlsx" in result.output

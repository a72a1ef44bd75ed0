"""The corpus markup: offsets computed from lines, and every error names the line."""

from __future__ import annotations

import pytest

from training.markup import MarkupError, parse

HEADER = "---\nid: t-1\nagency: 教育\norg: 某县教育局\ngenre: dept_self_eval\nprovince: 湖南\nlevel: county\nyear: 2021\n---\n"


def test_offsets_paragraphs_and_entities() -> None:
    doc = parse(HEADER + "H 一、概况\nA 新建学校{QUANTITY:3所}。\nA 投入{MONEY:120万元}。\n\nO 特此报告。\n")
    assert doc.text == "一、概况\n新建学校3所。投入120万元。\n特此报告。"
    assert [(doc.text[s["start"] : s["end"]], s["label"]) for s in doc.segments] == [
        ("一、概况", "heading"), ("新建学校3所。", "achievement"), ("投入120万元。", "achievement"), ("特此报告。", "other"),
    ]
    assert [doc.text[e["start"] : e["end"]] for e in doc.entities] == ["3所", "120万元"]


def test_line_without_terminator_ends_its_paragraph() -> None:
    doc = parse(HEADER + "H 某局报告\nO 某县教育局\nO 2022年3月\n")
    assert doc.text == "某局报告\n某县教育局\n2022年3月"


def test_quoted_name_with_descriptor_is_an_entity_but_a_fully_quoted_one_is_not() -> None:
    assert parse(HEADER + "A 举办{EVENT:“书香满城”全民阅读节}。\n").entities
    with pytest.raises(MarkupError, match="outer quote"):
        parse(HEADER + "A 举办{EVENT:“书香满城”}。\n")


@pytest.mark.parametrize(
    "body, message",
    [
        ("X 不知道的标签。\n", "label code"),
        ("A 两句话。写在一行。\n", "terminator"),
        ("A 未知{FOO:实体}。\n", "unknown entity label"),
        ("A 嵌套{EVENT:第一届{AWARD:奖}}。\n", "nested"),
        ("A 空{EVENT:}。\n", "empty entity"),
        ("", "no body"),
    ],
)
def test_errors_name_the_problem(body: str, message: str) -> None:
    with pytest.raises(MarkupError, match=message):
        parse(HEADER + body, "doc.jx")


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("genre", "novel", "genre"),
        ("level", "galaxy", "level"),
        ("agency", "外星办", "agency"),
        ("year", "1999", "year"),
        ("year", "2027", "year"),
        ("year", "twenty", "year"),
    ],
)
def test_header_values_are_checked(key: str, value: str, message: str) -> None:
    header = "\n".join(f"{key}: {value}" if line.startswith(f"{key}:") else line for line in HEADER.split("\n"))
    with pytest.raises(MarkupError, match=message):
        parse(header + "A 一句。\n")


def test_terminator_inside_book_title_is_allowed() -> None:
    doc = parse(HEADER + "A 排演话剧《春天来了！》，好评如潮。\n")
    assert len(doc.segments) == 1


@pytest.mark.parametrize("year", ["2000", "2008", "2018", "2026"])
def test_archive_years_are_accepted(year: str) -> None:
    header = HEADER.replace("year: 2021", f"year: {year}")
    assert parse(header + "A 一句。\n").meta["year"] == int(year)


@pytest.mark.parametrize(
    "line, splits",
    [
        ("A 他说：“任务完成了。”随后大家离开。", True),  # the segmenter ends a quoted sentence here
        ("A 群众称赞“办得好！”，大家很满意。", False),  # a comma continues the outer sentence
        ("A 排演话剧《春天来了！》，好评如潮。", False),
        ("A 完成培训。举办展览。", True),
    ],
)
def test_a_line_must_be_one_segment_as_the_segmenter_cuts(line: str, splits: bool) -> None:
    if splits:
        with pytest.raises(MarkupError, match="terminator|sentence"):
            parse(HEADER + line + "\n")
    else:
        assert len(parse(HEADER + line + "\n").segments) == 1

"""Layout recovery and segmentation: tables of our own sentences, and invariants for any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.structure import (
    analyse,
    heading_style,
    section_paths,
    segments,
    sentence_ends,
    split_lines,
    visual_width,
    wrap_width,
)


def seg_texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segments(text)]


def heading_texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segments(text) if s.is_heading]


@pytest.mark.parametrize(
    "paragraph, expected",
    [
        ("全年开展活动12场。服务群众3000人次。", ["全年开展活动12场。", "服务群众3000人次。"]),
        ("一是加强学习；二是完善制度；三是强化监督。", ["一是加强学习；", "二是完善制度；", "三是强化监督。"]),
        ("举办《春天来了！》专场演出，反响热烈。", ["举办《春天来了！》专场演出，反响热烈。"]),
        ("群众评价“办得好！办得实！”，满意度高。下一步继续推进。", ["群众评价“办得好！办得实！”，满意度高。", "下一步继续推进。"]),
        ("他说：“任务完成了。”随后返回。", ["他说：“任务完成了。”", "随后返回。"]),
        ("结余资金已上缴（详见附表。）后续按规定处理。", ["结余资金已上缴（详见附表。）", "后续按规定处理。"]),
        ("执行率为95%!进度较快;资金到位?是的.", ["执行率为95%!", "进度较快;", "资金到位?", "是的."]),
        ("效果如何？！值得思考。", ["效果如何？！", "值得思考。"]),
        ("句子没有结束", ["句子没有结束"]),
        ("未闭合的“引号。后面还有。", ["未闭合的“引号。", "后面还有。"]),
    ],
)
def test_sentence_split(paragraph: str, expected: list[str]) -> None:
    assert seg_texts(paragraph) == expected


@pytest.mark.parametrize(
    "line, style",
    [
        ("一、部门基本情况", "cn"),
        ("十二、其他事项", "cn"),
        ("（一）项目概况", "cn_paren"),
        ("(三) 资金管理", "cn_paren"),
        ("1.产出数量", "arabic"),
        ("2、产出质量", "arabic"),
        ("3. 产出时效", "arabic"),
        ("（1）开展培训", "arabic_paren"),
        ("2）资金使用", "arabic_paren"),
        ("①数量指标", "circled"),
        ("第一部分 工作回顾", "part"),
        ("附件2", "appendix"),
        ("1.5万元用于采购", None),
        ("一是加强学习", None),
        ("全年开展活动", None),
        ("2023年预算", None),
    ],
)
def test_heading_style(line: str, style: str | None) -> None:
    assert heading_style(line) == style


@pytest.mark.parametrize(
    "text, headings",
    [
        # title block: agency line and title are headings, the date is a byline
        ("某县图书馆\n2022年度部门整体支出绩效自评报告\n2023年2月\n一、基本情况\n本馆成立于1985年。", ["某县图书馆", "2022年度部门整体支出绩效自评报告", "一、基本情况"]),
        ("某局工作总结\n（2021年度）\n正文第一句。", ["某局工作总结", "（2021年度）"]),
        # a numbered title phrase keeps its stray full stop
        ("报告\n（一）项目概况。\n项目于3月启动。", ["报告", "（一）项目概况。"]),
        # a numbered line that runs on into sentences is not a heading
        ("报告\n1. 强化引领，团结广大会员。全年开展活动5场。", ["报告"]),
        # a numbered list item ending in ； is a sentence
        ("报告\n1.组织文艺家深入生活，在创作上着力；\n2.发现和培养人才，在队伍建设上着力。", ["报告"]),
        # a long numbered sentence ending in 。 is not a title phrase
        ("报告\n（一）加强对财政文件的学习，积极参加培训，及时掌握新规定、新要求。", ["报告"]),
        ("报告\n（1）加强文化供给，开展品牌文艺活动\n一是举办摄影展。", ["报告", "（1）加强文化供给，开展品牌文艺活动"]),
        ("报告\n1.产出数量及质量：\n全年完成。", ["报告", "1.产出数量及质量："]),
    ],
)
def test_headings(text: str, headings: list[str]) -> None:
    assert heading_texts(text) == headings


@pytest.mark.parametrize(
    "text, expected",
    [
        # a page break (blank line) in the middle of a sentence is not a boundary
        ("正文。实有\n\n人数小计9人。", ["正文。", "实有\n\n人数小计9人。"]),
        # wrapped lines with a page number between pages
        (
            "一、情况\n本年度全县共开展各类文化惠民演出活动一百二十场次，\n服务群众达到三万余人次，群众满意度较高。全县各乡镇\n\n- 3 -\n\n综合文化站全部免费开放。",
            ["一、情况", "本年度全县共开展各类文化惠民演出活动一百二十场次，\n服务群众达到三万余人次，群众满意度较高。", "全县各乡镇\n\n- 3 -\n\n综合文化站全部免费开放。"],
        ),
        # a paragraph that stops on a comma before an enumeration is closed by the line end
        ("正文第一句。加强联系，\n三是专业知识有待提高。", ["正文第一句。", "加强联系，", "三是专业知识有待提高。"]),
        # a line ending in a colon ends its paragraph
        ("设立目标如下：\n1.充分发挥专长；\n2.组织深入生活。", ["设立目标如下：", "1.充分发挥专长；", "2.组织深入生活。"]),
        # a heading line never joins the next line
        ("二、存在问题\n资金执行率偏低。", ["二、存在问题", "资金执行率偏低。"]),
        # leading indentation and trailing spaces are outside the segment
        ("　　全年完成。  \n", ["全年完成。"]),
    ],
)
def test_paragraph_joining(text: str, expected: list[str]) -> None:
    assert seg_texts(text) == expected


@pytest.mark.parametrize(
    "line",
    ["- 3 -", "— 12 —", "第 3 页", "第3页 共9页", "3/9", "7", "Page 2 of 5"],
)
def test_page_numbers_are_furniture(line: str) -> None:
    text = f"报告\n第一句很长很长的内容继续写\n{line}\n下去直到结束。"
    layout = analyse(text)
    start = text.index(line)
    assert (start, start + len(line)) in layout.furniture
    assert line not in "".join(seg_texts(text).__iter__()) or any(line in s for s in seg_texts(text))


def test_running_header_repeated_on_pages_is_furniture_but_first_is_title() -> None:
    text = "某局2023年工作总结\n" + "\n".join(f"第{i}页正文内容写在这里并且继续写下去，\n某局2023年工作总结\n接着写第{i}页的结尾。" for i in range(3))
    layout = analyse(text)
    assert len(layout.furniture) == 3
    # the repeats lie inside the sentences that run across the page breaks, never alone
    assert seg_texts(text).count("某局2023年工作总结") == 1
    assert heading_texts(text)[0] == "某局2023年工作总结"


def test_wrap_width_detected_only_for_fixed_width_text() -> None:
    wrapped = "\n".join(["这是一行被固定宽度折行的正文内容共计二十个字的文本"] * 6)
    assert wrap_width(split_lines(wrapped)) is not None
    assert wrap_width(split_lines("一、概况\n（一）职责\n二、目标\n（一）产出")) is None


def test_section_paths_follow_numbering_ranks() -> None:
    text = "报告\n一、概况\n（一）职责\n正文。\n二、成效\n正文二。"
    segs = segments(text)
    heads = [text[s.start : s.end] for s in segs]
    paths = {heads[i]: tuple(heads[j] for j in []) for i in range(len(heads))}
    assert paths  # built
    layout = analyse(text)
    by_text = {text[s.start : s.end]: [text[layout.headings[k].start : layout.headings[k].end] for k in s.section] for s in segs}
    assert by_text["正文。"] == ["报告", "一、概况", "（一）职责"]
    assert by_text["正文二。"] == ["报告", "二、成效"]
    gold = [{"start": s.start, "end": s.end, "label": "heading" if s.is_heading else "other"} for s in segs]
    assert section_paths(text, gold)[3] == ("报告", "一、概况", "（一）职责")


def test_sentence_ends_skip_book_titles() -> None:
    assert sentence_ends("读《活着。》后感。") == [len("读《活着。》后感。")]


texts = st.text(alphabet=st.sampled_from(list("一二三、（）()1.。；！？;!?“”《》\n 　正文活动万元人次%-第页")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_segments_are_sorted_disjoint_and_cover_every_non_space_character(text: str) -> None:
    layout = analyse(text)
    segs = segments(text, layout)
    last = 0
    covered = [False] * len(text)
    for s in segs:
        assert last <= s.start < s.end <= len(text)
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()
        for i in range(s.start, s.end):
            covered[i] = True
        last = s.end
    furniture = [False] * len(text)
    for a, b in layout.furniture:
        for i in range(a, b):
            furniture[i] = True
    assert all(covered[i] or furniture[i] for i, ch in enumerate(text) if not ch.isspace())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_string_segments_without_crashing(text: str) -> None:
    for s in segments(text):
        assert text[s.start : s.end].strip() == text[s.start : s.end]


@pytest.mark.parametrize(
    "text, width",
    [
        ("", 0.0),
        ("abc 12", 3.0),  # half-width: half a cell each
        ("绩效评价", 4.0),
        ("（一）", 3.0),  # full-width brackets take a full cell
        ("2024年", 3.0),
        ("\u2e7f\u2e80", 1.5),  # the edge: CJK radicals start at U+2E80
    ],
)
def test_visual_width(text: str, width: float) -> None:
    assert visual_width(text) == width


@given(st.text(max_size=40))
def test_visual_width_counts_every_character(text: str) -> None:
    assert visual_width(text) == sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


@pytest.mark.parametrize(
    "text, ends",
    [
        ("他说：“任务完成了。”随后离开。", ["他说：“任务完成了。”", "随后离开。"]),
        ("《关于加强管理的通知》要求。", ["《关于加强管理的通知》要求。"]),
        ("“一是。‘二是。’”三是。", ["“一是。‘二是。’”三是。"]),  # the outer closer follows a closer, not an end
        ("“未闭合的引号。后文。", ["“未闭合的引号。", "后文。"]),  # a stray opener ends nothing
    ],
)
def test_sentence_ends_around_quotes(text: str, ends: list[str]) -> None:
    offsets = sentence_ends(text)
    assert [text[a:b] for a, b in zip([0] + offsets, offsets)] == ends

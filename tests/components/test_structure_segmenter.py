"""jixiao_structure + jixiao_segmenter on spaCy Docs made by the project's tokenizer."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.components.segmenter  # noqa: F401
import pipeline.components.structure  # noqa: F401
from pipeline.components._spans import ALIGNMENT_LOSS_KEY
from pipeline.errors import ConfigError
from pipeline.text.numbers import numeric_boundaries
from pipeline.tokenizer import JixiaoTokenizer, Segmenter

REPORT = (
    "某县文化馆2023年度部门整体支出绩效自评报告\n"
    "2024年2月\n"
    "一、部门概况\n"
    "（一）主要职责\n"
    "县文化馆承担全县群众文化活动的组织与辅导工作。全年预算收入356.8万元，\n"
    "执行率为98.6%。\n"
    "\n- 2 -\n\n"
    "二、存在的问题\n"
    "部分项目资金支付进度偏慢；绩效目标设置不够细化。\n"
)


def make_nlp(segmenter: Segmenter = Segmenter.jieba):
    nlp = spacy.blank("zh")
    nlp.tokenizer = JixiaoTokenizer(nlp.vocab, segmenter=segmenter, boundaries=numeric_boundaries)
    nlp.add_pipe("jixiao_structure")
    nlp.add_pipe("jixiao_segmenter")
    return nlp


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


def test_segments_headings_sections_and_furniture(nlp) -> None:
    doc = nlp(REPORT)
    segs = [(s.label_, s.text) for s in doc.spans["segments"]]
    assert segs[:4] == [
        ("heading", "某县文化馆2023年度部门整体支出绩效自评报告"),
        ("unlabelled", "2024年2月"),
        ("heading", "一、部门概况"),
        ("heading", "（一）主要职责"),
    ]
    assert ("unlabelled", "全年预算收入356.8万元，\n执行率为98.6%。") in segs
    problem = next(s for s in doc.spans["segments"] if s.text.startswith("部分项目"))
    assert problem._.section == ("某县文化馆2023年度部门整体支出绩效自评报告", "二、存在的问题")
    assert [doc.text[a:b] for a, b in doc._.furniture] == ["- 2 -"]
    assert [h._.level for h in doc.spans["headings"]] == [0, 2, 3, 2]
    assert doc.user_data.get(ALIGNMENT_LOSS_KEY, 0) == 0


def test_segmenter_without_structure_says_what_to_do() -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("jixiao_segmenter")
    with pytest.raises(ConfigError, match="jixiao_structure"):
        nlp("一句话。")


char_nlp = make_nlp(Segmenter.char)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("一二、（）1.。；！？“”《》\n 正文万元人次%-第页3")), max_size=120))
def test_segment_spans_match_their_offsets(text: str) -> None:
    doc = char_nlp(text)
    last = 0
    for span in doc.spans["segments"]:
        assert span.start_char >= last
        assert doc.text[span.start_char : span.end_char] == span.text
        last = span.end_char

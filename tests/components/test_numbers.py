"""`jixiao_numbers` on a blank Chinese pipeline (one token a character)."""

from __future__ import annotations

import pytest
import spacy
from thinc.api import ConfigValidationError
from spacy.tokens import Doc, Span
from spacy.util import registry

from pipeline.components import numbers as numbers_component  # noqa: F401  (registers the factory)
from pipeline.components._spans import ALIGNMENT_LOSS_KEY
from pipeline.errors import ConfigError
from pipeline.text.numbers import numeric_boundaries

TEXT = "全年投入资金1033.89万元，服务群众500余人，预算执行率为95.35%，开展活动十三场。"


@pytest.fixture()
def nlp():
    nlp = spacy.blank("zh")
    nlp.add_pipe("jixiao_numbers")
    return nlp


def ents(doc: Doc) -> list[tuple]:
    return [(e.text, e.label_, e._.value, e._.approx, e._.unit, e._.currency, e._.matched_by) for e in doc.ents]


def test_entities_and_their_values(nlp) -> None:
    assert ents(nlp(TEXT)) == [
        ("1033.89万元", "MONEY", 10338900.0, False, "万元", "CNY", "rule"),
        ("500余人", "PEOPLE_COUNT", 500.0, True, "人", None, "rule"),
        ("95.35%", "PERCENT", 0.9535, False, "%", None, "rule"),
        ("十三场", "QUANTITY", 13.0, False, "场", None, "rule"),
    ]


def test_a_range_sets_value_max(nlp) -> None:
    (ent,) = nlp("每组3至5人。").ents
    assert (ent.text, ent._.value, ent._.value_max) == ("3至5人", 3.0, 5.0)


def test_no_numbers_no_entities(nlp) -> None:
    doc = nlp("2023年度部门整体支出绩效自评报告")
    assert list(doc.ents) == []
    assert ALIGNMENT_LOSS_KEY not in doc.user_data


def test_existing_entities_are_kept_and_win_overlaps(nlp) -> None:
    text = "举办“三场演出季”活动，服务观众800人。"
    doc = nlp.make_doc(text)
    event = doc.char_span(text.index("三"), text.index("季") + 1, label="EVENT")
    doc.ents = [event]
    doc = nlp.get_pipe("jixiao_numbers")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("三场演出季", "EVENT"), ("800人", "PEOPLE_COUNT")]


def test_page_furniture_is_skipped(nlp) -> None:
    text = "服务群众300人次。\n12 人\n新建项目5个。"
    doc = nlp.make_doc(text)
    doc._.furniture = [(text.index("12"), text.index("12") + 4)]
    doc = nlp.get_pipe("jixiao_numbers")(doc)
    assert [e.text for e in doc.ents] == ["300人次", "5个"]


def test_labels_setting_limits_what_is_added() -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("jixiao_numbers", config={"labels": ["PERCENT"]})
    assert [e.label_ for e in nlp(TEXT).ents] == ["PERCENT"]


def test_money_context_window_setting_reaches_the_matcher() -> None:
    text = "专项资金在本年度全部用于采购，计2300万。"
    narrow, wide = spacy.blank("zh"), spacy.blank("zh")
    narrow.add_pipe("jixiao_numbers")
    wide.add_pipe("jixiao_numbers", config={"money_context_window": 30})
    assert list(narrow(text).ents) == []
    assert [(e.text, e.label_) for e in wide(text).ents] == [("2300万", "MONEY")]


def test_extra_classifiers_come_from_the_config() -> None:
    nlp = spacy.blank("zh")
    config = {"patterns": {"@misc": "jixiao.numeric_patterns.v1", "extra_quantity_classifiers": ["羽"]}}
    nlp.add_pipe("jixiao_numbers", config=config)
    assert [(e.text, e.label_) for e in nlp("放飞信鸽300羽。").ents] == [("300羽", "QUANTITY")]


def _coarse_doc(nlp) -> Doc:
    # tokens that cut through the match 50万元, as a word segmenter without boundaries might
    words = ["投入资金50", "万元", "。"]
    return Doc(nlp.vocab, words=words, spaces=[False] * len(words))


@pytest.mark.parametrize("alignment", ["strict", "expand_if_unchanged"])
def test_misaligned_matches_are_counted_not_widened(alignment: str) -> None:
    nlp = spacy.blank("zh")
    component = nlp.add_pipe("jixiao_numbers", config={"alignment": alignment})
    doc = component(_coarse_doc(nlp))
    assert list(doc.ents) == []  # widening would swallow 投入资金: the text would change
    assert doc.user_data[ALIGNMENT_LOSS_KEY] == 1


def test_expansion_is_used_when_it_keeps_the_text() -> None:
    nlp = spacy.blank("zh")
    component = nlp.add_pipe("jixiao_numbers")
    # a zero-width mismatch: the match edge falls inside a token made only of the match
    doc = Doc(nlp.vocab, words=["服务", "300人", "。"], spaces=[False] * 3)
    assert [e.text for e in component(doc).ents] == ["300人"]


def test_tokenizer_boundaries_keep_every_match_aligned() -> None:
    from pipeline.tokenizer import JixiaoTokenizer

    nlp = spacy.blank("zh")
    boundaries = registry.misc.get("jixiao.numeric_boundaries.v1")()
    assert boundaries is numeric_boundaries
    nlp.tokenizer = JixiaoTokenizer(nlp.vocab, segmenter="char", boundaries=boundaries)
    nlp.add_pipe("jixiao_numbers")
    doc = nlp(TEXT)
    assert len(doc.ents) == 4
    assert ALIGNMENT_LOSS_KEY not in doc.user_data


def test_boundaries_follow_a_custom_window() -> None:
    make = registry.misc.get("jixiao.numeric_boundaries.v1")
    text = "专项资金在本年度全部用于采购，计2300万。"
    assert make()(text) == []
    assert make(money_context_window=30)(text) == [text.index("2300"), text.index("万") + 1]


@pytest.mark.parametrize("window", [-1, -100])
def test_a_negative_window_is_a_config_error(window: int) -> None:
    nlp = spacy.blank("zh")
    with pytest.raises(ConfigError, match="money_context_window"):
        nlp.add_pipe("jixiao_numbers", config={"money_context_window": window})


@pytest.mark.parametrize(
    "config",
    [{"labels": ["AWARD"]}, {"alignment": "loose"}, {"money_context_window": "wide"}],
)
def test_invalid_choices_fail_validation(config: dict) -> None:
    nlp = spacy.blank("zh")
    with pytest.raises(ConfigValidationError):
        nlp.add_pipe("jixiao_numbers", config=config)


def test_empty_labels_is_a_config_error() -> None:
    nlp = spacy.blank("zh")
    with pytest.raises(ConfigError, match="labels"):
        nlp.add_pipe("jixiao_numbers", config={"labels": []})


def test_extensions_are_registered() -> None:
    for name in ("value", "value_max", "approx", "unit", "currency", "matched_by"):
        assert Span.has_extension(name)

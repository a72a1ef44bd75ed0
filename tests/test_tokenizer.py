"""The registered tokenizer: jieba (compiled or Python) with a user dictionary, forced boundaries, pkuseg by path."""

from __future__ import annotations

import itertools

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import ConfigError
from pipeline.tokenizer import JixiaoTokenizer, Segmenter, offsets_inside, read_user_dict, split_at


@pytest.mark.parametrize(
    "words, cuts, expected",
    [
        (["开展活动", "12场"], {4}, ["开展活动", "12场"]),
        (["共计1033.89万元"], {2, 11}, ["共计", "1033.89万元"]),
        (["abc"], {1, 2}, ["a", "b", "c"]),
        (["a", "bc"], {0, 3}, ["a", "bc"]),
        ([], {1}, []),
    ],
)
def test_split_at(words, cuts, expected) -> None:
    assert split_at(words, cuts) == expected


def test_tokens_rebuild_the_text_and_respect_boundaries() -> None:
    nlp = spacy.blank("zh")
    text = "全年服务群众3.6万余人次，预算执行率95.35%。\n\n下一步 加强管理"
    tokenizer = JixiaoTokenizer(nlp.vocab, boundaries=lambda t: [t.index("3.6"), t.index("，")])
    doc = tokenizer(text)
    assert doc.text == text
    starts = {t.idx for t in doc}
    assert text.index("3.6") in starts and text.index("，") in starts


@pytest.mark.parametrize("segmenter", [Segmenter.rjieba, Segmenter.jieba])
def test_user_dictionary_keeps_domain_words_whole(tmp_path, segmenter) -> None:
    nlp = spacy.blank("zh")
    userdict = tmp_path / "dict.txt"
    userdict.write_text("绩效自评报告 100 n\n", encoding="utf-8")
    doc = JixiaoTokenizer(nlp.vocab, segmenter=segmenter, user_dict=userdict)("部门绩效自评报告")
    assert "绩效自评报告" in [t.text for t in doc]


@pytest.mark.parametrize(
    "lines, entries",
    [
        ("绩效自评 20 n\n", [("绩效自评", 20, "n")]),
        ("\ufeff执行率 20\n\n", [("执行率", 20, None)]),  # BOM, no tag, blank line
        ("项目支出\n", [("项目支出", None, None)]),
        ("部门 整体\n", [("部门 整体", None, None)]),  # as jieba reads it: one word with a space
        ("Ａ级景区 5 nz\n", [("Ａ级景区", 5, "nz")]),
    ],
)
def test_read_user_dict(tmp_path, lines: str, entries) -> None:
    path = tmp_path / "dict.txt"
    path.write_text(lines, encoding="utf-8")
    assert read_user_dict(path) == entries


REPORT = (
    "2024年，中心围绕绩效目标，共开展培训12期，培训人员1,200人次，预算执行率95.35%。"
    "存在的问题：一是资金拨付进度偏慢；二是绩效指标设置不够细化。\n\n"
    "下一步，我们将进一步加强预算管理，提高资金使用效益。"
)


def test_compiled_jieba_cuts_like_jieba(tmp_path) -> None:
    # the classifier learnt its words from one and may meet the other's
    vocab = spacy.blank("zh").vocab
    compiled = [t.text for t in JixiaoTokenizer(vocab, segmenter=Segmenter.rjieba)(REPORT)]
    original = [t.text for t in JixiaoTokenizer(vocab, segmenter=Segmenter.jieba)(REPORT)]
    assert compiled == original


def test_char_segmenter() -> None:
    doc = JixiaoTokenizer(spacy.blank("zh").vocab, segmenter=Segmenter.char)("绩效")
    assert [t.text for t in doc] == ["绩", "效"]


@pytest.mark.parametrize("model", [None, "/no/such/pkuseg/model"])
def test_pkuseg_without_local_model_is_a_config_error(model) -> None:
    with pytest.raises(ConfigError, match="pkuseg"):
        JixiaoTokenizer(spacy.blank("zh").vocab, segmenter=Segmenter.pkuseg, pkuseg_model=model)


def test_missing_user_dictionary_is_a_config_error(tmp_path) -> None:
    with pytest.raises(ConfigError, match="user dictionary"):
        JixiaoTokenizer(spacy.blank("zh").vocab, user_dict=tmp_path / "none.txt")


def test_bad_segmenter_name_fails_config_validation() -> None:
    import pipeline

    with pytest.raises(Exception, match="segmenter"):
        pipeline.load(overrides={"nlp.tokenizer.segmenter": "whitespace"}, exclude=["jixiao_names", "jixiao_classifier"])


def test_pkuseg_with_a_locally_trained_model(tmp_path) -> None:
    import spacy_pkuseg

    lines = "全年 开展 活动 十二 场 。\n预算 执行率 为 百分之 九十 。\n下一步 加强 管理 。\n" * 30
    (tmp_path / "train.txt").write_text(lines, encoding="utf-8")
    spacy_pkuseg.train(str(tmp_path / "train.txt"), str(tmp_path / "train.txt"), str(tmp_path / "model"), train_iter=2)
    userdict = tmp_path / "dict.txt"
    userdict.write_text("执行率 20 n\n", encoding="utf-8")
    tokenizer = JixiaoTokenizer(spacy.blank("zh").vocab, segmenter=Segmenter.pkuseg, pkuseg_model=tmp_path / "model", user_dict=userdict)
    doc = tokenizer("全年开展活动十二场。")
    assert doc.text == "全年开展活动十二场。"
    assert "活动" in [t.text for t in doc]


@given(
    st.lists(st.text(alphabet="预算ab1", min_size=1, max_size=5), max_size=8),
    st.sets(st.integers(-2, 45), max_size=6),
)
def test_split_at_keeps_the_text_and_adds_exactly_the_cuts(words: list[str], cuts: set[int]) -> None:
    out = split_at(words, cuts)
    text = "".join(words)
    assert "".join(out) == text
    assert all(out)
    boundaries = set(itertools.accumulate(map(len, out), initial=0))
    before = set(itertools.accumulate(map(len, words), initial=0))
    assert boundaries == before | {c for c in cuts if 0 <= c <= len(text)}


def test_a_lone_surrogate_is_replaced_not_fatal() -> None:
    # spaCy's string store refuses one; a JSON escape or surrogateescape produces one
    doc = JixiaoTokenizer(spacy.blank("zh").vocab)("培训12期\udc80参训300人")
    assert doc.text == "培训12期\ufffd参训300人"


@pytest.mark.parametrize(
    "starts, ends, offsets, inside",
    [
        ([0, 2, 5], [2, 5, 6], [3, 4], {1: [3, 4]}),
        ([0, 2, 5], [2, 5, 6], [0, 2, 5, 6], {}),  # unit edges split nothing
        ([0, 2, 5], [2, 5, 6], [-1, 9], {}),  # outside every unit
        ([0, 3], [2, 5], [2, 4, 1], {0: [1], 1: [4]}),  # 2 falls in a gap (a space after a token); order kept
    ],
)
def test_offsets_inside(starts, ends, offsets, inside) -> None:
    assert offsets_inside(starts, ends, offsets) == inside

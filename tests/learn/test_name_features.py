"""Features of the AWARD/EVENT chooser (`pipeline.learn.names`)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction import FeatureHasher

from pipeline.learn.names import FeatureIndices, NameCandidateClassifier, TextIndex, candidate_features, ngram_codes, ngram_of
from pipeline.text.names import candidates

ALPHABET = "第三届全省奖会节展“”「」，。活动举办荣获市文联2024年首期 "
TRAINING_TEXTS = [
    "全市举办第三届读书节和“书香澄川”主题活动，荣获全省文联先进集体称号。",
    "2024年首期青年作家研修班结业，市文联第九次代表大会召开，获一等奖。",
    "开展“送戏下乡”活动活动，举办全省美术作品展展。",
]


def _fitted(labels: tuple[str, ...]) -> NameCandidateClassifier:
    """A chooser fitted on a few texts, each candidate given a label in turn: weights to
    compare scoring paths with, not a useful model."""
    features, y = [], []
    for text in TRAINING_TEXTS:
        for i, c in enumerate(candidates(text, all_starts=True)):
            features.append(candidate_features(text, c))
            y.append(labels[i % len(labels)])
    return NameCandidateClassifier(n_features=2**12).fit(features, y)


FITTED = {n: _fitted(("NONE", "EVENT", "AWARD")[:n]) for n in (2, 3)}


@pytest.mark.parametrize("n_classes", [2, 3])
@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=60))
def test_candidate_scores_equal_the_model_on_the_feature_dicts(n_classes: int, text: str) -> None:
    """`predict_proba_candidates` (running sums, no dicts) gives the probabilities the
    model gives on `candidate_features`, for any text."""
    model = FITTED[n_classes]
    cands = candidates(text, all_starts=True)
    fast = model.predict_proba_candidates(text, cands)
    assert fast.shape == (len(cands), n_classes)
    if cands:
        np.testing.assert_allclose(fast, model.predict_proba([candidate_features(text, c) for c in cands]), atol=1e-5)


@given(st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=20))
def test_feature_columns_are_feature_hasher_columns(features: list[str]) -> None:
    columns = FeatureIndices(2**10)
    hashed = FeatureHasher(n_features=2**10, input_type="string", alternate_sign=False).transform([[f] for f in features])
    assert columns(features) == hashed.indices.tolist()
    assert columns(features) == hashed.indices.tolist()  # asked again: from memory


@given(st.text(alphabet=ALPHABET + "“”", min_size=2, max_size=40))
def test_bigram_columns_are_those_of_the_bigram_strings(text: str) -> None:
    columns = FeatureIndices(2**10)
    expected = columns([f"bg={text[i:i + 2]}" for i in range(len(text) - 1)])
    assert TextIndex(text).bigram_columns(columns).tolist() == expected
    # asked again: from the bigrams waiting to be indexed, then from the index
    assert TextIndex(text).bigram_columns(columns).tolist() == expected
    columns.ngrams("bg=").index_pending()
    assert TextIndex(text).bigram_columns(columns).tolist() == expected
    assert not columns.ngrams("bg=").pending


@given(st.text(min_size=0, max_size=8), st.data())
def test_ngram_codes_stand_for_their_slices(text: str, data) -> None:
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    pairs = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, 3)), max_size=10))
    starts = np.array([a for a, _ in pairs], dtype=np.int64)
    ends = np.array([min(a + k, len(text)) for a, k in pairs], dtype=np.int64)
    codes = ngram_codes(points, starts, ends).tolist()
    assert [ngram_of(c) for c in codes] == [text[a:b] for a, b in zip(starts.tolist(), ends.tolist())]
    assert len(set(codes)) == len({text[a:b] for a, b in zip(starts.tolist(), ends.tolist())})


def test_ngram_columns_are_the_feature_strings_columns_and_memory_stays_bounded(monkeypatch) -> None:
    monkeypatch.setattr(FeatureIndices, "PENDING", 4)
    monkeypatch.setattr(FeatureIndices, "LIMIT", 12)
    columns = FeatureIndices(2**10)
    ending = columns.ngrams("e2=", "|EVENT")
    for text in ["全市举办文化艺术节", "荣获全国文明单位称号", "第五届乡村旅游节开幕", "召开表彰大会"] * 2:
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        ends = np.arange(2, len(text) + 1, dtype=np.int64)
        got = ending(ngram_codes(points, ends - 2, ends)).tolist()
        assert got == columns([f"e2={text[e - 2 : e]}|EVENT" for e in ends.tolist()])
        assert len(ending.index) <= 12 + 4 + len(text) and len(ending.pending) <= len(ending.index) // 8 + 4


def test_a_family_of_templates_shares_one_index_for_short_ngrams() -> None:
    columns = FeatureIndices(2**10)
    family = columns.ngram_family((("b1=", ""), ("e2=", "|AWARD"), ("e2=", "|EVENT")))
    text = "荣获全国文明单位称号"
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    ends = np.arange(2, len(text) + 1, dtype=np.int64)
    codes = np.concatenate([ngram_codes(points, ends - 1, ends), ngram_codes(points, ends - 2, ends)])
    templates = np.repeat([0, 2], len(ends))
    expected = columns([f"b1={text[e - 1 : e]}" for e in ends.tolist()] + [f"e2={text[e - 2 : e]}|EVENT" for e in ends.tolist()])
    assert family(codes, templates).tolist() == expected
    assert family(codes, templates).tolist() == expected  # from memory
    with pytest.raises(ValueError, match="at most 2 characters"):
        family(ngram_codes(points, ends - 2, np.minimum(ends + 1, len(text))), templates[: len(ends)])
    with pytest.raises(ValueError, match="each with its template"):
        family(codes)

"""Features of the AWARD/EVENT chooser (`pipeline.learn.names`)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction import FeatureHasher

from pipeline.learn.names import FeatureIndices, NameCandidateClassifier, TextIndex, candidate_features
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
    ids, bigram_columns = TextIndex(text).bigram_ids(columns)
    assert bigram_columns[ids].tolist() == columns([f"bg={text[i:i + 2]}" for i in range(len(text) - 1)])
    # asked again, from what it remembers
    assert TextIndex(text).bigram_ids(columns)[1].tolist() == bigram_columns.tolist()


@given(st.text(alphabet="第三届全省奖会节展“”「」，。活动举办荣获市文联", max_size=50))
def test_candidate_features_shared_index_matches_direct_reading(text: str) -> None:
    """The per-text index (bigram keys, quote counts) gives what reading each span does."""
    index = TextIndex(text)
    for c in candidates(text, all_starts=True):
        feats = candidate_features(text, c, index)
        span = text[c.start : c.end]
        assert {k for k in feats if k.startswith("bg=")} == {f"bg={span[i:i + 2]}" for i in range(len(span) - 1)}
        quoted = text[c.start - 1 : c.end] if c.start and text[c.start - 1] in "“「『" else span
        opens = sum(quoted.count(q) for q in "“「『")
        assert ("quoted" in feats) == bool(opens)
        assert ("unbalanced_quotes" in feats) == (opens != sum(quoted.count(q) for q in "”」』"))

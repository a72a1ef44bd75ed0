"""`pipeline.learn.counts`: the counts of scikit-learn's vectorizers, computed by numpy and pandas."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from pipeline.learn.counts import CharNgramCounter, FeatureValues, TermCounter, ngram_code, vocabulary_codes

TRAIN = ["预算执行率100%。", "全年举办培训班12期", "Ａ级景区  2家", "加强\n\n管理", "İstanbul 交流"]


def counts_both_ways(train: list[str], texts: list[str], ngram_range=(1, 3), lowercase=True):
    reference = CountVectorizer(analyzer="char", ngram_range=ngram_range, lowercase=lowercase, dtype=np.float32).fit(train)
    ours = CharNgramCounter(reference.vocabulary_, ngram_range=ngram_range, lowercase=lowercase)
    return reference.transform(texts), ours.transform(texts)


@pytest.mark.parametrize(
    "texts",
    [
        TRAIN,
        [""],  # empty text: an empty row
        ["", "预算", ""],
        ["预", "算执"],  # no n-gram may run from one text into the next
        ["没有见过的字"],
        ["加强  \n 管理", "İ"],  # whitespace runs and a letter whose lowercase is longer
    ],
)
@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 3), (2, 3), (3, 3)])
def test_same_counts_as_the_vectorizer(texts, ngram_range) -> None:
    expected, got = counts_both_ways(TRAIN, texts, ngram_range)
    assert got.shape == expected.shape
    assert (got != expected).nnz == 0
    assert got.has_sorted_indices


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="预算执行率%。 \n加强管理Aa1２𝟘", max_size=25), min_size=1, max_size=6))
def test_same_counts_on_any_texts(texts) -> None:
    expected, got = counts_both_ways(TRAIN + texts[:2], texts)
    assert (got != expected).nnz == 0


def test_codes_of_different_lengths_never_collide() -> None:
    assert len({ngram_code(g) for g in ["\x00", "\x00\x00", "\x00\x00\x00", "a", "\x00a", "\x00\x00a"]}) == 6


@pytest.mark.parametrize("bad", [(1, 4), (0, 2), (3, 2)])
def test_ngram_ranges_beyond_three_are_refused(bad) -> None:
    with pytest.raises(ValueError, match="1 to 3"):
        CharNgramCounter({"a": 0}, ngram_range=bad)


@pytest.mark.parametrize(
    "documents",
    [
        [["预算", "执行率"], [], ["执行率", "执行率", "没见过"]],
        [[]],
        [],
        [["a", "A"]],  # terms are taken as they are: no lowercasing
    ],
)
def test_term_counts_are_the_vectorizers(documents) -> None:
    reference = CountVectorizer(analyzer=list, dtype=np.float32).fit([["预算", "执行率", "a"], ["管理"]])
    got = TermCounter(reference.vocabulary_).transform(documents)
    if documents:
        expected = reference.transform(documents)
        assert (got != expected).nnz == 0
    assert got.shape == (len(documents), len(reference.vocabulary_))


def test_the_featurizer_gives_the_vectorizers_matrices(tiny_records) -> None:
    from pipeline.learn.segments import SegmentFeaturizer
    from training.segments import dataset

    contexts, _ = dataset(tiny_records)
    featurizer = SegmentFeaturizer().fit(contexts)
    texts, words, sections, feats = featurizer._parts(contexts)
    expected = sparse.hstack(
        [featurizer.chars_.transform(texts), featurizer.words_.transform(words), featurizer.sections_.transform(sections), featurizer.context_.transform(feats)]
    )
    np.testing.assert_allclose(featurizer.transform(contexts).toarray(), expected.toarray(), rtol=1e-6)
    assert "_counters_cache" in featurizer.__dict__
    assert "_counters_cache" not in featurizer.__getstate__()  # rebuilt after loading, never saved


@pytest.mark.parametrize(
    "rows",
    [
        [{"pos=<=0": 1.0, "digit_share": 0.25}, {}, {"unknown": 3.0, "len=<=15": 1.0}],
        [{}],
        [],
        [{"digit_share": 0.0}],  # an explicit zero
    ],
)
def test_feature_values_are_the_dict_vectorizers(rows) -> None:
    from sklearn.feature_extraction import DictVectorizer

    reference = DictVectorizer(dtype=np.float32).fit([{"pos=<=0": 1.0, "len=<=15": 1.0, "digit_share": 0.5}])
    got = FeatureValues(reference.vocabulary_).transform(rows)
    assert got.shape == (len(rows), len(reference.vocabulary_))
    if rows:
        np.testing.assert_array_equal(got.toarray(), reference.transform(rows).toarray())


@pytest.mark.parametrize("settings", [{}, {"sublinear_tf": True}, {"use_idf": False}, {"norm": None}, {"norm": "l1"}])
def test_tfidf_weights_are_the_vectorizers(settings) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from pipeline.learn.segments import tfidf_weights

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), dtype=np.float32, **settings).fit(TRAIN)
    counts = CharNgramCounter(vectorizer.vocabulary_, ngram_range=(1, 2)).transform(TRAIN + ["没有见过"])
    np.testing.assert_allclose(tfidf_weights(vectorizer, counts).toarray(), vectorizer.transform(TRAIN + ["没有见过"]).toarray(), rtol=1e-6)


@given(st.lists(st.text(alphabet="预算a Ｂ\n𝟘\x00", min_size=1, max_size=3), max_size=20))
def test_vocabulary_codes_are_the_ngram_codes(terms) -> None:
    assert vocabulary_codes(terms).tolist() == [ngram_code(t) for t in terms]


def test_vocabulary_codes_refuse_longer_terms() -> None:
    with pytest.raises(ValueError, match="1 to 3"):
        vocabulary_codes(["预算执行"])

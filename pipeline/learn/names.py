"""The AWARD/EVENT chooser: a linear model that scores rule candidates.

The rule matcher (`pipeline.text.names.candidates`) finds where a name can end and
every place it could start; this estimator learns from the corpus which candidate is
the name (and whether it is one at all), from the characters around its edges, its
head, the cue before it and its content."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression

from ..text.names import Candidate, candidates, quoted_titles, select_non_overlapping, split_prizes, with_titles

NONE = "NONE"
PLACE = re.compile(r"^(?:全国|全省|全市|全县|全区|中国|国家|省|市|县|区|[\u4e00-\u9fff]{1,4}(?:省|市|县|区|镇|乡|街道))")
EDITION = re.compile(r"第[一二三四五六七八九十百零〇两\d]+[届次期]|首届|\d{4}")


class TextIndex:
    """Per-text lookups that every candidate of a text shares (a text yields hundreds of
    candidates, a start or an end ten each): the bigram feature keys, running counts of
    quote marks, and the features that depend on a candidate's start or end alone."""

    def __init__(self, text: str):
        self.text = text
        self.bigrams = ["bg=" + text[i : i + 2] for i in range(max(0, len(text) - 1))]
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        zero = np.zeros(1, dtype=np.int64)
        self.opens = np.concatenate([zero, np.cumsum(np.isin(points, _OPEN_CODES))]).tolist()
        self.closes = np.concatenate([zero, np.cumsum(np.isin(points, _CLOSE_CODES))]).tolist()
        self._at_start: dict[int, dict[str, float]] = {}
        self._at_end: dict[tuple[int, str], dict[str, float]] = {}

    def at_start(self, start: int) -> dict[str, float]:
        feats = self._at_start.get(start)
        if feats is None:
            text = self.text
            before = text[max(0, start - 3) : start]
            feats = {f"b1={before[-1:]}": 1.0, f"b2={before[-2:]}": 1.0, f"b3={before}": 1.0, f"f1={text[start : start + 1]}": 1.0}
            self._at_start[start] = feats
        return feats

    def at_end(self, end: int, label: str) -> dict[str, float]:
        feats = self._at_end.get((end, label))
        if feats is None:
            text = self.text
            after = text[end : end + 2]
            feats = {
                f"e1={text[max(0, end - 1) : end]}|{label}": 1.0,
                f"a1={after[:1]}": 1.0,
                f"a2={after}": 1.0,
            }
            self._at_end[(end, label)] = feats
        return feats


_OPEN_CODES = np.array([ord(q) for q in "“「『"], dtype=np.uint32)
_CLOSE_CODES = np.array([ord(q) for q in "”」』"], dtype=np.uint32)


def candidate_features(text: str, c: Candidate, index: TextIndex | None = None) -> dict[str, float]:
    if index is None or index.text is not text:
        index = TextIndex(text)
    span = text[c.start : c.end]
    feats: dict[str, float] = {
        f"kind={c.label}": 1.0,
        f"cue={c.cue}": 1.0,
        f"cue_kind={c.cue}|{c.label}": 1.0,
        **index.at_start(c.start),
        f"f2={span[:2]}": 1.0,
        **index.at_end(c.end, c.label),
        f"e2={span[-2:]}|{c.label}": 1.0,
        f"e3={span[-3:]}|{c.label}": 1.0,
        f"len={min(len(span), 30) // 3}": 1.0,
    }
    if PLACE.match(span):
        feats["place_start"] = 1.0
    if EDITION.search(span):
        feats["edition_inside"] = 1.0
    if EDITION.match(span):
        feats["edition_start"] = 1.0
    # the opening quote of “…”主题展 sits just before a candidate's start
    first = c.start - 1 if c.start and text[c.start - 1] in "“「『" else c.start
    opens = index.opens[c.end] - index.opens[first]
    closes = index.closes[c.end] - index.closes[first]
    if opens != closes:
        feats["unbalanced_quotes"] = 1.0
    if opens:
        feats["quoted"] = 1.0
    feats.update(dict.fromkeys(index.bigrams[c.start : c.end - 1], 1.0))
    return feats


class NameCandidateClassifier(ClassifierMixin, BaseEstimator):
    """fit(X, y): X a list of feature dicts (`candidate_features`), y AWARD/EVENT/NONE.

    Features are hashed, not looked up: a document yields thousands of candidates, and
    hashing them is several times faster than a vocabulary, with no vocabulary to store."""

    def __init__(self, C: float = 2.0, max_iter: int = 2000, random_state: int = 0, n_features: int = 2**18, class_weight: Any = None):
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state
        self.n_features = n_features

    def fit(self, X: list[dict[str, float]], y: list[str]) -> "NameCandidateClassifier":
        self.vectorizer_ = FeatureHasher(n_features=self.n_features, alternate_sign=False, dtype=np.float32)
        self.model_ = LogisticRegression(C=self.C, max_iter=self.max_iter, random_state=self.random_state, class_weight=self.class_weight)
        self.model_.fit(self.vectorizer_.transform(X), y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: list[dict[str, float]]) -> np.ndarray:
        if not X:
            return np.zeros((0, len(self.classes_)))
        return self.model_.predict_proba(self.vectorizer_.transform(X))

    def predict(self, X: list[dict[str, float]]) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def extract(text: str, model: NameCandidateClassifier, threshold: float = 0.5) -> list[tuple[Candidate, float]]:
    """The names in `text`: candidates the model labels AWARD/EVENT above `threshold`,
    most confident first, never overlapping, prizes won at a competition cut from it
    (`split_prizes`); then the rule's quoted titles (`with_titles`, confidence 1)."""
    cands = candidates(text, all_starts=True)
    if not cands:
        return [(c, 1.0) for c in quoted_titles(text)]
    index = TextIndex(text)
    proba = model.predict_proba([candidate_features(text, c, index) for c in cands])
    classes = list(model.classes_)
    name_proba = proba.copy()
    if NONE in classes:
        name_proba[:, classes.index(NONE)] = -1.0
    best = name_proba.argmax(axis=1)
    best_p = name_proba[np.arange(len(cands)), best]
    scored = [
        (c, float(p))
        for c, j, p in zip(cands, best.tolist(), best_p.tolist())
        if p >= threshold and classes[j] == c.label
    ]
    scored.sort(key=lambda cp: -cp[1])
    confidence = dict(scored)
    # the pieces of a split prize keep the whole's confidence; titles are the rule's (1.0)
    pieces = {piece: confidence[c] for c in select_non_overlapping([c for c, _ in scored]) for piece in split_prizes(text, [c])}
    return [(c, pieces.get(c, 1.0)) for c in with_titles(list(pieces), quoted_titles(text))]

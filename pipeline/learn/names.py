"""The AWARD/EVENT chooser: a linear model that scores rule candidates.

The rule matcher (`pipeline.text.names.candidates`) finds where a name can end and
every place it could start; this estimator learns from the corpus which candidate is
the name (and whether it is one at all), from the characters around its edges, its
head, the cue before it and its content."""

from __future__ import annotations

import functools
import re
from typing import Any, Callable

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression
from sklearn.utils import murmurhash3_32

from .linear import probabilities
from ..text.names import EDITION_RE, Candidate, candidates, quoted_titles, select_non_overlapping, split_prizes, with_titles

NONE = "NONE"
PLACE = re.compile(r"(?:全国|全省|全市|全县|全区|中国|国家|省|市|县|区|[\u4e00-\u9fff]{1,4}(?:省|市|县|区|镇|乡|街道))")


class TextIndex:
    """Per-text lookups that every candidate of a text shares (a text yields hundreds of
    candidates, a start or an end ten each): the bigram feature keys, running counts of
    quote marks, and the features that depend on a candidate's start or end alone."""

    def __init__(self, text: str):
        self.text = text
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        self.points = points
        zero = np.zeros(1, dtype=np.int64)
        self.is_open = np.isin(points, _OPEN_CODES)
        # quote marks before each offset, as arrays: `candidate_scores` indexes them with arrays
        self.opens = np.concatenate([zero, np.cumsum(self.is_open)])
        self.closes = np.concatenate([zero, np.cumsum(np.isin(points, _CLOSE_CODES))])
        self._at_start: dict[int, dict[str, float]] = {}
        self._at_end: dict[tuple[int, str], dict[str, float]] = {}
        self._bigram_ids: tuple[np.ndarray, np.ndarray] | None = None

    @functools.cached_property
    def bigrams(self) -> list[str]:
        """The bigram feature key at each position."""
        text = self.text
        return ["bg=" + text[i : i + 2] for i in range(max(0, len(text) - 1))]

    def bigram_ids(self, columns: "FeatureIndices") -> tuple[np.ndarray, np.ndarray]:
        """(an id for the bigram at each position, the hashed column of each id)."""
        if self._bigram_ids is None:
            points = self.points.astype(np.int64)
            # a bigram as one number: code points are below 2**21
            unique, ids = np.unique((points[:-1] << 21) | points[1:], return_inverse=True)
            self._bigram_ids = (ids.reshape(-1).astype(np.int64), columns.bigrams(unique))
        return self._bigram_ids

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


FLAG_FEATURES = ("place_start", "edition_inside", "edition_start", "unbalanced_quotes", "quoted")
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
    if EDITION_RE.search(span):
        feats["edition_inside"] = 1.0
    if EDITION_RE.match(span):
        feats["edition_start"] = 1.0
    # the opening quote of “…”主题展 sits just before a candidate's start
    first = c.start - 1 if c.start and text[c.start - 1] in "“「『" else c.start
    opens = int(index.opens[c.end] - index.opens[first])
    closes = int(index.closes[c.end] - index.closes[first])
    if opens != closes:
        feats["unbalanced_quotes"] = 1.0
    if opens:
        feats["quoted"] = 1.0
    # counted, so that a span's score is a difference of running sums (`candidate_scores`)
    for bigram in index.bigrams[c.start : c.end - 1]:
        feats[bigram] = feats.get(bigram, 0.0) + 1.0
    return feats


class FeatureIndices:
    """The column FeatureHasher gives each feature string, remembered: a text's
    candidates share most of their feature strings, and so do texts."""

    LIMIT = 1_000_000  # strings remembered; beyond it the memory is cleared, not grown

    def __init__(self, n_features: int):
        self.n_features = n_features
        self.known: dict[str, int] = {}
        self.bigram_codes = np.zeros(0, dtype=np.int64)
        self.bigram_columns = np.zeros(0, dtype=np.int64)

    def column(self, feature: str) -> int:
        """FeatureHasher's column (sklearn/feature_extraction/_hashing_fast.pyx), which
        the tests compare with FeatureHasher itself."""
        h = murmurhash3_32(feature, seed=0)
        if h == -(2**31):
            return (2**31 - 1 - (self.n_features - 1)) % self.n_features
        return abs(h) % self.n_features

    def bigrams(self, codes: np.ndarray) -> np.ndarray:
        """The columns of bigram features given as sorted, distinct numbers
        (first code point << 21) | second: looked up in a sorted array, so that a
        text's thousands of bigrams cost no Python loop once they are known."""
        known, known_columns = self.bigram_codes, self.bigram_columns
        at = np.searchsorted(known, codes)
        found = np.zeros(len(codes), dtype=bool)
        inside = at < len(known)
        found[inside] = known[at[inside]] == codes[inside]
        if not found.all():
            new = codes[~found]
            new_columns = np.array([self.column("bg=" + chr(code >> 21) + chr(code & 0x1FFFFF)) for code in new.tolist()], dtype=np.int64)
            if len(known) + len(new) > self.LIMIT:
                known, known_columns = known[:0], known_columns[:0]
            merged = np.concatenate([known, new])
            order = np.argsort(merged, kind="stable")
            self.bigram_codes, self.bigram_columns = merged[order], np.concatenate([known_columns, new_columns])[order]
            return self.bigrams(codes)
        return known_columns[at]

    def __call__(self, features: list[str]) -> list[int]:
        known = self.known
        if len(known) > self.LIMIT:
            known.clear()
        out = list(map(known.get, features))  # the lookups in C; the few new ones below
        if None in out:
            for i, found in enumerate(out):
                if found is None:
                    feature = features[i]
                    found = known.get(feature)  # the same new feature twice in one call
                    out[i] = known[feature] = found if found is not None else self.column(feature)
        return out


def _group_sums(weights: np.ndarray, columns: FeatureIndices, keys: np.ndarray, features_of: Callable[[int], list[str]]) -> np.ndarray:
    """For each key, the sum of the weight rows of its features, computed once per
    distinct key: one row a key in `keys`, in order."""
    unique, rows = np.unique(keys, return_inverse=True)
    flat: list[str] = []
    offsets: list[int] = []
    for key in unique.tolist():
        offsets.append(len(flat))
        flat += features_of(key)
    return np.add.reduceat(weights[columns(flat)], offsets, axis=0)[rows.reshape(-1)]


_LABELS = ("AWARD", "EVENT")
_CUES = ("quote", "trigger", "edition", "punct", "inner", "title")


def candidate_scores(text: str, cands: list[Candidate], weights: np.ndarray, columns: FeatureIndices, index: TextIndex | None = None) -> np.ndarray:
    """The linear model's decision values (without intercept) for `candidate_features`
    of every candidate, without building them: `weights` is coef_.T (one row a hashed
    column). A candidate's features are those of its start, its end, its cue, its
    length, five flags and the bigrams inside it; the first four are summed once per
    distinct value in the text, the bigrams as differences of a running sum over the
    text. The tests compare the result with the model on `candidate_features`."""
    if index is None or index.text is not text:
        index = TextIndex(text)
    n = len(cands)
    start_at = np.fromiter((c.start for c in cands), dtype=np.int64, count=n)
    end_at = np.fromiter((c.end for c in cands), dtype=np.int64, count=n)
    label_at = np.fromiter((_LABELS.index(c.label) for c in cands), dtype=np.int64, count=n)
    cue_at = np.fromiter((_CUES.index(c.cue) for c in cands), dtype=np.int64, count=n)
    lengths = end_at - start_at

    def cue_features(key: int) -> list[str]:
        cue, label = _CUES[key >> 1], _LABELS[key & 1]
        return [f"kind={label}", f"cue={cue}", f"cue_kind={cue}|{label}"]

    def end_features(key: int) -> list[str]:
        # e3 is the last three characters, or the whole span when it has two
        end, label, last = key >> 3, _LABELS[(key >> 2) & 1], key & 3
        return [*index.at_end(end, label), f"e2={text[end - 2 : end]}|{label}", f"e3={text[end - last : end]}|{label}"]

    scores = _group_sums(weights, columns, (cue_at << 1) | label_at, cue_features)
    scores += _group_sums(weights, columns, start_at, lambda start: [*index.at_start(start), f"f2={text[start : start + 2]}"])
    scores += _group_sums(weights, columns, (end_at << 3) | (label_at << 2) | np.minimum(lengths, 3), end_features)
    scores += _group_sums(weights, columns, np.minimum(lengths, 30) // 3, lambda bucket: [f"len={bucket}"])

    opens, closes = index.opens, index.closes
    # the opening quote of “…”主题展 sits just before a candidate's start
    first = start_at - ((start_at > 0) & index.is_open[np.maximum(start_at - 1, 0)])
    quote_opens = opens[end_at] - opens[first]
    flags = np.column_stack(
        [
            [PLACE.match(text, c.start, c.end) is not None for c in cands],
            [EDITION_RE.search(text, c.start, c.end) is not None for c in cands],
            [EDITION_RE.match(text, c.start, c.end) is not None for c in cands],
            quote_opens != closes[end_at] - closes[first],
            quote_opens > 0,
        ]
    ).astype(weights.dtype)
    scores += flags @ weights[columns(list(FLAG_FEATURES))]

    bigram_ids, bigram_columns = index.bigram_ids(columns)
    running = np.zeros((len(bigram_ids) + 1, weights.shape[1]))
    np.cumsum(weights[bigram_columns][bigram_ids], axis=0, out=running[1:])
    scores += running[end_at - 1] - running[start_at]
    return scores


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

    def __getstate__(self) -> dict[str, Any]:
        # the remembered feature columns are rebuilt on use, and are not saved
        return {k: v for k, v in self.__dict__.items() if not k.endswith("_cache")}

    def predict_proba(self, X: list[dict[str, float]]) -> np.ndarray:
        if not X:
            return np.zeros((0, len(self.classes_)))
        return self.model_.predict_proba(self.vectorizer_.transform(X))

    def predict(self, X: list[dict[str, float]]) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def predict_proba_candidates(self, text: str, cands: list[Candidate], index: TextIndex | None = None) -> np.ndarray:
        """`predict_proba` of the candidates' features (`candidate_scores`)."""
        if not cands:
            return np.zeros((0, len(self.classes_)))
        weights = self.__dict__.get("_weights_cache")
        if weights is None:
            weights = self._weights_cache = np.ascontiguousarray(self.model_.coef_.T)
            self._columns_cache = FeatureIndices(self.n_features)
        return probabilities(candidate_scores(text, cands, weights, self._columns_cache, index) + self.model_.intercept_)


def extract(text: str, model: NameCandidateClassifier, threshold: float = 0.5) -> list[tuple[Candidate, float]]:
    """The names in `text`: candidates the model labels AWARD/EVENT above `threshold`,
    most confident first, never overlapping, prizes won at a competition cut from it
    (`split_prizes`); then the rule's quoted titles (`with_titles`, confidence 1)."""
    cands = candidates(text, all_starts=True)
    if not cands:
        return [(c, 1.0) for c in quoted_titles(text)]
    proba = model.predict_proba_candidates(text, cands)
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

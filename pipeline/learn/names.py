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
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression
from sklearn.utils import murmurhash3_32

from .linear import probabilities
from ..text.codes import code_points, code_set
from ..text.names import EDITION_RE, Candidate, candidates, quoted_titles, select_non_overlapping, split_prizes, with_titles

NONE = "NONE"
PLACE = re.compile(r"(?:全国|全省|全市|全县|全区|中国|国家|省|市|县|区|[\u4e00-\u9fff]{1,4}(?:省|市|县|区|镇|乡|街道))")


class TextIndex:
    """Per-text lookups that every candidate of a text shares (a text yields hundreds of
    candidates, a start or an end ten each): the bigram feature keys, running counts of
    quote marks, and the features that depend on a candidate's start or end alone."""

    def __init__(self, text: str):
        self.text = text
        points = self.points = code_points(text)
        zero = np.zeros(1, dtype=np.int64)
        self.is_open = np.isin(points, _OPEN_CODES)
        # quote marks before each offset, as arrays: `candidate_scores` indexes them with arrays
        self.opens = np.concatenate([zero, np.cumsum(self.is_open)])
        self.closes = np.concatenate([zero, np.cumsum(np.isin(points, _CLOSE_CODES))])
        self._at_start: dict[int, dict[str, float]] = {}
        self._at_end: dict[tuple[int, str], dict[str, float]] = {}
        self._bigram_columns: np.ndarray | None = None

    @functools.cached_property
    def bigrams(self) -> list[str]:
        """The bigram feature key at each position."""
        text = self.text
        return ["bg=" + text[i : i + 2] for i in range(max(0, len(text) - 1))]

    def bigram_columns(self, columns: "FeatureIndices") -> np.ndarray:
        """The hashed column of the bigram at each position."""
        if self._bigram_columns is None:
            starts = np.arange(max(0, len(self.points) - 1), dtype=np.int64)
            self._bigram_columns = columns.ngrams("bg=")(ngram_codes(self.points, starts, starts + 2))
        return self._bigram_columns

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
_OPEN_CODES = code_set("“「『")
_CLOSE_CODES = code_set("”」』")


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

    # strings (and n-grams of a template) remembered; beyond it the memory is cleared, not grown
    LIMIT = 1_000_000
    PENDING = 4096  # new n-grams kept in a dict before they join the index

    def __init__(self, n_features: int):
        self.n_features = n_features
        self.known: dict[str, int] = {}
        self.templates: dict[tuple[tuple[str, str], ...], NgramColumns] = {}

    def column(self, feature: str) -> int:
        """FeatureHasher's column (sklearn/feature_extraction/_hashing_fast.pyx), which
        the tests compare with FeatureHasher itself."""
        h = murmurhash3_32(feature, seed=0)
        if h == -(2**31):
            return (2**31 - 1 - (self.n_features - 1)) % self.n_features
        return abs(h) % self.n_features

    def ngrams(self, prefix: str, suffix: str = "") -> "NgramColumns":
        """The columns of the features prefix + n-gram + suffix, by the n-gram's code."""
        return self.ngram_family(((prefix, suffix),))

    def ngram_family(self, templates: tuple[tuple[str, str], ...]) -> "NgramColumns":
        """One index for the (prefix, suffix) templates of short n-grams (`NgramColumns`)."""
        found = self.templates.get(templates)
        if found is None:
            found = self.templates[templates] = NgramColumns(self, templates)
        return found

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


CODE_BITS = 21  # a code point + 1 fits in 21 bits; three of them in 63


def ngram_codes(points: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """One number for each slice text[start:end] of at most 3 characters (`points`: the
    text's code points): (first + 1) << 42 | (second + 1) << 21 | (third + 1), shifted
    so that slices of different lengths differ, and "" is 0."""
    lengths = ends - starts
    codes = np.zeros(len(starts), dtype=np.int64)
    if not len(points):
        return codes
    last = len(points) - 1
    for k in range(3):
        taken = k < lengths
        char = points[np.minimum(starts + k, last)].astype(np.int64) + 1
        codes = np.where(taken, (codes << CODE_BITS) | char, codes)
    return codes


def ngram_of(code: int) -> str:
    """The slice an `ngram_codes` number stands for."""
    chars = []
    while code:
        chars.append(chr((code & ((1 << CODE_BITS) - 1)) - 1))
        code >>= CODE_BITS
    return "".join(reversed(chars))


SHORT_BITS = 2 * CODE_BITS  # the code of an n-gram of at most 2 characters


class NgramColumns:
    """The hashed columns of the features prefix + n-gram + suffix, found by the
    n-gram's code (`ngram_codes`) in a hash index, so that a text's thousands of
    features cost no Python loop once they are known. N-grams met for the first time
    wait in a dict and join the index in bulk (rebuilding it costs as much as a few
    hundred lookups).

    With several (prefix, suffix) templates, the n-grams are of at most 2 characters and
    each is asked for with its template's number: one lookup serves them all (a lookup
    costs about as much for 500 n-grams as for 5,000)."""

    def __init__(self, owner: FeatureIndices, templates: tuple[tuple[str, str], ...]):
        self.owner, self.templates = owner, templates
        self.index = pd.Index(np.zeros(0, dtype=np.int64))
        self.index_columns = np.zeros(0, dtype=np.int64)
        self.pending: dict[int, int] = {}

    def __call__(self, codes: np.ndarray, templates: np.ndarray | None = None) -> np.ndarray:
        """The column of each n-gram `codes[i]` in template `templates[i]` (the only
        template when there is one)."""
        if len(self.templates) > 1:
            if templates is None or (len(codes) and codes.max() >= 1 << SHORT_BITS):
                raise ValueError("templates share an index only for n-grams of at most 2 characters, each with its template")
            keys = (templates.astype(np.int64) << SHORT_BITS) | codes
        else:
            keys = codes
        at = self.index.get_indexer(keys)
        out = np.zeros(len(keys), dtype=np.int64)
        found = at >= 0
        out[found] = self.index_columns[at[found]]
        missing = np.flatnonzero(~found)
        if len(missing):
            pending, column = self.pending, self.owner.column
            new_columns = []
            for key in keys[missing].tolist():
                found_column = pending.get(key)
                if found_column is None:
                    template, code = (key >> SHORT_BITS, key & ((1 << SHORT_BITS) - 1)) if len(self.templates) > 1 else (0, key)
                    prefix, suffix = self.templates[template]
                    found_column = pending[key] = column(prefix + ngram_of(code) + suffix)
                new_columns.append(found_column)
            out[missing] = new_columns
            if len(pending) > max(self.owner.PENDING, len(self.index) // 8):
                self.index_pending()
        return out

    def index_pending(self) -> None:
        codes = np.fromiter(self.pending.keys(), dtype=np.int64, count=len(self.pending))
        columns = np.fromiter(self.pending.values(), dtype=np.int64, count=len(self.pending))
        if len(self.index) + len(codes) > self.owner.LIMIT:
            self.index, self.index_columns = pd.Index(codes), columns
        else:
            self.index = pd.Index(np.concatenate([self.index.to_numpy(), codes]))
            self.index_columns = np.concatenate([self.index_columns, columns])
        self.pending = {}


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
_SHORT_TEMPLATES = (
    ("b1=", ""), ("b2=", ""), ("f1=", ""), ("f2=", ""), ("a1=", ""), ("a2=", ""),
    *((f"e{k}=", f"|{label}") for k in (1, 2) for label in _LABELS),
)  # in the order of the template numbers `candidate_scores` gives
_CUES = ("quote", "trigger", "edition", "punct", "inner", "title")


def candidate_scores(text: str, cands: list[Candidate], weights: np.ndarray, columns: FeatureIndices, index: TextIndex | None = None) -> np.ndarray:
    """The linear model's decision values (without intercept) for `candidate_features`
    of every candidate, without building them: `weights` is coef_.T (one row a hashed
    column). A candidate's features are those of its cue and length (summed once per
    distinct value in the text), the characters around its start and end (short
    slices of the text, looked up by number in `NgramColumns`), five flags, and the
    bigrams inside it (differences of a running sum over the text). The tests compare
    the result with the model on `candidate_features`."""
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

    scores = _group_sums(weights, columns, (cue_at << 1) | label_at, cue_features)
    scores += _group_sums(weights, columns, np.minimum(lengths, 30) // 3, lambda bucket: [f"len={bucket}"])
    # the features of a candidate's edges are short slices of the text around them
    points, size = index.points, len(text)
    # slices of at most 2 characters, looked up together: (feature, template, start, end)
    short = [
        ("b1", 0, np.maximum(start_at - 1, 0), start_at),
        ("b2", 1, np.maximum(start_at - 2, 0), start_at),
        ("f1", 2, start_at, np.minimum(start_at + 1, size)),
        ("f2", 3, start_at, np.minimum(start_at + 2, size)),
        ("a1", 4, end_at, np.minimum(end_at + 1, size)),
        ("a2", 5, end_at, np.minimum(end_at + 2, size)),
        # the last characters are marked with the label: 'e2=大赛|EVENT'
        ("e1", 6 + label_at, np.maximum(end_at - 1, 0), end_at),
        ("e2", 8 + label_at, end_at - 2, end_at),
    ]
    templates = np.concatenate([np.broadcast_to(t, n) for _, t, _, _ in short])
    codes = np.concatenate([ngram_codes(points, a, b) for _, _, a, b in short])
    found = columns.ngram_family(_SHORT_TEMPLATES)(codes, templates).reshape(len(short), n)
    edge_columns = {name: found[i] for i, (name, _, _, _) in enumerate(short)}
    edge_columns["b3"] = columns.ngrams("b3=")(ngram_codes(points, np.maximum(start_at - 3, 0), start_at))
    last3 = ngram_codes(points, end_at - np.minimum(lengths, 3), end_at)
    edge_columns["e3"] = np.zeros(n, dtype=np.int64)
    for j, label in enumerate(_LABELS):
        rows = label_at == j
        edge_columns["e3"][rows] = columns.ngrams("e3=", f"|{label}")(last3[rows])
    # added in candidate_features' order, so that the sums round as they did
    for name in ("b1", "b2", "b3", "f1", "f2", "a1", "a2", "e1", "e2", "e3"):
        scores += weights[edge_columns[name]]

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

    bigram_columns = index.bigram_columns(columns)
    running = np.zeros((len(bigram_columns) + 1, weights.shape[1]))
    np.cumsum(weights[bigram_columns], axis=0, out=running[1:])
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

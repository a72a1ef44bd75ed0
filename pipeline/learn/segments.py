"""The segment classifier: scikit-learn estimators over segments in their document context.

A segment's label depends on more than its words: 加强… is a remedy under 下一步工作
and an achievement under 主要成效; a sentence after 存在的问题 is likely a problem.
So each segment is described by a *context* (plain dict, built the same way from gold
records at training time and from a Doc at run time) and two estimators follow the
scikit-learn API:

- `SegmentFeaturizer` (transformer): character n-grams and jieba words of the
  segment, words of its section headings, position, enumeration and number cues.
- `StackedSegmentClassifier` (classifier): a linear model over those features, then a
  second linear model over the first one's out-of-fold probabilities for the segment
  and its neighbours — the sequence-aware part (problems are followed by remedies).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from .counts import MAX_N, CharNgramCounter, FeatureValues, TermCounter
from .linear import linear_proba, normalise_rows
from .compact import CompactVocabularyMixin
from .text_features import WordIndex, given_words, normalise_digits, text_words

CLASS_LABELS = ("achievement", "problem", "remedy", "metric", "other")
NEIGHBOURS = (-3, -2, -1, 1, 2, 3)

ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+是|[（(]?[一二三四五六七八九十\d]+[）)、.．])")
MONEY_CUE = re.compile(r"\d\s*(?:万|亿)?元")
PERCENT_CUE = re.compile(r"\d\s*%|百分之")
COUNT_CUE = re.compile(r"\d\s*(?:人|名|位|场|个|项|次|件|家|所)")
SCORE_CUE = re.compile(r"\d\s*分")
FIGURE_CUES = (("money", MONEY_CUE), ("percent", PERCENT_CUE), ("count", COUNT_CUE), ("score", SCORE_CUE))
# What a section heading announces, by the words reports use for it: generalises to
# headings phrased differently from any in the corpus.
HEADING_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("problem", re.compile(r"问题|不足|差距|困难|挑战|短板|风险|偏差|原因")),
    ("remedy", re.compile(r"措施|建议|下一步|打算|计划|思路|安排|重点工作|主要任务|整改|改进|展望|意见|今后|明年|\d{4}年工作")),
    ("achievement", re.compile(r"成效|成绩|成果|完成情况|进展|亮点|做法|主要工作|工作开展|回顾|实现情况|履职")),
    ("metric", re.compile(r"预算|资金|经费|执行|收支|决算|得分|评分|人员|资产|指标|结转|结余|财务")),
    ("other", re.compile(r"概况|基本情况|职责|职能|目标设立|总体目标|依据|方法|评价工作|组织|背景|说明|机构")),
)
FUTURE_CUE = re.compile(r"^(?:下一步|下步|今后|明年|\d{4}年(?:将|要)|将|拟|要|建议|计划)")


def segment_contexts(
    text: str, segments: list[dict[str, Any]], *, words: list[str] | None = None, report_type: str | None = None, doc_id: Any = None
) -> list[dict[str, Any]]:
    """One context dict per segment (headings included, flagged), in text order.

    `segments`: dicts with start, end, label ("heading" for headings) and `section`
    (the heading texts above it, outermost first). `words`: the text cut by
    `text_features.word_tokenizer` (the pipeline's tokenizer already did it at run
    time); cut here when not given."""
    if words is None:
        words = text_words(text)
    index = WordIndex(words)
    contexts: list[dict[str, Any]] = []
    heading_words: dict[str, tuple[str, ...]] = {}
    position = 0
    for seg in segments:
        seg_text = text[seg["start"] : seg["end"]]
        body = strip_enumeration(seg_text)
        marker = len(seg_text) - len(body)
        is_heading = seg["label"] == "heading"
        if is_heading:
            position = 0
            heading_words[seg_text] = tuple(index.between(seg["start"], seg["end"]))
        section = list(seg.get("section") or ())
        if is_heading:
            section.append(seg_text)
        contexts.append(
            {
                "doc_id": doc_id,
                "text": seg_text,
                "body": body,  # the text without its list marker (`strip_enumeration`)
                "words": index.between(seg["start"] + marker, seg["end"]),
                "is_heading": is_heading,
                "section": section,
                "section_words": [heading_words.get(h) or _cut_heading(h) for h in section[-3:]],
                "position": position,
                "starts_paragraph": seg["start"] == 0 or text[seg["start"] - 1].isspace(),
                "report_type": report_type or "unknown",
            }
        )
        if not is_heading:
            position += 1
    return contexts


def strip_enumeration(text: str) -> str:
    """The sentence without its list marker (一是, （二）, 3.): the marker says "a list item",
    which `context_features` keeps as a flag, not which kind of item — left in the
    n-grams it taught the model that lists are problems and remedies."""
    return ENUMERATION.sub("", text, count=1)


class Buckets:
    """The feature naming the bucket a number falls in: "pos=<=3" up to each edge,
    "pos=>6" past the last. The names are made once (every segment asks)."""

    def __init__(self, prefix: str, edges: tuple[int, ...]):
        self.edges = edges
        self.names = [f"{prefix}=<={edge}" for edge in edges] + [f"{prefix}=>{edges[-1]}"]

    def __call__(self, n: int) -> str:
        return self.names[bisect.bisect_left(self.edges, n)]


POSITION_BUCKETS = Buckets("pos", (0, 1, 3, 6))
LENGTH_BUCKETS = Buckets("len", (15, 30, 60, 120))


def context_features(ctx: dict[str, Any]) -> dict[str, float]:
    text = ctx["text"]
    feats: dict[str, float] = {
        POSITION_BUCKETS(ctx["position"]): 1.0,
        LENGTH_BUCKETS(len(text)): 1.0,
        f"type={ctx['report_type']}": 1.0,
        f"ends={text.rstrip()[-1:] or '∅'}": 1.0,
    }
    if ctx["starts_paragraph"]:
        feats["para_start"] = 1.0
    if ENUMERATION.match(text):
        feats["enumerated"] = 1.0
    digits = sum(map(str.isdigit, text))
    # the figure cues all hold a digit, or 百分之: most sentences have neither
    if digits or "百分之" in text:
        for name, cue in FIGURE_CUES:
            found = len(cue.findall(text))
            if found:
                feats[f"cue_{name}"] = 1.0
                feats[f"cue_{name}_n"] = min(found, 5) / 5
    if FUTURE_CUE.match(text):  # anchored at the start: once at most
        feats["cue_future"] = 1.0
        feats["cue_future_n"] = 1 / 5
    for depth, heading in enumerate(reversed(ctx["section"][-3:])):
        for topic in heading_topics(heading):
            feats[f"topic{'0' if depth == 0 else 'x'}={topic}"] = 1.0
    feats["digit_share"] = digits / max(1, len(text))
    return feats


@lru_cache(maxsize=4096)
def heading_topics(heading: str) -> tuple[str, ...]:
    """The topics a heading announces (every segment under it asks)."""
    return tuple(topic for topic, pattern in HEADING_TOPICS if pattern.search(heading))


def section_words(ctx: dict[str, Any]) -> str:
    """The words of the headings above a segment, the nearest marked apart."""
    return _section_words(tuple(ctx["section_words"]))


@lru_cache(maxsize=4096)
def _section_words(section_words: tuple[tuple[str, ...], ...]) -> str:
    # every segment of a section asks for the same string
    words = []
    for depth, heading in enumerate(reversed(section_words)):
        prefix = "h0_" if depth == 0 else "hx_"
        words.extend(prefix + w for w in heading)
    return " ".join(words) or "h_none"


def _cut_heading(heading: str) -> tuple[str, ...]:
    # a section heading that is not among the segments given (a passage cut below it)
    return tuple(normalise_digits(w) for w in text_words(heading) if w.strip())


def _split_words(text: str) -> list[str]:
    return text.split()


class SegmentFeaturizer(CompactVocabularyMixin, TransformerMixin, BaseEstimator):
    """Segment contexts → one sparse feature matrix."""

    _vectorizer_attrs = ("chars_", "words_", "sections_", "context_")

    def __init__(self, char_ngram_min: int = 1, char_ngram_max: int = 3, min_df: int = 2):
        self.char_ngram_min = char_ngram_min
        self.char_ngram_max = char_ngram_max
        self.min_df = min_df

    def _parts(self, contexts: list[dict[str, Any]]):
        texts = [normalise_digits(c["body"]) for c in contexts]
        return texts, [c["words"] for c in contexts], [section_words(c) for c in contexts], [context_features(c) for c in contexts]

    def fit(self, contexts: list[dict[str, Any]], y: Any = None) -> "SegmentFeaturizer":
        texts, words, sections, feats = self._parts(contexts)
        self.chars_ = TfidfVectorizer(
            analyzer="char", ngram_range=(self.char_ngram_min, self.char_ngram_max), min_df=self.min_df, sublinear_tf=True, dtype=np.float32
        ).fit(texts)
        self.words_ = TfidfVectorizer(analyzer=given_words, min_df=self.min_df, sublinear_tf=True, dtype=np.float32).fit(words)
        self.sections_ = TfidfVectorizer(
            tokenizer=_split_words, token_pattern=None, lowercase=False, min_df=1, sublinear_tf=True, dtype=np.float32
        ).fit(sections)
        self.context_ = DictVectorizer(dtype=np.float32).fit(feats)
        return self

    def _counter(self, name: str) -> CharNgramCounter | TermCounter | FeatureValues:
        """The fast counter for the fitted vectorizer `name`: built on first use from its
        vocabulary, never saved (`CompactVocabularyMixin` drops "_cache" attributes)."""
        counters = self.__dict__.setdefault("_counters_cache", {})
        if name not in counters:
            vectorizer = getattr(self, name)
            if name == "chars_":
                counters[name] = CharNgramCounter(
                    vectorizer.vocabulary_, ngram_range=vectorizer.ngram_range, lowercase=vectorizer.lowercase, dtype=vectorizer.dtype
                )
            elif name == "context_":
                counters[name] = FeatureValues(vectorizer.vocabulary_, dtype=vectorizer.dtype)
            else:
                counters[name] = TermCounter(vectorizer.vocabulary_, dtype=vectorizer.dtype)
        return counters[name]

    def _tfidf(self, name: str, documents: list) -> sparse.csr_matrix:
        """`getattr(self, name).transform(documents)`, the counting done by `counts`."""
        vectorizer = getattr(self, name)
        if name == "chars_" and vectorizer.ngram_range[1] > MAX_N:
            return vectorizer.transform(documents)
        if name == "sections_":
            # every segment of a section has the same section words: weigh each distinct
            # string once (a report has a few dozen for hundreds of segments)
            distinct: dict[str, int] = {}
            rows = [distinct.setdefault(d, len(distinct)) for d in documents]
            split = [_split_words(d) for d in distinct]  # the vectorizer's own tokenizer
            return tfidf_weights(vectorizer, self._counter(name).transform(split))[rows]
        return tfidf_weights(vectorizer, self._counter(name).transform(documents))

    def transform(self, contexts: list[dict[str, Any]]):
        texts, words, sections, feats = self._parts(contexts)
        return sparse.hstack(
            [self._tfidf("chars_", texts), self._tfidf("words_", words), self._tfidf("sections_", sections), self._counter("context_").transform(feats)],
            format="csr",
        )


def tfidf_weights(vectorizer: TfidfVectorizer, counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """The fitted `vectorizer`'s weighting of `counts` (its public settings, as scikit-learn's
    TfidfTransformer applies them), without re-validating a matrix built here."""
    if vectorizer.sublinear_tf:
        np.log(counts.data, counts.data)
        counts.data += 1.0
    if vectorizer.use_idf:
        counts.data *= vectorizer.idf_[counts.indices]
    return normalise_rows(counts, vectorizer.norm) if vectorizer.norm else counts


def neighbour_matrix(probas: np.ndarray, doc_ids: list[Any], heading_mask: np.ndarray | None = None) -> np.ndarray:
    """For each row: its own probabilities and those of its neighbours in the same document
    (zeros past the document's ends), plus whether each neighbour is a heading."""
    n, k = probas.shape
    blocks = [probas]
    doc_ids_arr = np.asarray(doc_ids, dtype=object)
    heads = np.zeros(n, dtype=np.float32) if heading_mask is None else heading_mask.astype(np.float32)
    for offset in NEIGHBOURS:
        shifted = np.zeros_like(probas)
        flag = np.zeros((n, 1), dtype=np.float32)
        idx = np.arange(n) + offset
        valid = (idx >= 0) & (idx < n)
        valid[valid] &= doc_ids_arr[idx[valid]] == doc_ids_arr[np.arange(n)[valid]]
        shifted[valid] = probas[idx[valid]]
        flag[valid, 0] = heads[idx[valid]]
        blocks.extend([shifted, flag])
    # what the document (and the stretch since the last heading) is mostly about:
    # a run of plans without headings, as in a government work report, reads as plans
    doc_mean = np.zeros_like(probas)
    section_mean = np.zeros_like(probas)
    start = 0
    for end in range(1, n + 1):
        if end == n or doc_ids_arr[end] != doc_ids_arr[start]:
            rows = slice(start, end)
            body = ~heads[rows].astype(bool)
            if body.any():
                doc_mean[rows] = probas[rows][body].mean(axis=0)
            section_start = start
            for i in range(start, end + 1):
                if i == end or heads[i]:
                    block = slice(section_start, i)
                    if i > section_start:
                        section_mean[block] = probas[block].mean(axis=0)
                    section_start = i + 1
            start = end
    blocks.extend([doc_mean, section_mean])
    return np.hstack(blocks)


class StackedSegmentClassifier(ClassifierMixin, BaseEstimator):
    """Two-pass linear classifier over segment contexts.

    `fit(contexts, y)` takes every segment of every document in text order, headings
    included (their `y` is "heading"; they are context, never predicted), each context
    carrying a `doc_id`. `predict_proba` returns probabilities over `classes_` (the five
    sentence labels) for every context; rows of headings are meaningless and ignored."""

    def __init__(self, char_ngram_min: int = 1, char_ngram_max: int = 3, C: float = 4.0, stack_C: float = 1.0, folds: int = 5, max_iter: int = 2000, random_state: int = 0):
        self.char_ngram_min = char_ngram_min
        self.char_ngram_max = char_ngram_max
        self.C = C
        self.stack_C = stack_C
        self.folds = folds
        self.max_iter = max_iter
        self.random_state = random_state

    def _first(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, max_iter=self.max_iter, class_weight="balanced", random_state=self.random_state)

    def fit(self, contexts: list[dict[str, Any]], y: list[str]) -> "StackedSegmentClassifier":
        y = np.asarray(y, dtype=object)
        heads = np.array([c["is_heading"] for c in contexts])
        docs = [c["doc_id"] for c in contexts]
        self.classes_ = np.array([c for c in CLASS_LABELS if c in set(y[~heads])], dtype=object)
        self.featurizer_ = SegmentFeaturizer(self.char_ngram_min, self.char_ngram_max).fit(contexts)
        X = self.featurizer_.transform(contexts)
        sentence_rows = np.flatnonzero(~heads)
        # Out-of-fold first-pass probabilities, so that the second pass learns how much to
        # trust neighbours' predictions as they will be at run time, not as memorised.
        oof = np.zeros((len(contexts), len(self.classes_)), dtype=np.float64)
        groups = np.asarray(docs, dtype=object)[sentence_rows]
        n_folds = min(self.folds, len(set(groups)))
        if n_folds >= 2:
            for train_idx, test_idx in GroupKFold(n_splits=n_folds).split(sentence_rows, groups=groups):
                model = self._first().fit(X[sentence_rows[train_idx]], y[sentence_rows[train_idx]])
                oof[sentence_rows[test_idx]] = self._align(model, model.predict_proba(X[sentence_rows[test_idx]]))
        self.first_ = self._first().fit(X[sentence_rows], y[sentence_rows])
        if n_folds < 2:
            oof[sentence_rows] = self._align(self.first_, self.first_.predict_proba(X[sentence_rows]))
        Z = neighbour_matrix(oof, docs, heads)
        self.second_ = LogisticRegression(C=self.stack_C, max_iter=self.max_iter, class_weight="balanced", random_state=self.random_state)
        self.second_.fit(Z[sentence_rows], y[sentence_rows])
        return self

    def _align(self, model: LogisticRegression, proba: np.ndarray) -> np.ndarray:
        out = np.zeros((proba.shape[0], len(self.classes_)))
        for j, cls in enumerate(model.classes_):
            out[:, list(self.classes_).index(cls)] = proba[:, j]
        return out

    def first_pass_proba(self, contexts: list[dict[str, Any]]) -> np.ndarray:
        return self._align(self.first_, linear_proba(self.first_, self.featurizer_.transform(contexts)))

    def predict_proba(self, contexts: list[dict[str, Any]]) -> np.ndarray:
        if not contexts:
            return np.zeros((0, len(self.classes_)))
        heads = np.array([c["is_heading"] for c in contexts])
        first = np.zeros((len(contexts), len(self.classes_)))
        sentence_rows = np.flatnonzero(~heads)
        if len(sentence_rows):
            # headings are context only: no features, no first-pass guess
            first[sentence_rows] = self.first_pass_proba([contexts[i] for i in sentence_rows])
        Z = neighbour_matrix(first, [c["doc_id"] for c in contexts], heads)
        return self._align(self.second_, linear_proba(self.second_, Z))

    def predict(self, contexts: list[dict[str, Any]]) -> np.ndarray:
        return self.classes_[self.predict_proba(contexts).argmax(axis=1)]


class LinearSegmentClassifier(StackedSegmentClassifier):
    """The first pass alone: the context-aware linear baseline (approach a)."""

    def fit(self, contexts: list[dict[str, Any]], y: list[str]) -> "LinearSegmentClassifier":
        y = np.asarray(y, dtype=object)
        heads = np.array([c["is_heading"] for c in contexts])
        self.classes_ = np.array([c for c in CLASS_LABELS if c in set(y[~heads])], dtype=object)
        self.featurizer_ = SegmentFeaturizer(self.char_ngram_min, self.char_ngram_max).fit(contexts)
        rows = np.flatnonzero(~heads)
        self.first_ = self._first().fit(self.featurizer_.transform([contexts[i] for i in rows]), y[rows])
        return self

    def predict_proba(self, contexts: list[dict[str, Any]]) -> np.ndarray:
        if not contexts:
            return np.zeros((0, len(self.classes_)))
        return self.first_pass_proba(contexts)

"""Term counts against a fitted vocabulary, computed with numpy and pandas.

A fitted `CountVectorizer`/`TfidfVectorizer` transforms by looking every term of every
sentence up in a dict from Python: character n-grams alone were half of the segment
classifier's time. Here character n-grams are looked up by one pandas hash-index call
per batch (`Index.get_indexer`; a tenth of the time of `np.searchsorted` on a sorted
array, whose binary search misses the cache at every step), other terms by dict lookups
run in C, and the matrix is built by one sort. The counts are the vectorizer's own, so
its tf-idf weighting applies to them unchanged; tests compare the two.

- `CharNgramCounter`: `analyzer="char"` (same preprocessing: lowercase, runs of
  whitespace → one space). Each n-gram (n ≤ 3) is one 64-bit integer made from its
  code points, all of a batch's computed at once by array arithmetic.
- `FeatureValues`: dicts of numeric features, as a fitted `DictVectorizer` reads them.
- `TermCounter`: documents that are already lists of terms (a callable analyzer that
  returns them, or a tokenizer that splits on whitespace).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from ..text.codes import code_points

CODE_BITS = 21  # every Unicode code point + 1 fits in 21 bits; three of them in 63
MAX_N = 3
# the vectorizer's own whitespace rule (sklearn's _white_spaces)
_WHITE_SPACES = re.compile(r"\s\s+")


def ngram_code(ngram: str) -> int:
    """The integer standing for `ngram` (1 to 3 characters). Code points are shifted
    by one so that no n-gram's code equals a shorter one's."""
    if not 1 <= len(ngram) <= MAX_N:
        raise ValueError(f"character n-grams of 1 to {MAX_N} characters have codes, not {ngram!r}")
    code = 0
    for ch in ngram:
        code = (code << CODE_BITS) | (ord(ch) + 1)
    return code


def shifted_code_points(text: str) -> np.ndarray:
    """The code points of `text` plus one (`ngram_code`'s shift), as uint64."""
    return code_points(text).astype(np.uint64) + 1


def vocabulary_codes(terms: list[str]) -> np.ndarray:
    """`ngram_code` of every term, computed a length at a time (a fitted vocabulary holds
    a quarter of a million terms)."""
    lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
    if len(terms) and not ((lengths >= 1) & (lengths <= MAX_N)).all():
        raise ValueError(f"character n-grams of 1 to {MAX_N} characters have codes; the vocabulary has others")
    codes = np.zeros(len(terms), dtype=np.uint64)
    for n in range(1, MAX_N + 1):
        rows = np.flatnonzero(lengths == n)
        if len(rows):
            points = shifted_code_points("".join(terms[i] for i in rows)).reshape(-1, n)
            combined = points[:, 0].copy()
            for k in range(1, n):
                combined = (combined << np.uint64(CODE_BITS)) | points[:, k]
            codes[rows] = combined
    return codes


class CharNgramCounter:
    """Counts of the n-grams of `vocabulary` (term → column) in each text: the matrix
    `CountVectorizer(analyzer="char", ngram_range=ngram_range, lowercase=lowercase,
    vocabulary=vocabulary).transform(texts)` returns."""

    def __init__(self, vocabulary: Mapping[str, int], *, ngram_range: tuple[int, int], lowercase: bool = True, dtype=np.float32):
        low, high = ngram_range
        if not 1 <= low <= high <= MAX_N:
            raise ValueError(f"CharNgramCounter counts n-grams of 1 to {MAX_N} characters, not ngram_range={ngram_range}")
        self.ngram_range = (low, high)
        self.lowercase = lowercase
        self.dtype = dtype
        self.n_features = len(vocabulary)
        self.columns = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))
        self.index = pd.Index(vocabulary_codes(list(vocabulary)))

    def _prepare(self, text: str) -> str:
        if self.lowercase:
            text = text.lower()
        return _WHITE_SPACES.sub(" ", text)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        prepared = [self._prepare(t) for t in texts]
        lengths = np.fromiter((len(t) for t in prepared), dtype=np.int64, count=len(prepared))
        points = shifted_code_points("".join(prepared))
        row_of = np.repeat(np.arange(len(prepared), dtype=np.int64), lengths)
        rows, cols = [], []
        for n in range(self.ngram_range[0], self.ngram_range[1] + 1):
            count = len(points) - n + 1
            if count <= 0:
                continue
            codes = points[:count].copy()
            for k in range(1, n):
                codes = (codes << np.uint64(CODE_BITS)) | points[k : k + count]
            # an n-gram belongs to a text only if it does not run into the next one
            same_text = row_of[:count] == row_of[n - 1 : n - 1 + count]
            at = self.index.get_indexer(codes)
            known = same_text & (at >= 0)
            rows.append(row_of[:count][known])
            cols.append(self.columns[at[known]])
        row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        col = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        return count_matrix(row, col, len(prepared), self.n_features, self.dtype)


class _TermLookup:
    """Terms → columns of a fitted vocabulary, by dict lookups run by `map`, in C: terms are
    few (a sentence's words, a segment's features), and a pandas index of strings would
    convert every batch to its own string type first."""

    def __init__(self, vocabulary: Mapping[str, int], *, dtype=np.float32):
        self.dtype = dtype
        self.n_features = len(vocabulary)
        self.vocabulary = dict(vocabulary)

    def _columns(self, groups: Sequence[Iterable[str]], lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For the terms of every group in turn: the row (group) and column of each known
        term, and which of all the terms are known."""
        terms = itertools.chain.from_iterable(groups)
        at = np.fromiter(map(self.vocabulary.get, terms, itertools.repeat(-1)), dtype=np.int64, count=int(lengths.sum()))
        known = at >= 0
        return np.repeat(np.arange(len(groups), dtype=np.int64), lengths)[known], at[known], known


class TermCounter(_TermLookup):
    """Counts of the terms of `vocabulary` (term → column) in each list of terms: the
    matrix a CountVectorizer fitted with that vocabulary and an analyzer returning those
    lists gives."""

    def transform(self, documents: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
        row, col, _ = self._columns(documents, lengths)
        return count_matrix(row, col, len(documents), self.n_features, self.dtype)


class FeatureValues(_TermLookup):
    """The matrix a fitted `DictVectorizer` with `vocabulary` (feature → column) gives for
    dicts of numeric features: unknown features dropped, every value where its column is."""

    def transform(self, rows: Sequence[Mapping[str, float]]) -> sparse.csr_matrix:
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        row, col, known = self._columns(rows, lengths)
        values = np.fromiter(itertools.chain.from_iterable(map(dict.values, rows)), dtype=np.float64, count=len(known))
        order = np.lexsort((col, row))  # canonical CSR: columns sorted within a row
        return _csr(row[order], col[order], values[known][order], len(rows), self.n_features, self.dtype)


def count_matrix(row: np.ndarray, col: np.ndarray, n_rows: int, n_features: int, dtype) -> sparse.csr_matrix:
    """The CSR matrix counting each (row, col) pair, in canonical form (sorted indices,
    no duplicates): one sort of (row, column) keys, the repeats of a key being its count."""
    width = max(n_features, 1)
    keys, counts = np.unique(row * width + col, return_counts=True)
    return _csr(keys // width, keys % width, counts, n_rows, n_features, dtype)


def _csr(row: np.ndarray, col: np.ndarray, data: np.ndarray, n_rows: int, n_features: int, dtype) -> sparse.csr_matrix:
    """A CSR matrix from entries already in (row, column) order."""
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=n_rows), out=indptr[1:])
    return sparse.csr_matrix((data.astype(dtype), col.astype(np.int32), indptr.astype(np.int32)), shape=(n_rows, n_features))

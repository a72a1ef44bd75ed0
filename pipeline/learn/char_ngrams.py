"""Character n-gram counts against a fitted vocabulary, computed with numpy.

`TfidfVectorizer(analyzer="char").transform` builds every n-gram of every sentence as
a Python string and looks it up in a dict: half of the segment classifier's time.
Here each n-gram (n ≤ 3) is one 64-bit integer made from its code points, all of a
batch's n-grams are computed at once by array arithmetic, and the vocabulary is a
pandas hash index (`Index.get_indexer`: a tenth of the time of `np.searchsorted` on a
sorted array, whose binary search misses the cache on every step). The counts are the vectorizer's own
(same preprocessing: lowercase, runs of whitespace → one space), so the fitted
vectorizer's tf-idf weighting applies to them unchanged; a test compares the two.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

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


def code_points(text: str) -> np.ndarray:
    """The shifted code points of `text`, as uint64."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + 1


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
        codes = np.fromiter((ngram_code(term) for term in vocabulary), dtype=np.uint64, count=len(vocabulary))
        self.columns = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))
        self.index = pd.Index(codes)

    def _prepare(self, text: str) -> str:
        if self.lowercase:
            text = text.lower()
        return _WHITE_SPACES.sub(" ", text)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        prepared = [self._prepare(t) for t in texts]
        lengths = np.fromiter((len(t) for t in prepared), dtype=np.int64, count=len(prepared))
        points = code_points("".join(prepared))
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
        # one sort of (row, column) keys gives the CSR arrays in canonical order, the
        # repeats of a key being its count
        keys, counts = np.unique(row * max(self.n_features, 1) + col, return_counts=True)
        key_rows = keys // max(self.n_features, 1)
        indptr = np.zeros(len(prepared) + 1, dtype=np.int64)
        np.cumsum(np.bincount(key_rows, minlength=len(prepared)), out=indptr[1:])
        return sparse.csr_matrix(
            (counts.astype(self.dtype), (keys % max(self.n_features, 1)).astype(np.int32), indptr.astype(np.int32)),
            shape=(len(prepared), self.n_features),
        )

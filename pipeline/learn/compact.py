"""Vocabularies stored as arrays, so that saved models stay small and load fast.

skops writes a Python dict entry by entry into its JSON schema: a 170,000-term
n-gram vocabulary became 100 MB and seconds of loading. Estimators that hold fitted
vectorizers list them in `_vectorizer_attrs`; their vocabularies travel as one numpy
array of terms each and are rebuilt on load."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np


def _terms(mapping: dict[str, int]) -> np.ndarray:
    ordered = sorted(mapping, key=mapping.__getitem__)
    return np.array(ordered, dtype=str)


class CompactVocabularyMixin:
    _vectorizer_attrs: tuple[str, ...] = ()

    def __getstate__(self) -> dict[str, Any]:
        # "_…_cache" attributes are rebuilt from the saved ones on first use
        state = {k: v for k, v in self.__dict__.items() if not k.endswith("_cache")}
        for name in self._vectorizer_attrs:
            vectorizer = state.get(name)
            if vectorizer is None or not hasattr(vectorizer, "vocabulary_"):
                continue
            slim = copy.copy(vectorizer)
            terms = _terms(slim.vocabulary_)
            del slim.vocabulary_
            if hasattr(slim, "feature_names_"):
                del slim.feature_names_
            if hasattr(slim, "stop_words_"):
                slim.stop_words_ = None  # the terms min_df dropped: not needed to transform
            state[name] = slim
            state[f"{name}terms"] = terms
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        for name in self._vectorizer_attrs:
            terms = state.pop(f"{name}terms", None)
            if terms is None:
                continue
            vectorizer = state[name]
            words = [str(t) for t in terms]
            vectorizer.vocabulary_ = {t: i for i, t in enumerate(words)}
            if vectorizer.__class__.__name__ == "DictVectorizer":
                vectorizer.feature_names_ = words
        self.__dict__.update(state)

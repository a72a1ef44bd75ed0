"""Text as numpy arrays of code points: what the vectorised scans over a document's
characters (name starts, stop characters, n-gram codes) index by str offset."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def code_points(text: str) -> np.ndarray:
    """The text's code points, one per character, so that str offsets index them (a lone
    surrogate included)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def code_set(chars: Iterable[str]) -> np.ndarray:
    """The distinct code points of `chars`, sorted: the second argument of `np.isin`."""
    return np.array(sorted({ord(ch) for ch in chars}), dtype=np.uint32)

"""Text → tokens for the trained models: module-level functions, so models pickle by reference.

(A vectorizer holding `jieba.lcut` itself cannot be pickled: jieba's tokenizer has a lock.)
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

USER_DICT = Path(__file__).resolve().parent.parent / "resources" / "userdict.txt"
_DIGITS = re.compile(r"[0-9０-９]")


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    if USER_DICT.exists():
        tk.load_userdict(str(USER_DICT))
    return tk


def jieba_words(text: str) -> list[str]:
    return [w for w in _tokenizer().lcut(text, HMM=False) if w.strip()]


def normalise_digits(text: str) -> str:
    """Every digit becomes 0: the classifier should learn 'a figure', not 1033.89."""
    return _DIGITS.sub("0", text)

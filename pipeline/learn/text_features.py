"""Text → words for the trained models: module-level functions, so models are saved
with a reference to them, not a copy (a vectorizer holding jieba itself cannot be saved:
jieba's tokenizer has a lock)."""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from functools import lru_cache
from pathlib import Path

from spacy.vocab import Vocab

from ..text.numbers import numeric_boundaries
from ..tokenizer import WORDS_KEY, JixiaoTokenizer, Segmenter

USER_DICT = Path(__file__).resolve().parent.parent / "resources" / "userdict.txt"
# "0" is already itself; a regex beats str.translate on CJK text, which it maps char by char
_NONZERO_DIGITS = re.compile(r"[1-9０-９]")
# the segmenter whose words the classifier learns (see word_tokenizer)
WORD_SEGMENTER = Segmenter.rjieba


@lru_cache(maxsize=1)
def word_tokenizer() -> JixiaoTokenizer:
    """The tokenizer whose words the segment classifier is trained on: jieba (compiled)
    with the domain dictionary and numeric boundaries, as `config.cfg` sets up the pipeline's. The
    classifier reuses the pipeline's words when its tokenizer cuts like this one
    (`cuts_like_word_tokenizer`), and cuts with this one otherwise, so training and run
    time always see the same words."""
    return JixiaoTokenizer(Vocab(), segmenter=WORD_SEGMENTER, user_dict=USER_DICT, boundaries=numeric_boundaries)


def cuts_like_word_tokenizer(tokenizer: object) -> bool:
    """Whether `tokenizer` has `word_tokenizer`'s settings, so its saved words are the ones
    the classifier learnt (checked on settings: building `word_tokenizer` to compare
    would load a second copy of jieba's dictionary)."""
    return (
        isinstance(tokenizer, JixiaoTokenizer)
        and tokenizer.segmenter is WORD_SEGMENTER
        and tokenizer.user_dict is not None
        and tokenizer.user_dict.resolve() == USER_DICT.resolve()
        and tokenizer.boundaries is numeric_boundaries
    )


def text_words(text: str) -> list[str]:
    """The words `word_tokenizer` cuts `text` into (whitespace included)."""
    return word_tokenizer()(text).user_data[WORDS_KEY][1]


class WordIndex:
    """The words of a text with their offsets, whitespace dropped and digits normalised
    once, so that the words of each of a document's hundreds of segments are a slice."""

    def __init__(self, words: list[str]):
        # map/compress rather than a loop over a document's thousands of words
        lengths = list(map(len, words))
        ends = list(itertools.accumulate(lengths))
        kept = list(map(str.strip, words))  # "" for whitespace, which is dropped
        self.starts: list[int] = list(itertools.compress(map(operator.sub, ends, lengths), kept))
        self.ends: list[int] = list(itertools.compress(ends, kept))
        kept_words = list(itertools.compress(words, kept))
        joined = "\0".join(kept_words)
        # one substitution for the document, not one per word, unless a word holds the joiner
        if kept_words and joined.count("\0") == len(kept_words) - 1:
            self.words: list[str] = normalise_digits(joined).split("\0")
        else:
            self.words = list(map(normalise_digits, kept_words))

    def between(self, start: int, end: int) -> list[str]:
        """The words lying wholly inside text[start:end]."""
        return self.words[bisect.bisect_left(self.starts, start) : bisect.bisect_right(self.ends, end)]


def given_words(words: list[str]) -> list[str]:
    """The analyzer of a vectorizer whose documents are already lists of words."""
    return words


def normalise_digits(text: str) -> str:
    """Every digit becomes 0: the classifier should learn 'a figure', not 1033.89."""
    return _NONZERO_DIGITS.sub("0", text)

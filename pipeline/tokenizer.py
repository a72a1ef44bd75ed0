"""The Chinese word tokenizer, registered as `jixiao.tokenizer.v1`.

spaCy's own zh tokenizer passes no user dictionary to jieba, and entity spans must
fall on token boundaries (SpanGroups are not re-indexed when tokens are split later),
so this tokenizer takes a domain dictionary and a `boundaries` function: every offset
it returns becomes a token boundary. The default boundaries are those of the numeric
rule matcher and of sentence ends, which is what keeps every rule entity and every
segment aligned.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import Optional

from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from .errors import ConfigError
from .text.normalize import replace_lone_surrogates

# doc.user_data key: (segmenter, the words the tokenizer cut, before any later split)
WORDS_KEY = "jixiao_words"


class Segmenter(str, Enum):
    # jieba's dictionary, user dictionary and HMM compiled in Rust (the rjieba package):
    # the words of jieba but for number ranges such as 2-3 (one word, not three), at a
    # twentieth of its time. Numeric boundaries split those ranges again anyway.
    rjieba = "rjieba"
    jieba = "jieba"
    pkuseg = "pkuseg"
    char = "char"


Boundaries = Callable[[str], Iterable[int]]


def offsets_inside(starts: list[int], ends: list[int], offsets: Iterable[int]) -> dict[int, list[int]]:
    """By index of unit (word or token, `starts`/`ends` sorted and disjoint), the offsets
    lying strictly inside it, in order: the units a cut must split. Each offset is looked
    up, not each unit, as a report has thousands of units and a few hundred cuts."""
    inside: dict[int, list[int]] = {}
    for offset in sorted(offsets):
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and starts[i] < offset < ends[i]:
            inside.setdefault(i, []).append(offset)
    return inside


def split_at(words: list[str], cuts: set[int]) -> list[str]:
    """Split `words` (which concatenate to a text) so that every offset in `cuts` is a boundary."""
    if not cuts or not words:
        return words
    ends = list(itertools.accumulate(map(len, words)))
    starts = [end - len(word) for end, word in zip(ends, words)]
    inside = offsets_inside(starts, ends, cuts)
    if not inside:
        return words
    out: list[str] = []
    last_word = 0
    for i, found in sorted(inside.items()):
        out.extend(words[last_word:i])
        bounds = [starts[i], *found, ends[i]]
        out.extend(words[i][a - starts[i] : b - starts[i]] for a, b in zip(bounds, bounds[1:]))
        last_word = i + 1
    out.extend(words[last_word:])
    return out


# jieba's own reading of a user dictionary line (jieba.Tokenizer.load_userdict)
_USER_DICT_LINE = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")


def read_user_dict(path: Path) -> list[tuple[str, Optional[int], Optional[str]]]:
    """The (word, frequency, tag) entries of a jieba-format dictionary ("word [freq] [tag]"
    lines), read as jieba's load_userdict reads them."""
    entries = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        match = _USER_DICT_LINE.match(line.strip())
        if match is None:
            continue
        word, freq, tag = match.groups()
        entries.append((word, int(freq) if freq else None, tag.strip() if tag else None))
    return entries


class JixiaoTokenizer:
    def __init__(
        self,
        vocab: Vocab,
        *,
        segmenter: Segmenter = Segmenter.rjieba,
        user_dict: Optional[Path] = None,
        pkuseg_model: Optional[Path] = None,
        boundaries: Optional[Boundaries] = None,
    ):
        self.vocab = vocab
        self.segmenter = Segmenter(segmenter)
        self.user_dict = Path(user_dict) if user_dict else None
        self.pkuseg_model = Path(pkuseg_model) if pkuseg_model else None
        self.boundaries = boundaries
        self._cut = self._make_cutter()

    def _make_cutter(self) -> Callable[[str], list[str]]:
        if self.segmenter is Segmenter.char:
            return list
        if self.segmenter is Segmenter.pkuseg:
            if self.pkuseg_model is None or not self.pkuseg_model.exists():
                raise ConfigError(
                    "pkuseg needs a local model directory; named models cannot be downloaded here",
                    value=str(self.pkuseg_model),
                    fix="train one with spacy_pkuseg.train(...) and set [nlp.tokenizer] pkuseg_model to its path, or use segmenter = \"jieba\"",
                )
            import spacy_pkuseg

            # pkuseg takes a list of words; the jieba-format dictionary has "word freq tag" lines
            words = [word for word, _, _ in read_user_dict(self.user_dict)] if self.user_dict else []
            seg = spacy_pkuseg.pkuseg(str(self.pkuseg_model), user_dict=words)
            return seg.cut
        if self.user_dict is not None and not self.user_dict.exists():
            raise ConfigError("the jieba user dictionary does not exist", value=str(self.user_dict), fix="fix [paths] user_dict in config.cfg")
        if self.segmenter is Segmenter.rjieba:
            import rjieba

            compiled = rjieba.Jieba()
            for word, freq, tag in read_user_dict(self.user_dict) if self.user_dict else ():
                compiled.add_word(word, freq, tag)
            return lambda text: compiled.cut(text, hmm=True)
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        if self.user_dict is not None:
            tk.load_userdict(str(self.user_dict))
        return lambda text: tk.lcut(text, HMM=True)

    def __call__(self, text: str) -> Doc:
        # the readers did it already; texts given to the pipeline directly may not be
        text = replace_lone_surrogates(text)
        words = [w for w in self._cut(text) if w]
        if self.boundaries is not None:
            words = split_at(words, set(self.boundaries(text)))
        # The words concatenate to the text, whitespace included, so whitespace stays as
        # tokens of its own and no word has a trailing space: spaCy's
        # get_words_and_spaces would recover the same text at a third of jieba's cost.
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        doc.user_data["jixiao_text"] = text  # see components/_spans.py: doc_text
        # the classifier's word features are these words: kept so it need not cut again
        doc.user_data[WORDS_KEY] = (self.segmenter.value, words)
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # The pipeline is always rebuilt from config.cfg, so there is no state to save.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "JixiaoTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, **kwargs) -> "JixiaoTokenizer":
        return self


@registry.tokenizers("jixiao.tokenizer.v1")
def create_tokenizer(
    segmenter: Segmenter = Segmenter.rjieba,
    user_dict: Optional[str] = None,
    pkuseg_model: Optional[str] = None,
    boundaries: Optional[Boundaries] = None,
) -> Callable:
    def make(nlp) -> JixiaoTokenizer:
        return JixiaoTokenizer(
            nlp.vocab,
            segmenter=segmenter,
            user_dict=Path(user_dict) if user_dict else None,
            pkuseg_model=Path(pkuseg_model) if pkuseg_model else None,
            boundaries=boundaries,
        )

    return make

"""Turning character offsets into token-aligned spans, counting what does not align."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spacy.tokens import Doc, Span

ALIGNMENT_LOSS_KEY = "jixiao_alignment_loss"


def char_span(doc: Doc, start: int, end: int, label: str = "") -> Span | None:
    """A span for exactly text[start:end]; None (and counted) when tokens cut through it.

    The tokenizer makes rule-entity and sentence offsets token boundaries, so a miss
    here is a tokenizer bug worth seeing in `doc.user_data`, not a silent expansion."""
    span = doc.char_span(start, end, label=label, alignment_mode="strict")
    if span is None:
        doc.user_data[ALIGNMENT_LOSS_KEY] = doc.user_data.get(ALIGNMENT_LOSS_KEY, 0) + 1
    return span


class OccupiedRanges:
    """Half-open ranges already taken, asked whether a new range overlaps any of them.

    Kept merged and sorted, so each question is a binary search: a report holds hundreds
    of entities, and scanning them for every new one was quadratic."""

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in ranges:
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # the ranges that start before `end`
        return start < end and i > 0 and self.ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        if start >= end:  # an empty range takes nothing
            return
        lo = bisect.bisect_left(self.ends, start)  # first range that ends at or after start
        hi = bisect.bisect_right(self.starts, end)  # ranges from lo to hi touch [start, end)
        if lo < hi:
            start = min(start, self.starts[lo])
            end = max(end, self.ends[hi - 1])
        self.starts[lo:hi] = [start]
        self.ends[lo:hi] = [end]


def ensure_boundaries(doc: Doc, offsets: set[int]) -> None:
    """Split tokens so that every character offset in `offsets` is a token boundary.

    spaCy does not re-index span groups when a token is split, so they are saved as
    character offsets and rebuilt afterwards (splitting only adds boundaries, so every
    old span still aligns; extension values are keyed by offsets and survive)."""
    if not offsets or not len(doc):
        return
    # only the tokens holding an offset are looked at: walking every token of a long
    # report for each document cost more than the name model itself
    starts = doc.to_array("IDX").tolist()
    inner: dict[int, list[int]] = {}
    for offset in offsets:
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and starts[i] != offset:
            inner.setdefault(i, []).append(offset)
    to_split = []
    for i, found in sorted(inner.items()):
        token = doc[i]
        start, end = token.idx, token.idx + len(token.text)
        cuts = sorted(o for o in found if start < o < end)
        if cuts:
            to_split.append((i, [start] + cuts + [end]))
    if not to_split:
        return
    saved = {key: [(s.start_char, s.end_char, s.label_) for s in group] for key, group in doc.spans.items()}
    text = doc_text(doc)
    with doc.retokenize() as retokenizer:
        for i, bounds in to_split:
            token = doc[i]
            pieces = [text[a:b] for a, b in zip(bounds, bounds[1:])]
            retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces))
    for key, items in saved.items():
        doc.spans[key] = [doc.char_span(a, b, label=label) for a, b, label in items]


TEXT_KEY = "jixiao_text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, read once per document.

    spaCy rebuilds `doc.text` from every token on each access, which cost more than some
    whole components; the tokenizer stores the text it was given, and the check on the
    last token's end keeps a stale copy from ever being used."""
    cached = doc.user_data.get(TEXT_KEY)
    if cached is not None and len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(cached):
        return cached
    text = doc.text
    doc.user_data[TEXT_KEY] = text
    return text

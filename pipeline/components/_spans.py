"""Turning character offsets into token-aligned spans, counting what does not align."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.tokens import Doc, Span

from ..tokenizer import offsets_inside

ALIGNMENT_LOSS_KEY = "jixiao_alignment_loss"
BOUNDS_KEY = "jixiao_token_bounds"


def token_bounds(doc: Doc) -> tuple[np.ndarray, np.ndarray]:
    """The start and end character offset of every token (read-only arrays).

    Every component asks for them, about ten times a document, and reading them from
    the Doc's arrays costs as much each time: they are kept in `doc.user_data` with the
    token count they were read at. Only retokenizing changes them; a split or a merge
    changes the count, and `ensure_boundaries`, jixiao's one retokenizer, drops them."""
    n = len(doc)
    kept = doc.user_data.get(BOUNDS_KEY)
    if kept is not None and kept[0] == n:
        return kept[1], kept[2]
    if not n:
        starts = ends = np.zeros(0, dtype=np.int64)
    else:
        starts, lengths = doc.to_array(["IDX", "LENGTH"]).astype(np.int64).T
        starts = np.ascontiguousarray(starts)
        ends = starts + lengths
    starts.flags.writeable = False
    ends.flags.writeable = False
    doc.user_data[BOUNDS_KEY] = (n, starts, ends)
    return starts, ends


def char_spans(doc: Doc, items: Sequence[tuple[int, int, str]], *, count_missed: bool = True) -> list[Span | None]:
    """A span for exactly text[start:end] for each (start, end, label); None (and
    counted, unless the caller counts what it cannot mend) where tokens cut through it.
    The tokenizer makes rule-entity and sentence offsets token boundaries, so a miss is
    a tokenizer bug worth seeing in `doc.user_data`, not a silent expansion.

    As `doc.char_span(start, end, label=label)`, strict alignment, but the token offsets
    are read once and each edge found by binary search, where `doc.char_span` builds
    token objects for every call (a document has hundreds of segments and entities)."""
    if not items:
        return []
    n = len(doc)
    starts, ends = token_bounds(doc)
    wanted_starts = np.fromiter((item[0] for item in items), dtype=np.int64, count=len(items))
    wanted_ends = np.fromiter((item[1] for item in items), dtype=np.int64, count=len(items))
    first = np.searchsorted(starts, wanted_starts)
    last = np.searchsorted(ends, wanted_ends)
    aligned = (first < n) & (last < n)
    aligned[aligned] &= (starts[first[aligned]] == wanted_starts[aligned]) & (ends[last[aligned]] == wanted_ends[aligned])
    aligned &= last >= first
    out: list[Span | None] = []
    for (_, _, label), ok, i, j in zip(items, aligned.tolist(), first.tolist(), last.tolist()):
        out.append(Span(doc, i, j + 1, label=label) if ok else None)
    missed = len(out) - int(aligned.sum())
    if missed and count_missed:
        doc.user_data[ALIGNMENT_LOSS_KEY] = doc.user_data.get(ALIGNMENT_LOSS_KEY, 0) + missed
    return out


def entity_token_ranges(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) token indices of `doc.ents`, read from the tokens' IOB codes: the
    `doc.ents` getter builds a Span for every entity and cost as much as a whole
    component (a report has hundreds of numeric entities)."""
    if not len(doc):
        return []
    iob = doc.to_array("ENT_IOB")  # 3 begins an entity, 1 continues it
    starts = np.flatnonzero(iob == 3)
    # an entity runs from its B over the I tokens that follow it
    stops = np.append(np.flatnonzero(iob != 1), len(doc))
    ends = stops[np.searchsorted(stops, starts + 1)]
    return list(zip(starts.tolist(), ends.tolist()))


def token_char_offsets(doc: Doc, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The character offsets of token ranges."""
    if not ranges:
        return []
    starts, ends = token_bounds(doc)
    return [(int(starts[a]), int(ends[b - 1])) for a, b in ranges]


def entity_offsets(doc: Doc) -> list[tuple[int, int, str]]:
    """(start_char, end_char, label) of every entity in `doc.ents`, in order, without
    building the Spans (`entity_token_ranges`)."""
    ranges = entity_token_ranges(doc)
    if not ranges:
        return []
    types = doc.to_array("ENT_TYPE")
    strings = doc.vocab.strings
    return [(start, end, strings[int(types[a])]) for (start, end), (a, _) in zip(token_char_offsets(doc, ranges), ranges)]


def ensure_boundaries(doc: Doc, offsets: set[int]) -> bool:
    """Split tokens so that every character offset in `offsets` is a token boundary;
    True when a token was split (spans taken from the Doc before are then stale).

    spaCy does not re-index span groups when a token is split, so they are saved as
    character offsets and rebuilt afterwards (splitting only adds boundaries, so every
    old span still aligns; extension values are keyed by offsets and survive)."""
    if not offsets or not len(doc):
        return False
    # only the tokens holding an offset are looked at: walking every token of a long
    # report for each document cost more than the name model itself
    starts, ends = (bounds.tolist() for bounds in token_bounds(doc))
    to_split = [(i, [starts[i], *found, ends[i]]) for i, found in sorted(offsets_inside(starts, ends, offsets).items())]
    if not to_split:
        return False
    saved = {key: [(s.start_char, s.end_char, s.label_) for s in group] for key, group in doc.spans.items()}
    text = doc_text(doc)
    doc.user_data.pop(BOUNDS_KEY, None)
    with doc.retokenize() as retokenizer:
        for i, bounds in to_split:
            token = doc[i]
            pieces = [text[a:b] for a, b in zip(bounds, bounds[1:])]
            retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces))
    for key, items in saved.items():
        doc.spans[key] = char_spans(doc, items)
    return True


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

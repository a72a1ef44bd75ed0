"""`ensure_boundaries`: tokens split at the asked offsets, span groups kept."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from hypothesis import given
from hypothesis import strategies as st

from pipeline.components._spans import OccupiedRanges, ensure_boundaries

WORDS = ["今年", "举办", "第五届乡村", "文化艺术节", "。"]
TEXT = "".join(WORDS)


def make_doc() -> Doc:
    nlp = spacy.blank("zh")
    doc = Doc(nlp.vocab, words=WORDS, spaces=[False] * len(WORDS))
    doc.spans["segments"] = [doc.char_span(0, len(TEXT), label="achievement")]
    return doc


@pytest.mark.parametrize(
    "offsets, tokens",
    [
        (set(), WORDS),
        ({0, 2, len(TEXT)}, WORDS),  # already boundaries
        ({7}, ["今年", "举办", "第五届", "乡村", "文化艺术节", "。"]),
        ({5, 7}, ["今年", "举办", "第", "五届", "乡村", "文化艺术节", "。"]),
        ({7, 11, 12}, ["今年", "举办", "第五届", "乡村", "文化艺术节"[:2], "文化艺术节"[2:3], "文化艺术节"[3:], "。"]),
        ({99, -3}, WORDS),  # outside the text: nothing to do
    ],
)
def test_tokens_split_at_offsets(offsets: set[int], tokens: list[str]) -> None:
    doc = make_doc()
    ensure_boundaries(doc, offsets)
    assert [t.text for t in doc] == tokens
    assert doc.text == TEXT
    (segment,) = doc.spans["segments"]
    assert (segment.start_char, segment.end_char, segment.label_) == (0, len(TEXT), "achievement")


@pytest.mark.parametrize(
    "taken, query, overlaps",
    [
        ([], (0, 5), False),
        ([(2, 4)], (0, 2), False),  # touching is not overlapping
        ([(2, 4)], (4, 6), False),
        ([(2, 4)], (3, 3), False),  # an empty range overlaps nothing
        ([(3, 3)], (2, 4), False),  # and takes nothing
        ([(2, 4)], (1, 3), True),
        ([(2, 4)], (0, 9), True),  # covers it
        ([(2, 4), (6, 8)], (4, 6), False),  # the gap between two
        ([(6, 8), (2, 4)], (5, 7), True),  # added out of order
        ([(2, 4), (4, 6)], (3, 5), True),  # adjacent ranges merged
    ],
)
def test_occupied_ranges(taken, query, overlaps) -> None:
    assert OccupiedRanges(taken).overlaps(*query) is overlaps


@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=12),
    st.tuples(st.integers(0, 30), st.integers(0, 30)),
)
def test_occupied_ranges_agree_with_a_scan(taken, query) -> None:
    occupied = OccupiedRanges()
    for start, end in taken:
        occupied.add(start, end)
    start, end = query
    assert occupied.overlaps(start, end) == (start < end and any(start < e and s < end for s, e in taken if s < e))

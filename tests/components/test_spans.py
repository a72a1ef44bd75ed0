"""`ensure_boundaries`: tokens split at the asked offsets, span groups kept."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from hypothesis import given
from hypothesis import strategies as st

from pipeline.components._spans import (
    ALIGNMENT_LOSS_KEY,
    char_spans,
    ensure_boundaries,
    entity_offsets,
    entity_token_ranges,
    token_bounds,
    token_char_offsets,
)

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
    split = ensure_boundaries(doc, offsets)
    assert [t.text for t in doc] == tokens
    assert split is (tokens != WORDS)
    assert doc.text == TEXT
    (segment,) = doc.spans["segments"]
    assert (segment.start_char, segment.end_char, segment.label_) == (0, len(TEXT), "achievement")


@given(
    words=st.lists(st.text(alphabet="文化节 。", min_size=1, max_size=3), min_size=0, max_size=8),
    offsets=st.lists(st.tuples(st.integers(-2, 26), st.integers(-2, 26)), max_size=12),
)
def test_char_spans_are_spacys_strict_char_spans(words: list[str], offsets: list[tuple[int, int]]) -> None:
    doc = Doc(spacy.blank("xx").vocab, words=words, spaces=[False] * len(words))
    got = char_spans(doc, [(start, end, "X") for start, end in offsets])
    for (start, end), span in zip(offsets, got):
        expected = doc.char_span(start, end, label="X") if 0 <= start < end <= len(doc.text) else None
        assert (span is None) == (expected is None), (start, end)
        if span is not None:
            assert (span.start, span.end, span.label_) == (expected.start, expected.end, "X")
    assert doc.user_data.get(ALIGNMENT_LOSS_KEY, 0) == sum(span is None for span in got)
    uncounted = Doc(doc.vocab, words=words, spaces=[False] * len(words))
    assert [(s.start, s.end) if s else None for s in char_spans(uncounted, [(a, b, "X") for a, b in offsets], count_missed=False)] == [
        (s.start, s.end) if s else None for s in got
    ]
    assert ALIGNMENT_LOSS_KEY not in uncounted.user_data


def bounds_read_afresh(doc: Doc) -> tuple[list[int], list[int]]:
    return [t.idx for t in doc], [t.idx + len(t) for t in doc]


def test_token_bounds_follow_every_retokenizing() -> None:
    doc = make_doc()
    assert tuple(map(list, token_bounds(doc))) == bounds_read_afresh(doc)
    ensure_boundaries(doc, {7, 12})  # jixiao's own split
    assert tuple(map(list, token_bounds(doc))) == bounds_read_afresh(doc)
    with doc.retokenize() as retokenizer:  # anyone else's merge
        retokenizer.merge(doc[0:2])
    assert tuple(map(list, token_bounds(doc))) == bounds_read_afresh(doc)
    starts, _ = token_bounds(doc)
    with pytest.raises(ValueError):
        starts[0] = 5  # shared by every caller: read-only
    assert tuple(map(list, token_bounds(Doc(doc.vocab, words=[])))) == ([], [])


@given(
    n_words=st.integers(0, 12),
    wanted=st.lists(st.tuples(st.integers(0, 12), st.integers(1, 3), st.sampled_from(["MONEY", "EVENT"])), max_size=6),
)
def test_entity_token_ranges_are_the_ents(n_words: int, wanted: list[tuple[int, int, str]]) -> None:
    words = ["万元", "举办", "文化节", " ", "。"] * 3
    doc = Doc(spacy.blank("xx").vocab, words=words[:n_words], spaces=[False] * n_words)
    ents, taken = [], set()
    for start, length, label in wanted:
        end = min(start + length, n_words)
        if start < end and not taken & set(range(start, end)):
            taken |= set(range(start, end))
            ents.append(doc[start:end])
            ents[-1].label_ = label
    doc.set_ents(ents[: len(ents) // 2])
    doc.set_ents(ents[len(ents) // 2 :], default="unmodified")  # added later, as the components do
    assert entity_token_ranges(doc) == [(e.start, e.end) for e in doc.ents]
    assert token_char_offsets(doc, entity_token_ranges(doc)) == [(e.start_char, e.end_char) for e in doc.ents]
    assert entity_offsets(doc) == [(e.start_char, e.end_char, e.label_) for e in doc.ents]

"""`ensure_boundaries`: tokens split at the asked offsets, span groups kept."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from pipeline.components._spans import ensure_boundaries

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

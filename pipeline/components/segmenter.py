"""`jixiao_segmenter`: sentences and heading lines → `doc.spans["segments"]`."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import set_span_value
from ..text.structure import Heading, Layout, segments
from ._spans import char_spans, doc_text
from .structure import BYLINE_LABEL, HEADINGS, PARAGRAPHS

SEGMENTS = "segments"
HEADING_LABEL = "heading"
# The label a sentence carries until `jixiao_classifier` gives it one.
UNLABELLED = "unlabelled"


class Segmenter:
    """Cuts every paragraph into sentences as ANNOTATION.md §1 defines them and adds the
    heading lines, in text order, each with `span._.section`: the texts of the headings
    it stands under, outermost first. Runs after `jixiao_structure`."""

    def __init__(self, nlp: Language, name: str = "jixiao_segmenter"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if PARAGRAPHS not in doc.spans or HEADINGS not in doc.spans:
            from ..errors import ConfigError

            raise ConfigError(
                "jixiao_segmenter needs the paragraphs and headings of jixiao_structure",
                value=list(doc.spans.keys()),
                fix="put jixiao_structure before jixiao_segmenter in [nlp] pipeline",
            )
        heading_spans = list(doc.spans[HEADINGS])
        text = doc_text(doc)
        layout = Layout(
            text=text,
            furniture=list(doc._.furniture or []),
            paragraphs=[(s.start_char, s.end_char) for s in doc.spans[PARAGRAPHS] if s.label_ != BYLINE_LABEL],
            headings=[Heading(s.start_char, s.end_char, s.label_, s._.level or 0) for s in heading_spans],
            byline=[(s.start_char, s.end_char) for s in doc.spans[PARAGRAPHS] if s.label_ == BYLINE_LABEL],
        )
        # sliced from the text: a Span's .text walks its tokens, for every segment
        heading_texts = [text[s.start_char : s.end_char] for s in heading_spans]
        found = segments(text, layout)
        spans = char_spans(doc, [(s.start, s.end, HEADING_LABEL if s.is_heading else UNLABELLED) for s in found])
        out = []
        for segment, span in zip(found, spans):
            if span is not None:
                set_span_value(doc, "section", segment.start, segment.end, tuple(heading_texts[k] for k in segment.section))
                out.append(span)
        doc.spans[SEGMENTS] = out
        return doc


@Language.factory("jixiao_segmenter")
def make_segmenter(nlp: Language, name: str) -> Segmenter:
    return Segmenter(nlp, name)

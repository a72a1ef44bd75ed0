"""`jixiao_structure`: page furniture, paragraphs and headings with their levels."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import set_span_value
from ..text.structure import analyse
from ._spans import char_spans, doc_text

PARAGRAPHS = "paragraphs"
HEADINGS = "headings"
BYLINE_LABEL = "byline"
PARAGRAPH_LABEL = "paragraph"


class StructureRecognizer:
    """Recovers the layout that extraction flattened, without moving a character.

    Writes `doc._.furniture` (page numbers, running headers as (start, end) offsets),
    `doc.spans["paragraphs"]` (wrapped lines and page breaks rejoined; title-block
    bylines and dates labelled "byline") and `doc.spans["headings"]` (span label = the
    numbering style, `span._.level` = its rank, 0 for the title block)."""

    def __init__(self, nlp: Language, name: str = "jixiao_structure", *, detect_furniture: bool = True):
        self.name = name
        self.detect_furniture = detect_furniture

    def __call__(self, doc: Doc) -> Doc:
        layout = analyse(doc_text(doc), detect_furniture=self.detect_furniture)
        doc._.furniture = list(layout.furniture)
        blocks = sorted([(s, e, PARAGRAPH_LABEL) for s, e in layout.paragraphs] + [(s, e, BYLINE_LABEL) for s, e in layout.byline])
        doc.spans[PARAGRAPHS] = [span for span in char_spans(doc, blocks) if span is not None]
        headings = []
        for heading, span in zip(layout.headings, char_spans(doc, [(h.start, h.end, h.style) for h in layout.headings])):
            if span is not None:
                set_span_value(doc, "level", heading.start, heading.end, heading.rank)
                headings.append(span)
        doc.spans[HEADINGS] = headings
        return doc


@Language.factory("jixiao_structure", default_config={"detect_furniture": True})
def make_structure(nlp: Language, name: str, detect_furniture: bool) -> StructureRecognizer:
    return StructureRecognizer(nlp, name, detect_furniture=detect_furniture)

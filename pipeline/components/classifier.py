"""`jixiao_classifier`: a trained label and per-label scores for every sentence segment."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..extensions import set_span_value, span_value
from ._spans import doc_text
from ..learn.persist import load_model
from ..learn.segments import segment_contexts
from ..learn.text_features import WORD_SEGMENTER, cuts_like_word_tokenizer
from ..tokenizer import WORDS_KEY
from .metadata import detect_report_type
from .segmenter import HEADING_LABEL, SEGMENTS

TITLE_WINDOW = 4


def report_type_of(segments: Iterable[tuple[str, str]]) -> str | None:
    """The genre feature of a document from its first segments as (label, text) pairs.

    Training (`training/segments.py`) and this component both call it, so the feature
    is computed the same way from gold records and from Docs."""
    # joined with "", as jixiao_metadata does, so a title wrapped over two lines still names its genre
    head = "".join(text for label, text in islice(segments, TITLE_WINDOW) if label == HEADING_LABEL)
    return detect_report_type(head)


class SegmentClassifier:
    """Wraps the scikit-learn `StackedSegmentClassifier` saved in `model` (see
    `pipeline/learn/segments.py`). Headings keep their label; every other segment gets
    the argmax label and `span._.scores` over the five sentence labels (heading 0)."""

    def __init__(self, nlp: Language, name: str = "jixiao_classifier", *, model: Path):
        self.name = name
        self.model_dir = Path(model)
        self.model, self.meta = load_model(self.model_dir)
        self.labels = [str(c) for c in self.model.classes_]
        # the model learnt the words of `word_tokenizer`: reuse the pipeline's when its
        # tokenizer cuts the same way, else cut again (pkuseg, char, other dictionaries)
        self.reuse_words = cuts_like_word_tokenizer(nlp.tokenizer)

    def words(self, doc: Doc) -> list[str] | None:
        saved = doc.user_data.get(WORDS_KEY)
        if self.reuse_words and saved is not None and saved[0] == WORD_SEGMENTER.value:
            return saved[1]
        return None  # segment_contexts cuts them

    def __call__(self, doc: Doc) -> Doc:
        segments = list(doc.spans[SEGMENTS]) if SEGMENTS in doc.spans else []
        if not segments:
            return doc
        text = doc_text(doc)
        records = [
            {"start": s.start_char, "end": s.end_char, "label": s.label_, "section": span_value(doc, "section", s.start_char, s.end_char) or ()}
            for s in segments
        ]
        contexts = segment_contexts(
            text, records, words=self.words(doc), report_type=report_type_of((r["label"], text[r["start"] : r["end"]]) for r in records), doc_id=0
        )
        probas = self.model.predict_proba(contexts)
        heading_scores = dict.fromkeys(self.labels, 0.0)
        heading_scores[HEADING_LABEL] = 1.0
        labelled = []
        # argmax takes the first of equal scores, as max() over the labels did
        for span, ctx, row, best in zip(segments, contexts, probas.tolist(), probas.argmax(axis=1).tolist()):
            if ctx["is_heading"]:
                scores = dict(heading_scores)
                label = HEADING_LABEL
            else:
                scores = dict(zip(self.labels, row))
                scores[HEADING_LABEL] = 0.0
                label = self.labels[best]
            labelled.append(Span(doc, span.start, span.end, label=label))
            set_span_value(doc, "scores", span.start_char, span.end_char, scores)
        doc.spans[SEGMENTS] = labelled
        return doc


@Language.factory("jixiao_classifier", default_config={"model": "models/segment_classifier"})
def make_classifier(nlp: Language, name: str, model: Path) -> SegmentClassifier:
    return SegmentClassifier(nlp, name, model=model)

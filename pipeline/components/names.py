"""`jixiao_names`: AWARD and EVENT names, by rules or by rule candidates plus a trained chooser."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import set_span_value
from ..learn.names import extract
from ..learn.persist import load_model
from ..text.names import best_guess
from ..text.ranges import OccupiedRanges
from ._spans import char_spans, doc_text, ensure_boundaries, entity_token_ranges, token_char_offsets


class NamesMode(str, Enum):
    rules = "rules"  # the rule matcher's best guess, no model
    hybrid = "hybrid"  # rule candidates, each head × its plausible starts, ranked by the trained chooser


class NameRecognizer:
    """Adds AWARD/EVENT entities to `doc.ents` without touching the numeric ones
    (a name that overlaps an existing entity is dropped). Sets `span._.matched_by` to
    "rule" or "model". Splits tokens where a name edge falls inside one, so it must run
    before the components that create span groups."""

    def __init__(self, nlp: Language, name: str = "jixiao_names", *, model: Path, mode: NamesMode = NamesMode.hybrid, threshold: float = 0.5):
        self.name = name
        self.mode = NamesMode(mode)
        self.threshold = threshold
        self.model = None
        self.meta: dict = {}
        if self.mode is NamesMode.hybrid:
            self.model, self.meta = load_model(Path(model))
            self.threshold = float(self.meta.get("threshold", threshold))

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        if self.mode is NamesMode.rules:
            return [(c.start, c.end, c.label, "rule") for c in best_guess(text)]
        # quoted titles are the rule's own (`quoted_titles`), the rest the chooser's
        return [(c.start, c.end, c.label, "rule" if c.cue == "title" else "model") for c, _ in extract(text, self.model, self.threshold)]

    def __call__(self, doc: Doc) -> Doc:
        taken = OccupiedRanges(token_char_offsets(doc, entity_token_ranges(doc)) + list(doc._.furniture or []))
        found = [f for f in self.find(doc_text(doc)) if not taken.overlaps(f[0], f[1])]
        if not found:
            return doc
        ensure_boundaries(doc, {o for f in found for o in f[:2]})
        names = []
        for (start, end, _, by), span in zip(found, char_spans(doc, [f[:3] for f in found])):
            if span is not None:
                set_span_value(doc, "matched_by", start, end, by)
                names.append(span)
        doc.set_ents(names, default="unmodified")  # the numeric entities stay
        return doc


@Language.factory("jixiao_names", default_config={"model": "models/names", "mode": "hybrid", "threshold": 0.5})
def make_names(nlp: Language, name: str, model: Path, mode: NamesMode, threshold: float) -> NameRecognizer:
    return NameRecognizer(nlp, name, model=model, mode=mode, threshold=threshold)

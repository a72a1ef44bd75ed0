"""`jixiao_numbers`: MONEY / PEOPLE_COUNT / PERCENT / QUANTITY by rules, with normalised values.

The rules and their word lists live in `pipeline/text/numbers.py` (spaCy-free); this
module registers them with spaCy:

- `@misc = "jixiao.numeric_patterns.v1"`: the matcher's data (classifiers, money units,
  context words, stop-lists), with optional extra words from the config;
- `@misc = "jixiao.numeric_boundaries.v1"`: the function the tokenizer uses to make every
  numeric match offset a token boundary, so that no entity is lost to alignment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from enum import Enum
from functools import partial
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from ..extensions import set_span_values
from ..errors import ConfigError
from ..text.numbers import (
    DEFAULT_PATTERNS,
    NumericMatch,
    NumericPatterns,
    find_numeric_spans,
    numeric_boundaries,
)
from ..text.ranges import OccupiedRanges
from ._spans import ALIGNMENT_LOSS_KEY, char_spans, doc_text, entity_token_ranges


class NumericLabel(str, Enum):
    MONEY = "MONEY"
    PEOPLE_COUNT = "PEOPLE_COUNT"
    PERCENT = "PERCENT"
    QUANTITY = "QUANTITY"


class Alignment(str, Enum):
    """What to do with a match whose edges fall inside a token."""

    strict = "strict"  # count it in doc.user_data["jixiao_alignment_loss"] and drop it
    expand_if_unchanged = "expand_if_unchanged"  # widen to whole tokens if that keeps its text, else as strict


ALL_LABELS = [label.value for label in NumericLabel]


@registry.misc("jixiao.numeric_patterns.v1")
def numeric_patterns(
    extra_people_classifiers: list[str] = [],  # noqa: B006 (config values are never mutated)
    extra_quantity_classifiers: list[str] = [],  # noqa: B006
    extra_money_context: list[str] = [],  # noqa: B006
    extra_slogans: list[str] = [],  # noqa: B006
) -> NumericPatterns:
    """The default patterns, plus words a deployment needs (a local classifier, a local slogan)."""
    p = DEFAULT_PATTERNS
    return replace(
        p,
        people_classifiers=p.people_classifiers + tuple(extra_people_classifiers),
        quantity_classifiers=p.quantity_classifiers + tuple(extra_quantity_classifiers),
        money_context=p.money_context + tuple(extra_money_context),
        slogans=p.slogans + tuple(extra_slogans),
    )


@registry.misc("jixiao.numeric_boundaries.v1")
def make_numeric_boundaries(
    patterns: Optional[NumericPatterns] = None, money_context_window: Optional[int] = None
) -> Callable[[str], list[int]]:
    """The tokenizer's boundaries. Give it the component's settings when they differ from the
    defaults (`money_context_window = ${components.jixiao_numbers.money_context_window}`), or a
    bare 万 match the component finds may not fall on token edges."""
    if patterns is None and money_context_window is None:
        return numeric_boundaries
    chosen = patterns or DEFAULT_PATTERNS
    if money_context_window is not None:
        chosen = replace(chosen, money_context_window=money_context_window)
    return partial(numeric_boundaries, patterns=chosen)


class NumericEntityRecognizer:
    """Adds numeric entities to `doc.ents` with their values in `span._.value`, `value_max`,
    `approx`, `unit`, `currency`, and `span._.matched_by = "rule"`.

    Entities already in `doc.ents` win: a match that overlaps one is dropped. Matches that
    touch page furniture (`doc._.furniture`) are dropped too: a page number is no count."""

    def __init__(
        self,
        nlp: Language,
        name: str = "jixiao_numbers",
        *,
        patterns: NumericPatterns = DEFAULT_PATTERNS,
        money_context_window: int = DEFAULT_PATTERNS.money_context_window,
        labels: Iterable[NumericLabel | str] = ALL_LABELS,
        alignment: Alignment | str = Alignment.expand_if_unchanged,
    ):
        if not isinstance(money_context_window, int) or money_context_window < 0:
            raise ConfigError(
                "jixiao_numbers: money_context_window must be a whole number of characters, 0 or more",
                value=money_context_window,
                fix="set [components.jixiao_numbers] money_context_window = 10 (the default)",
            )
        try:
            self.labels = frozenset(NumericLabel(label).value for label in labels)
            self.alignment = Alignment(alignment)
        except ValueError as err:
            raise ConfigError(f"jixiao_numbers: {err}", options=ALL_LABELS + [a.value for a in Alignment]) from err
        if not self.labels:
            raise ConfigError("jixiao_numbers: labels is empty, so the component would do nothing",
                              options=ALL_LABELS)
        self.name = name
        self.patterns = replace(patterns, money_context_window=money_context_window)

    def __call__(self, doc: Doc) -> Doc:
        furniture = OccupiedRanges(doc._.furniture or [])
        taken_tokens = OccupiedRanges(entity_token_ranges(doc))
        matches = [
            match
            for match in find_numeric_spans(doc_text(doc), self.patterns)
            if match.label in self.labels and not furniture.overlaps(match.start, match.end)
        ]
        added: list[Span] = []
        aligned = char_spans(doc, [(match.start, match.end, match.label) for match in matches], count_missed=False)
        for match, span in zip(matches, aligned):
            if span is None:
                span = self._widened(doc, match)
            if span is None or taken_tokens.overlaps(span.start, span.end):
                continue
            taken_tokens.add(span.start, span.end)
            v = match.value
            set_span_values(
                doc, span.start_char, span.end_char,
                value=v.value, value_max=v.value_max, approx=v.approx, unit=v.unit, currency=v.currency, matched_by="rule",
            )
            added.append(span)
        if added:
            doc.set_ents(added, default="unmodified")  # the entities already there stay
        return doc

    def _widened(self, doc: Doc, match: NumericMatch) -> Span | None:
        """The span for a match whose edges fall inside tokens, as `alignment` says."""
        span = None
        if self.alignment is Alignment.expand_if_unchanged:
            wide = doc.char_span(match.start, match.end, label=match.label, alignment_mode="expand")
            # Widening is only safe when it adds nothing but what the tokens already hid.
            if wide is not None and wide.text == doc_text(doc)[match.start : match.end]:
                span = wide
        if span is None:
            doc.user_data[ALIGNMENT_LOSS_KEY] = doc.user_data.get(ALIGNMENT_LOSS_KEY, 0) + 1
        return span


@Language.factory(
    "jixiao_numbers",
    default_config={
        "patterns": {"@misc": "jixiao.numeric_patterns.v1"},
        "money_context_window": DEFAULT_PATTERNS.money_context_window,
        "labels": ALL_LABELS,
        "alignment": Alignment.expand_if_unchanged.value,
    },
)
def make_numbers(
    nlp: Language,
    name: str,
    patterns: NumericPatterns,
    money_context_window: int,
    labels: list[NumericLabel],
    alignment: Alignment,
) -> NumericEntityRecognizer:
    return NumericEntityRecognizer(
        nlp, name, patterns=patterns, money_context_window=money_context_window, labels=labels, alignment=alignment
    )

"""`pipeline.extensions.span_value` reads what `span._` reads, for every attribute."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

import pytest

from pipeline.extensions import SPAN_ATTRIBUTES, set_span_value, set_span_values, span_value

SET_VALUES = {
    "value": 10338900.0,
    "value_max": 15.0,
    "approx": True,
    "unit": "万元",
    "currency": "USD",
    "matched_by": "rule",
    "scores": {"achievement": 0.9, "other": 0.1},
    "section": ("一、基本情况",),
    "level": 1,
}


def test_every_attribute_has_a_value_to_set() -> None:
    assert set(SET_VALUES) == set(SPAN_ATTRIBUTES)


def test_span_value_equals_the_extension_set_or_not() -> None:
    doc = spacy.blank("xx").make_doc("a b c d e f")
    with_values, without = Span(doc, 1, 3, label="MONEY"), Span(doc, 3, 5, label="EVENT")
    doc.ents = [with_values, without]
    doc.spans["segments"] = [Span(doc, 0, 6, label="other")]
    for name, value in SET_VALUES.items():
        setattr(with_values._, name, value)
    for span in [*doc.ents, *doc.spans["segments"]]:
        for name in SPAN_ATTRIBUTES:
            assert span_value(doc, name, span.start_char, span.end_char) == getattr(span._, name), name
    assert span_value(doc, "unit", with_values.start_char, with_values.end_char) == "万元"
    assert span_value(doc, "unit", without.start_char, without.end_char) is None


def test_set_span_value_is_what_the_extension_reads() -> None:
    doc = spacy.blank("xx").make_doc("a b c")
    span = Span(doc, 0, 2, label="other")
    set_span_value(doc, "scores", span.start_char, span.end_char, {"other": 1.0})
    assert span._.scores == {"other": 1.0}
    with pytest.raises(AttributeError, match="no span attribute 'score'"):
        set_span_value(doc, "score", 0, 1, 1.0)


def test_set_span_values_sets_each_as_set_span_value_does() -> None:
    doc = spacy.blank("xx").make_doc("a b c")
    span = Span(doc, 0, 2, label="MONEY")
    set_span_values(doc, span.start_char, span.end_char, value=3.0, unit="元", approx=True)
    assert (span._.value, span._.unit, span._.approx, span._.value_max) == (3.0, "元", True, None)
    with pytest.raises(AttributeError, match="no span attribute 'units'"):
        set_span_values(doc, 0, 1, value=1.0, units="元")

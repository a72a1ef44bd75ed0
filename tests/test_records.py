"""`pipeline.records`: `read_jsonl`, the one reader of record files (gold, ours, the
corpus), and `round_half_even`, the rounding of segment scores."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.records import read_jsonl, round_half_even


@pytest.mark.parametrize(
    "content, ids",
    [
        ('{"id": "a"}\n{"id": "b"}\n', ["a", "b"]),
        ('{"id": "a"}\n\n   \n{"id": "b"}', ["a", "b"]),  # blank lines and no final newline
        ("", []),
    ],
)
def test_records_are_read_in_order(tmp_path, content: str, ids: list[str]) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(content, encoding="utf-8")
    assert [r["id"] for r in read_jsonl(path)] == ids


@pytest.mark.parametrize(
    "content, message",
    [('{"id": "a"}\n{"id": \n', r"r\.jsonl:2.*not valid JSON"), ("not json\n", r"r\.jsonl:1")],
)
def test_a_bad_line_is_named(tmp_path, content: str, message: str) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_jsonl(path)


def test_a_missing_file_says_so(tmp_path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_jsonl(tmp_path / "nothing.jsonl")


@pytest.mark.parametrize(
    "value",
    [0.0, -0.0, 1.0, 0.12345, 0.00005, 0.99995, 0.5, 0.123449999999, 2.675, 1e-20, -0.00015, 1e300, 4.5e11 + 0.3, float("inf"), float("-inf")],
)
def test_round_half_even_is_pythons_round(value: float) -> None:
    assert round_half_even([value], 4) == [round(value, 4)]


@given(st.lists(st.floats(allow_nan=False), max_size=30), st.integers(0, 8))
def test_round_half_even_is_pythons_round_for_any_floats(values: list[float], decimals: int) -> None:
    assert round_half_even(values, decimals) == [round(v, decimals) for v in values]


@given(st.lists(st.integers(0, 10**6).map(lambda n: n / 10**6 + 0.00005), max_size=30))
def test_round_half_even_near_ties(values: list[float]) -> None:
    assert round_half_even(values, 4) == [round(v, 4) for v in values]


def test_round_half_even_keeps_nan() -> None:
    assert math.isnan(round_half_even([float("nan")], 4)[0])


def test_record_scores_are_rounded_and_the_docs_are_not() -> None:
    import spacy
    from spacy.tokens import Span

    from pipeline.extensions import set_span_value, span_value
    from pipeline.records import doc_to_record

    doc = spacy.blank("zh").make_doc("一、成效。资金到位率100%。")
    doc.spans["segments"] = [Span(doc, 0, 2, label="heading"), Span(doc, 2, len(doc), label="metric")]
    exact = {"achievement": 0.123449999, "metric": 0.87655, "heading": 0.0}
    for span in doc.spans["segments"]:
        set_span_value(doc, "scores", span.start_char, span.end_char, dict(exact))
    record = doc_to_record(doc, doc_id="d")
    assert [s["scores"] for s in record["segments"]] == [{k: round(v, 4) for k, v in exact.items()}] * 2
    assert span_value(doc, "scores", 0, doc.spans["segments"][0].end_char) == exact

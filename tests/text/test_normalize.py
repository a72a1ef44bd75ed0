"""normalize_newlines, strip_bom and replace_lone_surrogates: tables of inputs, and the length contract offsets rely on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.text.normalize import normalize, normalize_newlines, replace_lone_surrogates, strip_bom


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("", ""),
        ("一、基本情况", "一、基本情况"),
        ("第一行\n第二行", "第一行\n第二行"),
        ("第一行\r\n第二行\r\n", "第一行\n第二行\n"),
        ("第一行\r第二行", "第一行\n第二行"),
        ("第一行\u2028第二行", "第一行\n第二行"),
        ("第一段\u2029第二段", "第一段\n第二段"),
        ("第1页末\f第2页首", "第1页末\n第2页首"),
        ("\r\n\r\n", "\n\n"),
        ("a\r\r\nb", "a\n\nb"),  # a lone \r, then a \r\n pair: two breaks
        ("a\n\rb", "a\n\nb"),  # \n\r is not a pair
        ("a\f\nb", "a\n\nb"),  # a form feed before a newline is a break of its own
        ("\u3000\u3000全角缩进\r\n", "\u3000\u3000全角缩进\n"),  # indentation is text
        ("a\tb\x0bc\x85d", "a\tb\x0bc\x85d"),  # not in the list: untouched
        ("\ufeff开头", "\ufeff开头"),  # the BOM is strip_bom's job
    ],
)
def test_normalize_newlines(raw: str, expected: str) -> None:
    assert normalize_newlines(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("", ""),
        ("\ufeff", ""),
        ("\ufeff报告", "报告"),
        ("\ufeff\ufeff报告", "\ufeff报告"),  # only one
        ("报告\ufeff正文", "报告\ufeff正文"),  # inside: a zero-width no-break space, kept
        ("报告", "报告"),
    ],
)
def test_strip_bom(raw: str, expected: str) -> None:
    assert strip_bom(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("\ufeff标题\r\n正文\r\n", "标题\n正文\n"),
        ("\ufeff\r\n", "\n"),
        ("无变化", "无变化"),
    ],
)
def test_normalize_does_both(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("", ""),
        ("预算\udc80执行", "预算\ufffd执行"),  # a byte kept by surrogateescape
        ("\ud800", "\ufffd"),  # a high surrogate alone (a JSON escape)
        ("\udfff\ud800", "\ufffd\ufffd"),  # each one alone, whatever its neighbour
        ("𝟘绩效", "𝟘绩效"),  # a character outside the BMP is one code point, no surrogate
    ],
)
def test_replace_lone_surrogates(raw: str, expected: str) -> None:
    assert replace_lone_surrogates(raw) == expected
    assert len(replace_lone_surrogates(raw)) == len(raw)
    replace_lone_surrogates(raw).encode("utf-8")  # now encodable


TEXT = st.text(alphabet=st.sampled_from(list("报告一二三。，ab \t\r\n\f\u2028\u2029\ufeff\udc80")), max_size=60)


@given(TEXT)
def test_length_changes_only_as_documented(raw: str) -> None:
    """Offsets downstream depend on it: only \\r\\n pairs and one leading BOM shorten the text."""
    bom = 1 if raw.startswith("\ufeff") else 0
    assert len(normalize(raw)) == len(raw) - raw.count("\r\n") - bom


@given(TEXT)
def test_idempotent_and_no_other_breaks(raw: str) -> None:
    once = normalize_newlines(raw)
    assert normalize_newlines(once) == once
    assert not set("\r\u2028\u2029\f") & set(once)
    # Every non-break character survives in order.
    breaks = "\r\n\u2028\u2029\f"
    assert [c for c in once if c not in breaks] == [c for c in raw if c not in breaks]

"""`pipeline.text.codes`: str offsets index the code points, lone surrogates included."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.text.codes import code_points, code_set


@given(st.text())
def test_code_points_are_indexed_by_str_offsets(text: str) -> None:
    assert code_points(text).tolist() == [ord(ch) for ch in text]


def test_a_lone_surrogate_keeps_its_place() -> None:
    assert code_points("a\ud800b").tolist() == [ord("a"), 0xD800, ord("b")]


@pytest.mark.parametrize("chars, codes", [("", []), ("ba", [97, 98]), ({"“", "“", "”"}, [0x201C, 0x201D])])
def test_code_set_is_sorted_and_distinct(chars, codes) -> None:
    found = code_set(chars)
    assert found.dtype == np.uint32 and found.tolist() == codes

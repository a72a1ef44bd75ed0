"""`OccupiedRanges`: overlap questions answered by binary search, as a scan would answer them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.text.ranges import OccupiedRanges


@pytest.mark.parametrize(
    "taken, query, overlaps",
    [
        ([], (0, 5), False),
        ([(2, 4)], (0, 2), False),  # touching is not overlapping
        ([(2, 4)], (4, 6), False),
        ([(2, 4)], (3, 3), False),  # an empty range overlaps nothing
        ([(3, 3)], (2, 4), False),  # and takes nothing
        ([(2, 4)], (1, 3), True),
        ([(2, 4)], (0, 9), True),  # covers it
        ([(2, 4), (6, 8)], (4, 6), False),  # the gap between two
        ([(6, 8), (2, 4)], (5, 7), True),  # added out of order
        ([(2, 4), (4, 6)], (3, 5), True),  # adjacent ranges merged
    ],
)
def test_occupied_ranges(taken, query, overlaps) -> None:
    assert OccupiedRanges(taken).overlaps(*query) is overlaps


@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=12),
    st.tuples(st.integers(0, 30), st.integers(0, 30)),
)
def test_occupied_ranges_agree_with_a_scan(taken, query) -> None:
    occupied = OccupiedRanges()
    for start, end in taken:
        occupied.add(start, end)
    start, end = query
    assert occupied.overlaps(start, end) == (start < end and any(start < e and s < end for s, e in taken if s < e))

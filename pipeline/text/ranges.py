"""Half-open character or token ranges: one overlap check for every stage that must not
let two entities (or an entity and page furniture) take the same place."""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class OccupiedRanges:
    """Half-open ranges already taken, asked whether a new range overlaps any of them.

    Kept merged and sorted, so each question is a binary search: a report holds hundreds
    of entities, and scanning them for every new one was quadratic."""

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in ranges:
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # the ranges that start before `end`
        return start < end and i > 0 and self.ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        if start >= end:  # an empty range takes nothing
            return
        lo = bisect.bisect_left(self.ends, start)  # first range that ends at or after start
        hi = bisect.bisect_right(self.starts, end)  # ranges from lo to hi touch [start, end)
        if lo < hi:
            start = min(start, self.starts[lo])
            end = max(end, self.ends[hi - 1])
        self.starts[lo:hi] = [start]
        self.ends[lo:hi] = [end]

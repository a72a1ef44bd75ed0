"""Features of the AWARD/EVENT chooser (`pipeline.learn.names`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.learn.names import TextIndex, candidate_features
from pipeline.text.names import candidates


@given(st.text(alphabet="第三届全省奖会节展“”「」，。活动举办荣获市文联", max_size=50))
def test_candidate_features_shared_index_matches_direct_reading(text: str) -> None:
    """The per-text index (bigram keys, quote counts) gives what reading each span does."""
    index = TextIndex(text)
    for c in candidates(text, all_starts=True):
        feats = candidate_features(text, c, index)
        span = text[c.start : c.end]
        assert {k for k in feats if k.startswith("bg=")} == {f"bg={span[i:i + 2]}" for i in range(len(span) - 1)}
        quoted = text[c.start - 1 : c.end] if c.start and text[c.start - 1] in "“「『" else span
        opens = sum(quoted.count(q) for q in "“「『")
        assert ("quoted" in feats) == bool(opens)
        assert ("unbalanced_quotes" in feats) == (opens != sum(quoted.count(q) for q in "”」』"))

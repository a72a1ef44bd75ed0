"""`pipeline.records.read_jsonl`: the one reader of record files (gold, ours, the corpus)."""

from __future__ import annotations

import pytest

from pipeline.errors import InputError
from pipeline.records import read_jsonl


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

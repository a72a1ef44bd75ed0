"""`pipeline.readers.encoding`: the byte-level checks made before decoding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.readers.encoding import looks_binary


@pytest.mark.parametrize(
    "data, binary",
    [
        (b"", False),
        ("预算执行率95%。\n".encode("utf-8"), False),
        ("预算执行率95%。\r\n".encode("gb18030"), False),
        (b"a\x00b", True),  # any NUL
        (b"\x01\x02\x03\x04abc", True),  # mostly control bytes
        (b"\x01abcdefgh", False),  # a stray control byte
        (b"\t\n\r\f\x1b" * 10, False),  # tabs, breaks, form feeds and escapes are text
    ],
)
def test_looks_binary(data: bytes, binary: bool) -> None:
    assert looks_binary(data) is binary


@given(st.binary(max_size=200))
def test_looks_binary_counts_control_bytes_as_defined(data: bytes) -> None:
    controls = sum(1 for b in data if (b < 0x20 and b not in b"\t\n\r\f\x1b") or b == 0x7F)
    expected = b"\x00" in data or (bool(data) and controls / len(data) > 0.3)
    assert looks_binary(data) is expected

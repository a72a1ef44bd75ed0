"""Plain text (.txt, .text, .md): detect the encoding, decode strictly, nothing else.

Line endings and the byte-order mark are left to `pipeline.text.normalize`, which every
reader's output goes through, so this module changes no character of the report."""

from __future__ import annotations

from .encoding import decode


def read(data: bytes, source: str, *, encoding: str | None = None) -> tuple[str, str]:
    """The decoded text and the codec used; InputError for binary or undecodable bytes."""
    return decode(data, source, encoding=encoding)

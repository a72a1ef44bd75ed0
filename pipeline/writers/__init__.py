"""Records → files and databases. Writers know records only, never spaCy objects."""

from __future__ import annotations

from pathlib import Path

from ..errors import OutputError
from .jsonl import JsonlWriter

WRITERS = {"jsonl": JsonlWriter}
SUFFIXES = {".jsonl": "jsonl", ".json": "jsonl"}


def format_for(path: Path, fmt: str | None = None) -> str:
    if fmt:
        if fmt not in WRITERS:
            raise OutputError("unknown output format", value=fmt, options=sorted(WRITERS), fix="pick one with --format")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise OutputError("cannot tell the output format from the file name", value=str(path), options=sorted(SUFFIXES), fix="use one of these suffixes or pass --format")
    return SUFFIXES[suffix]


def open_writer(path: Path, fmt: str | None = None, *, resume: bool = False):
    return WRITERS[format_for(path, fmt)](Path(path), resume=resume)

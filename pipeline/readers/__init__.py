"""Readers: a report file (or a table row) in, a `Text` out, or an `InputError` saying why not.

One module a format (`txt`, `docx`, `pdf`, `html`), each `bytes → str`; this module
picks the reader by suffix, enforces the size limit, and passes every result through
`pipeline.text.normalize` so that all offsets downstream refer to the same string.
Format libraries are imported only when a file of their format is read.

- `read_path(path)`: one file.
- `expand_inputs(args)`: command-line arguments (files, folders, globs) → files + errors.
- `iter_table(path)`: rows of a .parquet/.jsonl/.csv table or a saved `datasets` folder.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import InputError
from ..text.normalize import normalize
from .base import READERS, SUPPORTED_SUFFIXES, TABLE_SUFFIXES, Text, read_bytes, unsupported
from .inputs import expand_inputs
from .tables import iter_table

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "TABLE_SUFFIXES",
    "Text",
    "expand_inputs",
    "iter_table",
    "read_bytes_as",
    "read_path",
]

# The largest report file read whole into memory; the biggest archived reports with
# embedded scans stay well under it, and a larger file is almost always something else.
DEFAULT_MAX_BYTES = 64 * 2**20


def read_path(path: str | Path, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Text:
    """Read one report file, choosing the reader by suffix.

    `encoding` overrides detection for text and HTML files and is ignored for .docx and
    .pdf, whose text is not in a byte encoding of ours to choose. Raises `InputError`
    for anything that cannot be read, with the file, the problem and the fix."""
    path = Path(path)
    fmt = READERS.get(path.suffix.lower())
    if fmt is None:
        raise unsupported(path)
    data = read_bytes(path, max_bytes)
    return read_bytes_as(data, fmt, source=str(path), encoding=encoding, doc_id=path.stem)


def read_bytes_as(data: bytes, fmt: str, *, source: str, encoding: str | None = None, doc_id: str = "") -> Text:
    """Read bytes already in memory with the reader named `fmt` (`txt`, `docx`, `pdf`, `html`)."""
    if fmt not in set(READERS.values()):
        raise InputError(source, "unknown reader", value=fmt, options=sorted(set(READERS.values())))
    reader = importlib.import_module(f"{__name__}.{fmt}")
    raw, used = reader.read(data, source, encoding=encoding)
    text = normalize(raw)
    if not text.strip():
        raise InputError(source, "empty: the file has no text (or only whitespace)", fix="check that it is the report you meant, or leave it out")
    return Text(text=text, source=source, encoding=used, format=fmt, doc_id=doc_id)

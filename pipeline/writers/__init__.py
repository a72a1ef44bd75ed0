"""Records → files and databases. Writers know records only, never spaCy objects.

Every writer has the same interface: `Writer(path, *, resume)`, `done()` → {id:
(sha256, model_version)} of documents already written successfully, `write(record)`,
`close()`, and use as a context manager. The tabular formats store exactly
`records.TABLES`, typed by `schema.COLUMN_TYPES`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..records import TABLES, record_to_rows
from .database import DatabaseWriter, DuckDBWriter, SqliteWriter
from .files import CsvWriter, ParquetWriter, PartitionedWriter, read_csv_batches, table_paths
from .jsonl import JsonlWriter
from .schema import coerce_row

WRITERS = {"jsonl": JsonlWriter, "csv": CsvWriter, "parquet": ParquetWriter, "sqlite": SqliteWriter, "duckdb": DuckDBWriter}
SUFFIXES = {
    ".jsonl": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet",
    ".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite", ".duckdb": "duckdb",
}
# Databases have transactions, so resuming into them is safe and on by default; files
# are rewritten unless --resume is asked for.
DATABASE_FORMATS = frozenset({"sqlite", "duckdb"})
# The formats that store the tables, not the records (workers may flatten for them)
TABULAR_FORMATS = frozenset(fmt for fmt, writer in WRITERS.items() if issubclass(writer, (DatabaseWriter, PartitionedWriter)))

__all__ = ["WRITERS", "SUFFIXES", "DATABASE_FORMATS", "TABULAR_FORMATS", "format_for", "default_resume", "open_writer", "read_tables"]


def format_for(path: Path, fmt: str | None = None) -> str:
    if fmt:
        fmt = fmt.lower().lstrip(".")
        if fmt not in WRITERS:
            raise OutputError("unknown output format", value=fmt, options=sorted(WRITERS), fix="pick one with --format")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise OutputError("cannot tell the output format from the file name", value=str(path), options=sorted(SUFFIXES), fix="use one of these suffixes or pass --format")
    return SUFFIXES[suffix]


def default_resume(fmt: str) -> bool:
    return fmt in DATABASE_FORMATS


def open_writer(path: Path, fmt: str | None = None, *, resume: bool | None = None):
    fmt = format_for(path, fmt)
    return WRITERS[fmt](Path(path), resume=default_resume(fmt) if resume is None else resume)


def read_tables(path: Path, fmt: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The rows of `documents`, `segments` and `entities` as a writer left them, typed by
    the schema, so outputs in different formats compare equal. For tests and quick looks;
    researchers will query the databases directly."""
    fmt = format_for(path, fmt)
    path = Path(path)
    if fmt == "jsonl":
        rows = _jsonl_rows(path)
    elif fmt == "sqlite":
        rows = _sql_rows(path, "sqlite")
    elif fmt == "duckdb":
        rows = _sql_rows(path, "duckdb")
    else:
        rows = _file_rows(path, fmt)
    return {table: [dict(zip(TABLES[table], coerce_row(table, row, doc_id=str(row.get("id") or row.get("doc_id"))))) for row in rows[table]] for table in TABLES}


def _jsonl_rows(path: Path) -> dict[str, list[dict[str, Any]]]:
    import json

    latest: dict[str, dict[str, Any]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            latest[record["id"]] = record
    out: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    for record in latest.values():
        rows = record_to_rows(record)
        # JSONL records carry no processing time: the column is left empty, not invented.
        rows["documents"][0]["processed_at"] = None
        for table in TABLES:
            out[table].extend(rows[table])
    return out


def _sql_rows(path: Path, dialect: str) -> dict[str, list[dict[str, Any]]]:
    if dialect == "sqlite":
        import sqlite3

        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    else:
        import duckdb

        con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for table in TABLES:
            cursor = con.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            out[table] = [dict(zip(names, values)) for values in cursor.fetchall()]
        return out
    finally:
        con.close()


def _file_rows(path: Path, fmt: str) -> dict[str, list[dict[str, Any]]]:
    import pyarrow.parquet as pq

    suffix = WRITERS[fmt].suffix
    out = {}
    for table, target in table_paths(path, suffix).items():
        if fmt == "parquet":
            out[table] = pq.read_table(target).to_pylist()
        else:
            out[table] = [row for batch in read_csv_batches(target, table) for row in batch.to_pylist()]
    return out

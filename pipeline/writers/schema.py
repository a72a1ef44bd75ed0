"""Column types of the three tables, for every tabular format.

`records.TABLES` says which columns exist and in which order; this module says what
type each one holds, so that CSV, Parquet, SQLite and DuckDB store the same values and
read back the same rows. Values are coerced here, once, before any format sees them:
a record that does not fit the schema fails as one document, not as a run.
"""

from __future__ import annotations

import functools
import json
import math
from typing import Any, Iterable

from ..errors import OutputError
from ..records import SEGMENT_LABELS, TABLES, record_to_rows

TEXT, INT, FLOAT, BOOL = "text", "int", "float", "bool"

COLUMN_TYPES: dict[str, dict[str, str]] = {
    "documents": {
        "id": TEXT, "source": TEXT, "sha256": TEXT, "chars": INT, "encoding": TEXT, "org": TEXT,
        "year": INT, "report_type": TEXT, "status": TEXT, "error": TEXT, "model_version": TEXT,
        "processed_at": TEXT,
    },
    "segments": {
        "doc_id": TEXT, "index": INT, "start": INT, "end": INT, "section": TEXT, "label": TEXT,
        **{f"score_{label}": FLOAT for label in SEGMENT_LABELS},
        "text": TEXT,
    },
    "entities": {
        "doc_id": TEXT, "segment_index": INT, "start": INT, "end": INT, "label": TEXT, "text": TEXT,
        "value": FLOAT, "value_max": FLOAT, "unit": TEXT, "currency": TEXT, "approx": BOOL,
        "matched_by": TEXT,
    },
}
# The column each table is keyed or joined on: replaced as a unit when a document is redone.
ID_COLUMNS = {"documents": "id", "segments": "doc_id", "entities": "doc_id"}

SQL_TYPES = {
    "sqlite": {TEXT: "TEXT", INT: "INTEGER", FLOAT: "REAL", BOOL: "BOOLEAN"},
    "duckdb": {TEXT: "VARCHAR", INT: "BIGINT", FLOAT: "DOUBLE", BOOL: "BOOLEAN"},
}


def column_types(table: str) -> list[tuple[str, str]]:
    """(column, type) in `records.TABLES` order; a column without a declared type is a bug here."""
    types = COLUMN_TYPES[table]
    missing = [c for c in TABLES[table] if c not in types]
    if missing:
        raise OutputError(
            f"the {table} table has columns with no declared type", value=missing,
            fix="add them to pipeline/writers/schema.py COLUMN_TYPES",
        )
    return [(column, types[column]) for column in TABLES[table]]


def quote(identifier: str) -> str:
    # `index`, `start` and `end` are SQL keywords: every identifier is quoted.
    return '"' + identifier.replace('"', '""') + '"'


def create_table_sql(table: str, dialect: str) -> str:
    sql_types = SQL_TYPES[dialect]
    columns = []
    for column, kind in column_types(table):
        decl = f"{quote(column)} {sql_types[kind]}"
        if table == "documents" and column == "id":
            decl += " PRIMARY KEY NOT NULL"
        columns.append(decl)
    return f"CREATE TABLE IF NOT EXISTS {quote(table)} ({', '.join(columns)})"


def create_index_sql(table: str) -> str | None:
    if table == "documents":
        return None  # the primary key is its index
    return f"CREATE INDEX IF NOT EXISTS {quote(table + '_doc_id')} ON {quote(table)} ({quote('doc_id')})"


@functools.lru_cache(maxsize=None)
def arrow_schema(table: str):
    import pyarrow as pa

    kinds = {TEXT: pa.string(), INT: pa.int64(), FLOAT: pa.float64(), BOOL: pa.bool_()}
    return pa.schema([(column, kinds[kind]) for column, kind in column_types(table)])


def coerce(value: Any, kind: str, *, where: str) -> Any:
    """`value` as the column's type, None kept; anything that would change meaning raises."""
    if value is None:
        return None
    try:
        if kind == TEXT:
            return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        if kind == BOOL:
            if isinstance(value, (bool, int)) and value in (0, 1):
                return bool(value)
        elif kind == INT:
            if isinstance(value, bool):
                return int(value)
            if isinstance(value, int):
                return value
            if isinstance(value, float) and value.is_integer():
                return int(value)
            if isinstance(value, str) and value.strip().lstrip("-").isdigit():
                return int(value)
        elif kind == FLOAT:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                number = float(value)
                return None if math.isnan(number) else number
            if isinstance(value, str):
                return float(value)
    except (TypeError, ValueError):
        pass
    raise OutputError(f"{where}: the value does not fit the column type {kind}", value=value, fix="this is a bug in the record; report it with the document")


_EXACT = {TEXT: str, INT: int, FLOAT: float, BOOL: bool}


@functools.lru_cache(maxsize=None)
def _plan(table: str) -> tuple[tuple[str, str, type], ...]:
    return tuple((column, kind, _EXACT[kind]) for column, kind in column_types(table))


def coerce_row(table: str, row: dict[str, Any], *, doc_id: str) -> tuple:
    """One row as a tuple in column order, every value of its column's type."""
    out = []
    for column, kind, exact in _plan(table):
        value = row.get(column)
        # Nearly every value already has its column's type: check that first (a
        # document has hundreds of segment rows, and this runs in the one writer).
        if value is not None and (type(value) is not exact or value != value):  # NaN → None
            value = coerce(value, kind, where=f"document {doc_id!r}, {table}.{column}")
        out.append(value)
    return tuple(out)


def coerce_rows(rows: dict[str, list[dict[str, Any]]], *, doc_id: str) -> dict[str, list[tuple]]:
    return {table: [coerce_row(table, row, doc_id=doc_id) for row in rows.get(table, [])] for table in TABLES}


# A record whose tables were flattened where it was made (`with_table_rows`) carries them
# under this key instead of its segments and entities.
ROWS_KEY = "_table_rows"


def with_table_rows(record: dict[str, Any]) -> dict[str, Any]:
    """The record for a tabular writer, flattened and typed where it was made: its
    document fields, and under `ROWS_KEY` the rows of every table (`record_to_rows`,
    `coerce_rows`). A worker process sends this instead of the record: tuples of plain
    values unpickle far faster than the record's hundreds of small dicts, and the one
    writer process is what the workers wait on.

    A record that does not fit the tables is returned unchanged, so that the writer
    raises its error and records the failure as for any other record."""
    try:
        rows = table_rows(record)
    except OutputError:
        return record
    slim = {key: value for key, value in record.items() if key not in ("segments", "entities")}
    slim[ROWS_KEY] = rows
    return slim


def table_rows(record: dict[str, Any]) -> dict[str, list[tuple]]:
    """The typed rows of every table for a record, flattened here or already."""
    if ROWS_KEY in record:
        return record[ROWS_KEY]
    return coerce_rows(record_to_rows(record), doc_id=record["id"])


def as_dicts(table: str, tuples: Iterable[tuple]) -> list[dict[str, Any]]:
    return [dict(zip(TABLES[table], values)) for values in tuples]

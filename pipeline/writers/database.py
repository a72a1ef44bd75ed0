"""SQLite and DuckDB: the three tables in one database file, one transaction a document.

A document is written as DELETE its old rows + INSERT its new rows in a single
transaction, so a reader (or a run killed with -9) sees a document either whole or not
at all, and redoing an id never duplicates it. `done()` reads what a previous run
finished; documents recorded as failed are not done, so a rerun tries them again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..records import TABLES
from .schema import arrow_schema, create_index_sql, create_table_sql, quote, table_rows

Done = dict[str, tuple[str | None, str | None]]


class DatabaseWriter:
    """What SQLite and DuckDB share; subclasses connect and insert."""

    dialect = ""

    def __init__(self, path: Path, *, resume: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = self._connect()
        try:
            self._ensure_schema()
            # Without resume every given document is processed again and replaces its rows;
            # other documents already in the database are kept (it may be the user's own).
            self._done: Done = self._read_done() if resume else {}
        except BaseException:
            self._con.close()
            raise

    # --- the interface every writer has -------------------------------------------------
    def done(self) -> Done:
        """id → (sha256, model_version) of documents already written successfully."""
        return self._done

    def write(self, record: dict[str, Any]) -> None:
        doc_id = record["id"]
        # Coerce before the transaction starts: a record that does not fit fails alone.
        rows = table_rows(record)
        try:
            self._begin()
            for table in ("segments", "entities"):
                self._con.execute(f"DELETE FROM {quote(table)} WHERE {quote('doc_id')} = ?", [doc_id])
            self._con.execute(f"DELETE FROM {quote('documents')} WHERE {quote('id')} = ?", [doc_id])
            for table in TABLES:
                if rows[table]:
                    self._insert(table, rows[table])
            self._commit()
        except BaseException as err:  # KeyboardInterrupt too: never leave a half document
            self._rollback()
            if isinstance(err, Exception) and not isinstance(err, OutputError):
                raise OutputError(f"{self.path}: document {doc_id!r} could not be written: {err}", fix="check the disk and that no other program holds the database") from err
            raise

    def close(self) -> None:
        self._con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- shared steps --------------------------------------------------------------------
    def _ensure_schema(self) -> None:
        for table, columns in TABLES.items():
            existing = self._columns(table)
            if existing and tuple(existing) != tuple(columns):
                raise OutputError(
                    f"{self.path} already has a {table} table with other columns",
                    value=list(existing), options=list(columns),
                    fix="write to a new file, or drop the documents, segments and entities tables first",
                )
            self._con.execute(create_table_sql(table, self.dialect))
            index = create_index_sql(table)
            if index:
                self._con.execute(index)

    def _read_done(self) -> Done:
        rows = self._con.execute(
            f"SELECT {quote('id')}, {quote('sha256')}, {quote('model_version')} FROM {quote('documents')} WHERE {quote('status')} = 'ok'"
        ).fetchall()
        return {doc_id: (sha, version) for doc_id, sha, version in rows}

    def _connect(self):
        raise NotImplementedError

    def _columns(self, table: str) -> list[str]:
        raise NotImplementedError

    def _begin(self) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def _insert(self, table: str, rows: list[tuple]) -> None:
        raise NotImplementedError


class SqliteWriter(DatabaseWriter):
    dialect = "sqlite"

    def _connect(self):
        import sqlite3

        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, one pair a document.
            con = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            # WAL: readers can query while a run writes; synchronous=NORMAL keeps every
            # committed document through a killed process (only power loss may drop the
            # last few commits, never half of one).
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as err:
            raise OutputError(f"{self.path} cannot be opened as an SQLite database: {err}", fix="choose another output file, or remove this one") from err
        return con

    def _columns(self, table: str) -> list[str]:
        return [row[1] for row in self._con.execute(f"PRAGMA table_info({quote(table)})").fetchall()]

    def _begin(self) -> None:
        self._con.execute("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        self._con.execute("COMMIT")

    def _rollback(self) -> None:
        if self._con.in_transaction:
            self._con.execute("ROLLBACK")

    def _insert(self, table: str, rows: list[tuple]) -> None:
        marks = ", ".join("?" for _ in TABLES[table])
        self._con.executemany(f"INSERT INTO {quote(table)} VALUES ({marks})", rows)


class DuckDBWriter(DatabaseWriter):
    dialect = "duckdb"
    few_rows = 4  # up to this many rows, plain parameterised INSERTs are quicker than Arrow

    def _connect(self):
        import duckdb

        try:
            return duckdb.connect(str(self.path))
        except duckdb.Error as err:
            raise OutputError(
                f"{self.path} cannot be opened as a DuckDB database: {err}",
                fix="close other programs that have it open (DuckDB allows one writer), or choose another file",
            ) from err

    def _columns(self, table: str) -> list[str]:
        rows = self._con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position",
            [table],
        ).fetchall()
        return [row[0] for row in rows]

    def _begin(self) -> None:
        self._con.begin()

    def _commit(self) -> None:
        self._con.commit()

    def _rollback(self) -> None:
        import duckdb

        try:
            self._con.rollback()
        except duckdb.Error:
            pass  # no transaction open: nothing to undo

    def _insert(self, table: str, rows: list[tuple]) -> None:
        import pyarrow as pa

        if len(rows) <= self.few_rows:
            marks = ", ".join("?" for _ in TABLES[table])
            for row in rows:
                self._con.execute(f"INSERT INTO {quote(table)} VALUES ({marks})", list(row))
            return
        # executemany is row-at-a-time in DuckDB; an Arrow table inserts a document's
        # segments in one statement.
        schema = arrow_schema(table)
        columns = list(zip(*rows))
        batch = pa.table([pa.array(values, type=f.type) for values, f in zip(columns, schema)], schema=schema)
        self._con.register("_jixiao_rows", batch)
        try:
            self._con.execute(f"INSERT INTO {quote(table)} SELECT * FROM _jixiao_rows")
        finally:
            self._con.unregister("_jixiao_rows")

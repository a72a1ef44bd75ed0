"""CSV and Parquet: one file a table (`NAME.documents.csv`, `NAME.segments.csv`, …).

Neither format has transactions, and a Parquet file cannot be appended to, so a run
writes complete batches of documents into `NAME.parts/` (each batch renamed into place
only once its three files are closed) and assembles the three final files at `close()`:
each is written beside its target and renamed over it. What that guarantees:

- the final files only ever hold whole documents, each id once;
- a run that is interrupted (Ctrl-C, kill -9) leaves the previous final files as they
  were, plus the complete batches in `NAME.parts/`; the documents of the unfinished batch
  (at most `batch_documents`) are lost and redone; `--resume` picks up the batches;
- the three files are replaced one after another at the very end, so a program reading
  them during that moment may see tables from two runs: read them after the run ends.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator

from ..errors import OutputError
from ..records import TABLES
from .schema import ID_COLUMNS, arrow_schema, table_rows

Done = dict[str, tuple[str | None, str | None]]
PART_PREFIX = "part-"


def output_stem(path: Path, suffix: str) -> str:
    return path.name[: -len(suffix)] if path.name.lower().endswith(suffix) else path.name


def table_paths(path: Path, suffix: str) -> dict[str, Path]:
    """`out.csv` → {"documents": out.documents.csv, "segments": …, "entities": …}."""
    stem = output_stem(path, suffix)
    return {table: path.with_name(f"{stem}.{table}{suffix}") for table in TABLES}


def parts_dir(path: Path, suffix: str) -> Path:
    return path.with_name(f"{output_stem(path, suffix)}.parts")


class PartitionedWriter:
    """Batches in `NAME.parts/` (always Parquet: typed, compact), merged into the final
    format at `close()`. Subclasses read and write the final files."""

    suffix = ""
    batch_documents = 64
    batch_rows = 20_000

    def __init__(self, path: Path, *, resume: bool = False, batch_documents: int | None = None):
        self.path = Path(path)
        self.targets = table_paths(self.path, self.suffix)
        self.parts = parts_dir(self.path, self.suffix)
        self.resume = resume
        if batch_documents:
            self.batch_documents = batch_documents
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not resume and self.parts.exists():
                shutil.rmtree(self.parts)  # batches of an abandoned run: this run starts over
            self.parts.mkdir(exist_ok=True)
            for torn in self.parts.glob("*.tmp"):
                shutil.rmtree(torn)  # a batch a killed run was writing: not complete, not kept
        except OSError as err:
            raise OutputError(f"cannot write beside {self.path}: {err.strerror or err}", fix="choose a writable output folder") from err
        self._check_final_columns()
        self._done: Done = self._read_done() if resume else {}
        self._buffer: dict[str, list[tuple]] = {table: [] for table in TABLES}
        self._buffered_ids: list[str] = []
        self._next_part = 1 + max((int(p.name[len(PART_PREFIX):]) for p in self._part_dirs()), default=0)
        self._closed = False

    # --- the interface every writer has -------------------------------------------------
    def done(self) -> Done:
        """id → (sha256, model_version) of documents already written successfully."""
        return self._done

    def write(self, record: dict[str, Any]) -> None:
        doc_id = record["id"]
        rows = table_rows(record)
        if doc_id in self._buffered_ids:  # the same id twice in one batch: the later wins
            self._drop_buffered(doc_id)
        for table in TABLES:
            self._buffer[table].extend(rows[table])
        self._buffered_ids.append(doc_id)
        if len(self._buffered_ids) >= self.batch_documents or sum(map(len, self._buffer.values())) >= self.batch_rows:
            self._flush()

    def close(self) -> None:
        """Write the last batch and assemble the final files."""
        if self._closed:
            return
        self._closed = True
        self._flush()
        self._assemble()
        shutil.rmtree(self.parts, ignore_errors=True)

    def abandon(self) -> None:
        """Keep the finished batches for `--resume` and stop, without assembling."""
        if not self._closed:
            self._closed = True
            self._flush()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc) -> None:
        # An interrupted run must be quick to stop and must not replace good final files
        # with partial ones: it keeps its batches instead.
        self.close() if exc_type is None else self.abandon()

    # --- batches ----------------------------------------------------------------------------
    def _drop_buffered(self, doc_id: str) -> None:
        for table in TABLES:
            position = TABLES[table].index(ID_COLUMNS[table])
            self._buffer[table] = [row for row in self._buffer[table] if row[position] != doc_id]
        self._buffered_ids.remove(doc_id)

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._buffered_ids:
            return
        name = f"{PART_PREFIX}{self._next_part:06d}"
        staging = self.parts / f"{name}.tmp"
        staging.mkdir()
        for table in TABLES:
            schema = arrow_schema(table)
            columns = list(zip(*self._buffer[table])) or [() for _ in schema]
            pq.write_table(pa.table([pa.array(values, type=f.type) for values, f in zip(columns, schema)], schema=schema), staging / f"{table}.parquet")
        os.rename(staging, self.parts / name)  # the batch exists whole or not at all
        self._next_part += 1
        self._buffer = {table: [] for table in TABLES}
        self._buffered_ids = []

    def _part_dirs(self) -> list[Path]:
        return sorted(p for p in self.parts.glob(f"{PART_PREFIX}*") if p.is_dir() and not p.name.endswith(".tmp"))

    # --- sources: the previous final files (when resuming), then the batches in order ------
    def _sources(self) -> list[Any]:
        finals = [None] if self.resume and self.targets["documents"].exists() else []
        return finals + self._part_dirs()

    def _batches(self, source: Path | None, table: str) -> Iterator[Any]:
        if source is None:
            if self.targets[table].exists():
                yield from self.read_final(self.targets[table], table)
            return
        import pyarrow.parquet as pq

        yield from pq.ParquetFile(source / f"{table}.parquet").iter_batches()

    def _winners(self, sources: list[Any]) -> tuple[dict[str, int], Done]:
        """For each id, the latest source holding it (later runs win), and the done map."""
        latest: dict[str, tuple[int, str | None, str | None, str | None]] = {}
        for position, source in enumerate(sources):
            for batch in self._batches(source, "documents"):
                columns = batch.select(["id", "sha256", "model_version", "status"]).to_pydict()
                for doc_id, sha, version, status in zip(columns["id"], columns["sha256"], columns["model_version"], columns["status"]):
                    latest[doc_id] = (position, sha, version, status)
        winners = {doc_id: entry[0] for doc_id, entry in latest.items()}
        done = {doc_id: (sha, version) for doc_id, (_, sha, version, status) in latest.items() if status == "ok"}
        return winners, done

    def _read_done(self) -> Done:
        return self._winners(self._sources())[1]

    def _assemble(self) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        sources = self._sources()
        winners, _ = self._winners(sources)
        ids_by_source: dict[int, list[str]] = defaultdict(list)
        for doc_id, position in winners.items():
            ids_by_source[position].append(doc_id)
        staged = []
        for table in TABLES:
            target = self.targets[table]
            staging = target.with_name(target.name + ".tmp")
            with self.open_final(staging, arrow_schema(table)) as out:
                for position, source in enumerate(sources):
                    keep = pa.array(ids_by_source.get(position, []), type=pa.string())
                    if not len(keep):
                        continue
                    for batch in self._batches(source, table):
                        rows = batch.filter(pc.is_in(batch.column(ID_COLUMNS[table]), value_set=keep))
                        if rows.num_rows:
                            out.write_batch(rows)
            staged.append((staging, target))
        # All three are complete before any is replaced: the window in which the files
        # disagree is three renames long.
        for staging, target in staged:
            os.replace(staging, target)

    def _check_final_columns(self) -> None:
        for table, target in self.targets.items():
            if self.resume and target.exists():
                columns = self.final_columns(target)
                if tuple(columns) != TABLES[table]:
                    raise OutputError(
                        f"{target} has other columns than jixiao's {table} table", value=list(columns),
                        options=list(TABLES[table]), fix="write to a new output name, or run without --resume to replace it",
                    )

    # --- the final format -------------------------------------------------------------------
    def open_final(self, path: Path, schema):
        raise NotImplementedError

    def read_final(self, path: Path, table: str) -> Iterator[Any]:
        raise NotImplementedError

    def final_columns(self, path: Path) -> list[str]:
        raise NotImplementedError


class ParquetWriter(PartitionedWriter):
    suffix = ".parquet"

    def open_final(self, path: Path, schema):
        import pyarrow.parquet as pq

        return pq.ParquetWriter(path, schema)

    def read_final(self, path: Path, table: str) -> Iterator[Any]:
        import pyarrow.parquet as pq

        yield from pq.ParquetFile(path).iter_batches()

    def final_columns(self, path: Path) -> list[str]:
        import pyarrow.parquet as pq

        return pq.read_schema(path).names


class CsvWriter(PartitionedWriter):
    """UTF-8 without a BOM, a header line, strings quoted; an empty unquoted field is
    NULL and `""` is the empty string, so values read back exactly."""

    suffix = ".csv"

    def open_final(self, path: Path, schema):
        import pyarrow.csv as csv

        return csv.CSVWriter(path, schema)

    def read_final(self, path: Path, table: str) -> Iterator[Any]:
        yield from read_csv_batches(path, table)

    def final_columns(self, path: Path) -> list[str]:
        import csv

        with open(path, encoding="utf-8", newline="") as fh:
            return next(csv.reader(fh), [])


def read_csv_batches(path: Path, table: str) -> Iterator[Any]:
    import pyarrow.csv as csv

    options = csv.ConvertOptions(column_types=arrow_schema(table), strings_can_be_null=True, quoted_strings_can_be_null=False)
    yield from csv.open_csv(path, convert_options=options)

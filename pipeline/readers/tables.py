"""Reports stored as rows of a table: .parquet, .jsonl, .csv, or a `datasets` folder
written by `save_to_disk`.

Rows are streamed (Parquet by record batches, JSONL and CSV line by line, datasets in
slices), so a table larger than memory can be processed. A problem with the whole table
(missing file, missing column, not a table) is one `InputError` and ends it; a problem
with one row (empty text, bad JSON) is an `InputError` whose source is `PATH#row=N`,
and the rows after it go on.

Rows are numbered from 0 in data order (a CSV's header and a JSONL file's blank lines
are not rows). A row's `doc_id` is its `id_column` value, or `STEM-N` without one.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..text.normalize import normalize
from .base import TABLE_SUFFIXES, Text
from .encoding import bom_encoding, detect

BATCH_ROWS = 256
# Enough bytes of a CSV to tell its encoding; cut at a line end so no character is split.
CSV_SAMPLE_BYTES = 1 << 20
DATASET_MARKERS = ("dataset_info.json", "state.json", "dataset_dict.json")

Row = tuple[str, Any, Any]  # (row label such as "row=3", text value, id value)


def iter_table(path: str | Path, *, text_column: str = "text", id_column: str | None = None) -> Iterator[Text | InputError]:
    """Each row as a `Text`, or an `InputError` for the row (or the whole table) that failed."""
    path = Path(path)
    if not path.exists():
        yield InputError(path, "no such file or folder", fix="check the path and its spelling")
        return
    if path.is_dir():
        rows, fmt, encoding = _dataset_rows(path, text_column, id_column), "datasets", None
    else:
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            rows, fmt, encoding = _parquet_rows(path, text_column, id_column), "parquet", None
        elif suffix in (".jsonl", ".ndjson"):
            rows, fmt, encoding = _jsonl_rows(path, text_column, id_column), "jsonl", "utf-8"
        elif suffix == ".csv":
            encoding = _csv_encoding(path)
            if isinstance(encoding, InputError):
                yield encoding
                return
            rows, fmt = _csv_rows(path, text_column, id_column, encoding), "csv"
        else:
            yield InputError(path, "not a table this reader knows", value=suffix or "(no suffix)",
                             options=TABLE_SUFFIXES + ("a folder saved with datasets' save_to_disk",),
                             fix="convert it to Parquet, JSONL or CSV; report files are read without --text-column")
            return
    try:
        for item in rows:
            yield item if isinstance(item, InputError) else _row_text(path, item, text_column, fmt, encoding)
    except OSError as err:
        yield InputError(path, f"cannot be read: {err.strerror or err}", fix="check that the file is readable")


def _row_text(path: Path, row: Row, text_column: str, fmt: str, encoding: str | None) -> Text | InputError:
    label, value, row_id = row
    source = f"{path}#{label}"
    if value is None or (isinstance(value, str) and not value.strip()):
        return InputError(source, f"empty text in column {text_column!r}", fix="fill the row in or drop it")
    if not isinstance(value, str):
        return InputError(source, f"the {text_column!r} value is {type(value).__name__}, not text",
                          fix="pass --text-column with the column that holds the report text")
    number = label.rsplit("row=", 1)[-1]
    split = label.split("split=", 1)[1].split(",", 1)[0] + "-" if label.startswith("split=") else ""
    doc_id = str(row_id) if row_id not in (None, "") else f"{path.stem}-{split}{number}"
    return Text(text=normalize(value), source=source, encoding=encoding, format=fmt, doc_id=doc_id)


def _missing(path: Path, column: str, available: Iterable[str], option: str) -> InputError:
    return InputError(path, f"no column {column!r}", options=list(available), fix=f"pass {option} with one of the available columns")


def _check_columns(path: Path, names: list[str], text_column: str, id_column: str | None) -> InputError | None:
    if text_column not in names:
        return _missing(path, text_column, names, "--text-column")
    if id_column is not None and id_column not in names:
        return _missing(path, id_column, names, "--id-column")
    return None


def _parquet_rows(path: Path, text_column: str, id_column: str | None) -> Iterator[Row | InputError]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as err:
        yield InputError(path, f"not a readable Parquet file ({err})", fix="check the file, or write it again with pyarrow or pandas")
        return
    problem = _check_columns(path, table.schema_arrow.names, text_column, id_column)
    if problem:
        yield problem
        return
    columns = [text_column] + ([id_column] if id_column and id_column != text_column else [])
    index = 0
    try:
        for batch in table.iter_batches(batch_size=BATCH_ROWS, columns=columns):
            texts = batch.column(text_column).to_pylist()
            ids = batch.column(id_column).to_pylist() if id_column else [None] * len(texts)
            for text, row_id in zip(texts, ids):
                yield f"row={index}", text, row_id
                index += 1
    except (pa.ArrowException, OSError) as err:
        yield InputError(path, f"the Parquet file is damaged after row {index} ({err})", fix="check the file, or write it again")


def _jsonl_rows(path: Path, text_column: str, id_column: str | None) -> Iterator[Row | InputError]:
    index = 0
    checked = False
    with open(path, "rb") as lines:
        for line_number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            label = f"row={index}"
            index += 1
            try:
                record = json.loads(raw.decode("utf-8-sig" if line_number == 1 else "utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as err:
                yield InputError(f"{path}#{label}", f"line {line_number} is not a JSON object in UTF-8 ({err})", fix="fix or drop the line")
                continue
            if not isinstance(record, dict):
                yield InputError(f"{path}#{label}", f"line {line_number} is a JSON {type(record).__name__}, not an object", fix="fix or drop the line")
                continue
            if not checked:
                # The first record stands for the table's columns: a wrong --text-column
                # is one error, not one per row.
                checked = True
                problem = _check_columns(path, list(record), text_column, id_column)
                if problem:
                    yield problem
                    return
            yield label, record.get(text_column), record.get(id_column) if id_column else None


def _csv_encoding(path: Path) -> str | InputError:
    """UTF-8 (with or without a BOM), or what detection says of the first MiB.

    Excel in China saves CSV as GBK, so detection is needed here as for .txt files."""
    try:
        with open(path, "rb") as handle:
            sample = handle.read(CSV_SAMPLE_BYTES)
            complete = len(sample) < CSV_SAMPLE_BYTES
    except OSError as err:
        return InputError(path, f"cannot be read: {err.strerror or err}", fix="check that the file is readable")
    if not complete and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]
    bom = bom_encoding(sample)
    if bom:
        return bom
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    detected = detect(sample)
    if detected is None:
        return InputError(path, "cannot tell the CSV's encoding: tried utf-8, gb18030, big5",
                          fix="save it as UTF-8 (Excel: CSV UTF-8) and try again")
    return detected


def _csv_rows(path: Path, text_column: str, id_column: str | None, encoding: str) -> Iterator[Row | InputError]:
    # A report in one cell easily passes csv's default 128 KiB field limit; the limit is
    # process-wide, so it is only ever raised.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    index = 0
    try:
        with open(path, encoding=encoding, newline="") as handle:
            reader = csv.DictReader(handle)
            problem = _check_columns(path, list(reader.fieldnames or []), text_column, id_column)
            if problem:
                yield problem
                return
            for record in reader:
                yield f"row={index}", record.get(text_column), record.get(id_column) if id_column else None
                index += 1
    except UnicodeDecodeError as err:
        yield InputError(path, f"not valid {encoding} after row {index} (byte {err.start} of a chunk)",
                         fix="save it as UTF-8 (Excel: CSV UTF-8) and try again")
    except csv.Error as err:
        yield InputError(path, f"not a valid CSV after row {index} ({err})", fix="check the quoting of that row")


def _dataset_rows(path: Path, text_column: str, id_column: str | None) -> Iterator[Row | InputError]:
    if not any((path / marker).exists() for marker in DATASET_MARKERS):
        yield InputError(path, "a folder, but not a dataset saved with datasets' save_to_disk",
                         fix="pass a .parquet, .jsonl or .csv file, or a folder written by Dataset.save_to_disk")
        return
    # Never reach the network: without these a name that looks like a hub id is retried
    # for about 20 seconds before failing. They must be set before datasets is imported.
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    os.environ["HF_HUB_OFFLINE"] = "1"
    import datasets

    try:
        loaded = datasets.load_from_disk(str(path))
    except Exception as err:  # datasets raises FileNotFoundError, ValueError or arrow errors for a damaged folder
        yield InputError(path, f"cannot load the saved dataset ({type(err).__name__}: {err})", fix="save it again with save_to_disk")
        return
    splits = list(loaded.items()) if isinstance(loaded, datasets.DatasetDict) else [(None, loaded)]
    for split, dataset in splits:
        problem = _check_columns(path, dataset.column_names, text_column, id_column)
        if problem:
            yield problem
            return
        columns = [text_column] + ([id_column] if id_column and id_column != text_column else [])
        dataset = dataset.select_columns(columns)
        prefix = f"split={split}," if split is not None else ""
        for start in range(0, len(dataset), BATCH_ROWS):
            batch = dataset[start : start + BATCH_ROWS]
            ids = batch[id_column] if id_column else [None] * len(batch[text_column])
            for offset, (text, row_id) in enumerate(zip(batch[text_column], ids)):
                yield f"{prefix}row={start + offset}", text, row_id

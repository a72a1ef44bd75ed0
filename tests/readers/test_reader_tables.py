"""iter_table: Parquet, JSONL, CSV and saved `datasets` folders, streamed row by row."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.readers import Text, iter_table
from pipeline.readers import tables

ROWS = [
    {"id": "wh-2023", "text": "某县文化馆2023年度绩效自评报告\r\n一、基本情况", "year": 2023},
    {"id": "road-2022", "text": "", "year": 2022},
    {"id": None, "text": "\ufeff街道工作总结\r\n全年完成投资18.6亿元。", "year": 2024},
    {"id": "blank", "text": None, "year": 2021},
    {"id": "last", "text": "最后一份报告", "year": 2020},
]
EXPECTED = [
    ("row=0", "wh-2023", "某县文化馆2023年度绩效自评报告\n一、基本情况"),
    ("row=1", None, "empty text in column 'text'"),
    ("row=2", "{stem}-2", "街道工作总结\n全年完成投资18.6亿元。"),
    ("row=3", None, "empty text in column 'text'"),
    ("row=4", "last", "最后一份报告"),
]


def parquet(path: Path, rows: list[dict]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path.with_suffix(".parquet"), row_group_size=2)
    return path.with_suffix(".parquet")


def jsonl(path: Path, rows: list[dict]) -> Path:
    path = path.with_suffix(".jsonl")
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows) + "\n", encoding="utf-8")
    return path


def csv_file(path: Path, rows: list[dict], encoding: str = "utf-8") -> Path:
    path = path.with_suffix(".csv")
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return path


def dataset(path: Path, rows: list[dict]) -> Path:
    import datasets

    folder = path.with_suffix("")
    datasets.Dataset.from_list(rows).save_to_disk(str(folder))
    return folder


WRITERS: dict[str, Callable[[Path, list[dict]], Path]] = {
    "parquet": parquet,
    "jsonl": jsonl,
    "csv": csv_file,
    "csv-gb18030": lambda p, rows: csv_file(p, rows, "gb18030"),
    "csv-utf8-bom": lambda p, rows: csv_file(p, rows, "utf-8-sig"),
    "datasets": dataset,
}
FORMATS = {"parquet": "parquet", "jsonl": "jsonl", "csv": "csv", "csv-gb18030": "csv", "csv-utf8-bom": "csv", "datasets": "datasets"}
ENCODINGS = {"parquet": None, "jsonl": "utf-8", "csv": "utf-8", "csv-gb18030": "gb18030", "csv-utf8-bom": "utf-8-sig", "datasets": None}


def outcome(item: Text | InputError) -> tuple[str, str | None, str]:
    if isinstance(item, InputError):
        return item.path.rsplit("#", 1)[1], None, item.problem.split(": ", 1)[1]
    return item.source.rsplit("#", 1)[1], item.doc_id, item.text


@pytest.mark.parametrize("kind", list(WRITERS))
def test_rows_in_order_with_row_errors(tmp_path: Path, kind: str) -> None:
    path = WRITERS[kind](tmp_path / "reports", ROWS)
    items = list(iter_table(path, id_column="id"))
    expected = [(label, doc_id.format(stem=path.stem) if doc_id else None, text) for label, doc_id, text in EXPECTED]
    assert [outcome(item) for item in items] == expected
    texts = [item for item in items if isinstance(item, Text)]
    assert {(t.format, t.encoding) for t in texts} == {(FORMATS[kind], ENCODINGS[kind])}
    assert all(t.source.startswith(f"{path}#row=") for t in texts)


@pytest.mark.parametrize("kind", list(WRITERS))
def test_without_id_column_ids_are_row_numbers(tmp_path: Path, kind: str) -> None:
    path = WRITERS[kind](tmp_path / "reports", ROWS)
    ids = [item.doc_id for item in iter_table(path) if isinstance(item, Text)]
    assert ids == ["reports-0", "reports-2", "reports-4"]


@pytest.mark.parametrize("kind", list(WRITERS))
@pytest.mark.parametrize("columns", [{"text_column": "body"}, {"id_column": "report_id"}])
def test_missing_column_names_the_available_ones(tmp_path: Path, kind: str, columns: dict) -> None:
    path = WRITERS[kind](tmp_path / "reports", ROWS)
    (error,) = list(iter_table(path, **columns))
    assert isinstance(error, InputError)
    missing = columns.get("text_column") or columns["id_column"]
    assert f"no column {missing!r}" in str(error)
    assert "valid: id, text, year" in str(error)
    assert ("--text-column" if "text_column" in columns else "--id-column") in str(error)


def test_other_text_column(tmp_path: Path) -> None:
    rows = [{"正文": "报告正文", "编号": 7}]
    (item,) = list(iter_table(parquet(tmp_path / "t", rows), text_column="正文", id_column="编号"))
    assert (item.text, item.doc_id) == ("报告正文", "7")


def test_non_text_values_are_row_errors(tmp_path: Path) -> None:
    items = list(iter_table(jsonl(tmp_path / "t", [{"text": 123}, {"text": ["a"]}, {"text": "好"}])))
    assert [type(i).__name__ for i in items] == ["InputError", "InputError", "Text"]
    assert "is int, not text" in str(items[0])


def test_bad_jsonl_lines_are_row_errors(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(
        '{"text": "第一份"}\n\n{not json\n[1, 2]\n{"text": "\xff"}\n'.encode("utf-8")
        + b'{"text": "\xff\xfe"}\n'
        + '{"other": "无正文"}\n{"text": "最后"}\n'.encode("utf-8")
    )
    items = list(iter_table(path))
    assert [outcome(i)[0] for i in items] == ["row=0", "row=1", "row=2", "row=3", "row=4", "row=5", "row=6"]
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Text", "InputError", "InputError", "Text", "InputError", "InputError", "Text"]
    assert "line 3 is not a JSON object" in str(items[1])
    assert "line 4 is a JSON list" in str(items[2])
    assert "line 6" in str(items[4])
    assert "empty text" in str(items[5])  # a record without the key is a row without text


def test_first_jsonl_record_decides_the_columns(tmp_path: Path) -> None:
    (error,) = list(iter_table(jsonl(tmp_path / "t", [{"body": "x"}, {"text": "y"}])))
    assert "no column 'text'" in str(error) and "valid: body" in str(error)


def test_parquet_is_streamed_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow.parquet as pq

    sizes: list[int] = []
    original = pq.ParquetFile.iter_batches

    def spy(self, *args, **kwargs):
        for batch in original(self, *args, **kwargs):
            sizes.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", spy)
    monkeypatch.setattr(tables, "BATCH_ROWS", 3)
    path = parquet(tmp_path / "big", [{"text": f"报告{i}"} for i in range(10)])
    stream = iter_table(path)
    first = next(stream)
    assert first.text == "报告0" and sum(sizes) <= 3  # one batch read, not the whole file
    assert [t.text for t in stream] == [f"报告{i}" for i in range(1, 10)]


def test_dataset_dict_splits(tmp_path: Path) -> None:
    import datasets

    folder = tmp_path / "splits"
    datasets.DatasetDict({
        "train": datasets.Dataset.from_list([{"text": "训练一"}, {"text": "训练二"}]),
        "test": datasets.Dataset.from_list([{"text": "测试一"}]),
    }).save_to_disk(str(folder))
    items = list(iter_table(folder))
    assert [(i.source.split("#")[1], i.doc_id, i.text) for i in items] == [
        ("split=train,row=0", "splits-train-0", "训练一"),
        ("split=train,row=1", "splits-train-1", "训练二"),
        ("split=test,row=0", "splits-test-0", "测试一"),
    ]


def test_dataset_loading_is_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_DATASETS_OFFLINE", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    list(iter_table(dataset(tmp_path / "d", [{"text": "x"}])))
    import os

    assert os.environ["HF_DATASETS_OFFLINE"] == "1" and os.environ["HF_HUB_OFFLINE"] == "1"


def test_csv_with_a_long_report_in_one_cell(tmp_path: Path) -> None:
    long_text = "全年开展群众文化活动168场。" * 20000  # past csv's default 128 KiB field limit
    (item,) = list(iter_table(csv_file(tmp_path / "long", [{"text": long_text}])))
    assert item.text == long_text


def put(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: d / "missing.parquet", "no such file or folder"),
        (lambda d: (d / "plain").mkdir() or d / "plain", "not a dataset saved with datasets' save_to_disk"),
        (lambda d: put(d / "t.xlsx", b"PK"), "not a table this reader knows"),
        (lambda d: put(d / "t.parquet", b"not parquet at all"), "not a readable Parquet file"),
        (lambda d: put(d / "t.csv", b"\x80\xff" * 50), "cannot tell the CSV's encoding"),
        (lambda d: put(d / "t.csv", b""), "no column 'text'"),
        (lambda d: put(d / "bad" / "state.json", b"{}").parent, "cannot load the saved dataset"),
    ],
)
def test_table_errors(tmp_path: Path, make: Callable[[Path], Path], expected: str) -> None:
    (error,) = list(iter_table(make(tmp_path)))
    assert isinstance(error, InputError)
    assert expected in str(error) and "Fix:" in str(error)

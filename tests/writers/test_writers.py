"""Every output format: same tables, same columns, same values; resume; atomic documents."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path

import pytest

from pipeline.errors import OutputError
from pipeline.records import TABLES, failure_record, text_sha256
from pipeline.writers import DATABASE_FORMATS, WRITERS, format_for, open_writer, read_tables
from pipeline.writers.files import parts_dir, table_paths
from pipeline.writers import TABULAR_FORMATS
from pipeline.writers.schema import COLUMN_TYPES, ROWS_KEY, column_types, with_table_rows

FORMATS = ["jsonl", "csv", "parquet", "sqlite", "duckdb"]
VERSION = "jixiao-0.1.0+classifier-abc"


def record(doc_id: str, text: str = "一、基本情况\n预算356.8万元，执行率98.6%。", *, version: str = VERSION) -> dict:
    """A record as `doc_to_record` makes it, by hand: awkward values included (nulls,
    commas, quotes, newlines, a float that is an integer, booleans)."""
    return {
        "id": doc_id,
        "source": f"reports/{doc_id}.txt",
        "sha256": text_sha256(text),
        "chars": len(text),
        "encoding": "gb18030",
        "report": {"org": "某县文化馆", "year": 2023, "report_type": "dept_self_eval", "headline": {"budget": 3568000.0}},
        "model_version": version,
        "furniture": [],
        "status": "ok",
        "error": None,
        "segments": [
            {"start": 0, "end": 6, "text": "一、基本情况", "label": "heading", "scores": None, "section": []},
            {
                "start": 7, "end": len(text), "text": '预算356.8万元，"执行率"98.6%。\n', "label": "metric",
                "scores": {"metric": 0.91, "other": 0.09}, "section": ["一、基本情况", "（一）收入"],
            },
        ],
        "entities": [
            {"start": 9, "end": 16, "text": "356.8万元", "label": "MONEY", "value": 3568000.0, "approx": False, "unit": "万元", "matched_by": "rule", "segment": 1},
            {"start": 20, "end": 25, "text": "98.6%", "label": "PERCENT", "value": 0.986, "approx": True, "value_max": 1.0, "unit": "%", "matched_by": "rule", "segment": 1},
            {"start": 2, "end": 4, "text": "基本", "label": "EVENT", "matched_by": "model", "segment": None},
        ],
    }


def output(tmp_path: Path, fmt: str, name: str = "out") -> Path:
    return tmp_path / f"{name}.{fmt}"


def without_time(tables: dict) -> dict:
    rows = {table: [dict(row) for row in tables[table]] for table in TABLES}
    for row in rows["documents"]:
        row["processed_at"] = None
    key = {"documents": lambda r: r["id"], "segments": lambda r: (r["doc_id"], r["index"]), "entities": lambda r: (r["doc_id"], r["start"], r["label"])}
    return {table: sorted(rows[table], key=key[table]) for table in TABLES}


def write_all(path: Path, records: list[dict], *, resume: bool | None = None) -> None:
    with open_writer(path, resume=resume) as writer:
        for rec in records:
            writer.write(rec)


RECORDS = [record("a"), record("b", "二、问题\n进度偏慢。"), failure_record(doc_id="c", source="reports/c.pdf", error="reports/c.pdf: encrypted", model_version=VERSION)]


def test_every_column_has_a_type():
    for table, columns in TABLES.items():
        assert set(COLUMN_TYPES[table]) == set(columns), table
        assert [c for c, _ in column_types(table)] == list(columns)


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_has_the_tables_and_columns_of_records(tmp_path, fmt):
    path = output(tmp_path, fmt)
    write_all(path, RECORDS)
    tables = read_tables(path)
    assert set(tables) == set(TABLES)
    for table, rows in tables.items():
        assert rows, table
        assert all(tuple(row) == TABLES[table] for row in rows)
    docs = {row["id"]: row for row in tables["documents"]}
    assert docs["a"]["status"] == "ok" and docs["a"]["year"] == 2023 and docs["a"]["org"] == "某县文化馆"
    assert docs["c"]["status"] == "failed" and "encrypted" in docs["c"]["error"] and docs["c"]["chars"] is None
    seg = next(r for r in tables["segments"] if r["doc_id"] == "a" and r["index"] == 1)
    assert seg["section"] == "一、基本情况 > （一）收入" and seg["score_metric"] == 0.91 and seg["score_problem"] is None
    assert seg["text"] == '预算356.8万元，"执行率"98.6%。\n'
    heading = next(r for r in tables["segments"] if r["doc_id"] == "a" and r["index"] == 0)
    assert heading["section"] == ""  # the empty string stays empty, not NULL, in every format
    ents = {r["text"]: r for r in tables["entities"] if r["doc_id"] == "a"}
    assert ents["98.6%"]["approx"] is True and ents["98.6%"]["value_max"] == 1.0
    assert ents["基本"]["value"] is None and ents["基本"]["segment_index"] is None
    assert {r["doc_id"] for r in tables["segments"]} == {"a", "b"}


def test_every_format_holds_the_same_rows(tmp_path):
    outputs = {}
    for fmt in FORMATS:
        path = output(tmp_path, fmt)
        write_all(path, RECORDS)
        outputs[fmt] = without_time(read_tables(path))
    for fmt in FORMATS[1:]:
        assert outputs[fmt] == outputs["jsonl"], fmt


@pytest.mark.parametrize("fmt", sorted(TABULAR_FORMATS))
def test_records_flattened_by_a_worker_write_the_same_tables(tmp_path, fmt):
    """A worker sends `with_table_rows(record)` to a tabular writer: the same rows."""
    flattened = [with_table_rows(copy.deepcopy(r)) for r in RECORDS]
    assert all(ROWS_KEY in r and "segments" not in r for r in flattened)
    as_records, as_rows = output(tmp_path / "records", fmt), output(tmp_path / "rows", fmt)
    for path in (as_records, as_rows):
        path.parent.mkdir(parents=True, exist_ok=True)
    write_all(as_records, RECORDS)
    write_all(as_rows, flattened)
    assert without_time(read_tables(as_rows)) == without_time(read_tables(as_records))


def test_a_record_that_does_not_fit_is_not_flattened_and_fails_in_the_writer(tmp_path):
    bad = record("a", "新的文本")
    bad["entities"][0]["value"] = "not a number"
    assert with_table_rows(bad) is bad
    with open_writer(output(tmp_path, "sqlite")) as writer:
        with pytest.raises(OutputError, match="does not fit"):
            writer.write(with_table_rows(bad))


@pytest.mark.parametrize("fmt", FORMATS)
def test_resume_skips_unchanged_and_redoes_changed_without_duplicates(tmp_path, fmt):
    path = output(tmp_path, fmt)
    write_all(path, RECORDS, resume=False)
    with open_writer(path, resume=True) as writer:
        done = writer.done()
        # failed documents are not done: a rerun tries them again
        assert done == {"a": (RECORDS[0]["sha256"], VERSION), "b": (RECORDS[1]["sha256"], VERSION)}
        changed = record("b", "二、问题\n进度偏慢，整改中。")
        changed["segments"] = changed["segments"][:1]
        writer.write(changed)
        writer.write(record("c"))  # the failed one, now fine
        writer.write(record("d"))
    tables = read_tables(path)
    ids = [row["id"] for row in tables["documents"]]
    assert sorted(ids) == ["a", "b", "c", "d"]
    docs = {row["id"]: row for row in tables["documents"]}
    assert docs["b"]["sha256"] == text_sha256("二、问题\n进度偏慢，整改中。")
    assert docs["c"]["status"] == "ok"
    assert sum(1 for r in tables["segments"] if r["doc_id"] == "b") == 1
    assert sum(1 for r in tables["segments"] if r["doc_id"] == "a") == 2
    assert sum(1 for r in tables["entities"] if r["doc_id"] == "a") == 3
    for table in ("segments", "entities"):
        keys = [(r["doc_id"], r["start"], r["label"]) for r in tables[table]]
        assert len(keys) == len(set(keys)), table
    if fmt == "jsonl":  # redone ids are compacted to one line each
        lines = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]
        assert sorted(lines) == ["a", "b", "c", "d"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_resume(tmp_path, fmt):
    path = output(tmp_path, fmt)
    write_all(path, RECORDS, resume=False)
    with open_writer(path, resume=False) as writer:
        assert writer.done() == {}
        writer.write(record("z"))
    ids = sorted(row["id"] for row in read_tables(path)["documents"])
    # files start over; a database keeps the other documents it holds
    assert ids == (["a", "b", "c", "z"] if fmt in DATABASE_FORMATS else ["z"])


@pytest.mark.parametrize("fmt", ["sqlite", "duckdb"])
def test_a_document_that_cannot_be_written_leaves_its_old_rows_whole(tmp_path, fmt):
    path = output(tmp_path, fmt)
    write_all(path, RECORDS)
    before = without_time(read_tables(path))
    bad = record("a", "新的文本")
    bad["entities"][0]["value"] = "not a number"
    with open_writer(path) as writer:
        with pytest.raises(OutputError, match="does not fit"):
            writer.write(bad)
        writer.write(record("e"))  # the writer is still usable
    after = without_time(read_tables(path))
    assert [r for r in after["documents"] if r["id"] != "e"] == before["documents"]
    assert [r for r in after["segments"] if r["doc_id"] != "e"] == before["segments"]


def test_sql_writers_roll_back_a_failure_inside_the_transaction(tmp_path, monkeypatch):
    from pipeline.writers.database import SqliteWriter

    path = output(tmp_path, "sqlite")
    write_all(path, RECORDS)
    calls = []

    def failing_insert(self, table, rows):
        calls.append(table)
        if table == "entities":
            raise sqlite3.OperationalError("disk I/O error")
        return original(self, table, rows)

    original = SqliteWriter._insert
    monkeypatch.setattr(SqliteWriter, "_insert", failing_insert)
    with open_writer(path) as writer, pytest.raises(OutputError, match="could not be written"):
        writer.write(record("a", "另一个版本"))
    assert calls == ["documents", "segments", "entities"]
    con = sqlite3.connect(path)
    # the deletes and the first inserts were rolled back: the old document is intact
    assert con.execute("SELECT sha256 FROM documents WHERE id = 'a'").fetchone()[0] == RECORDS[0]["sha256"]
    assert con.execute("SELECT count(*) FROM segments WHERE doc_id = 'a'").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM entities WHERE doc_id = 'a'").fetchone()[0] == 3


@pytest.mark.parametrize("fmt", ["sqlite", "duckdb"])
def test_databases_have_keys_and_indexes(tmp_path, fmt):
    path = output(tmp_path, fmt)
    write_all(path, RECORDS)
    if fmt == "sqlite":
        con = sqlite3.connect(path)
        indexes = {row[0] for row in con.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'index'")}
        with pytest.raises(sqlite3.IntegrityError):
            con.execute("INSERT INTO documents (id) VALUES ('a')")
    else:
        import duckdb

        con = duckdb.connect(str(path))
        # DuckDB lists the primary key's index as a constraint, not in duckdb_indexes()
        indexes = {row[0] for row in con.execute("SELECT table_name FROM duckdb_indexes()").fetchall()} | {"documents"}
        assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'documents' AND constraint_type = 'PRIMARY KEY'").fetchone()[0] == 1
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO documents (id) VALUES ('a')")
    assert {"documents", "segments", "entities"} <= indexes
    con.close()


@pytest.mark.parametrize("fmt", ["sqlite", "duckdb"])
def test_the_readme_queries_run(tmp_path, fmt):
    path = output(tmp_path, fmt)
    write_all(path, RECORDS)
    queries = [
        "SELECT report_type, year, count(*) AS n FROM documents WHERE status = 'ok' GROUP BY report_type, year",
        'SELECT d.org, s.label, count(*) FROM segments s JOIN documents d ON d.id = s.doc_id GROUP BY d.org, s.label',
        "SELECT d.org, sum(e.value) / 10000 AS wan_yuan FROM entities e JOIN documents d ON d.id = e.doc_id WHERE e.label = 'MONEY' GROUP BY d.org",
    ]
    if fmt == "sqlite":
        con = sqlite3.connect(path)
    else:
        import duckdb

        con = duckdb.connect(str(path))
    assert con.execute(queries[0]).fetchall() == [("dept_self_eval", 2023, 2)]
    assert sorted(con.execute(queries[1]).fetchall()) == [("某县文化馆", "heading", 2), ("某县文化馆", "metric", 2)]
    assert con.execute(queries[2]).fetchone() == ("某县文化馆", 713.6)
    con.close()


def test_an_existing_table_with_other_columns_is_refused(tmp_path):
    path = output(tmp_path, "sqlite")
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE documents (id TEXT, title TEXT)")
    con.commit()
    con.close()
    with pytest.raises(OutputError, match="other columns") as err:
        open_writer(path)
    assert "Fix:" in str(err.value)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = output(tmp_path, "sqlite")
    path.write_text("this is not a database, just text " * 100)
    with pytest.raises(OutputError, match="cannot be opened"):
        open_writer(path)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_files_are_named_per_table(tmp_path, fmt):
    path = output(tmp_path, fmt, "run")
    write_all(path, RECORDS)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"run.{table}.{fmt}" for table in TABLES)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_an_interrupted_file_run_keeps_whole_batches_and_resumes(tmp_path, fmt):
    path = output(tmp_path, fmt)
    write_all(path, [record("old")])
    writer = WRITERS[fmt](path, resume=True, batch_documents=2)
    with pytest.raises(KeyboardInterrupt):
        with writer:
            for name in ["a", "b", "c"]:
                writer.write(record(name))
            raise KeyboardInterrupt
    # the final files are those of the run before; the batches wait in NAME.parts/
    assert [r["id"] for r in read_tables(path)["documents"]] == ["old"]
    assert len(list(parts_dir(path, f".{fmt}").glob("part-*"))) == 2  # [a, b] and the flushed [c]
    (parts_dir(path, f".{fmt}") / "part-000009.tmp").mkdir()  # a batch a kill -9 tore
    with open_writer(path, resume=True) as writer:
        assert set(writer.done()) == {"old", "a", "b", "c"}
        writer.write(record("a", "重做"))
    tables = read_tables(path)
    assert sorted(r["id"] for r in tables["documents"]) == ["a", "b", "c", "old"]
    assert next(r for r in tables["documents"] if r["id"] == "a")["sha256"] == text_sha256("重做")
    assert sum(1 for r in tables["segments"] if r["doc_id"] == "a") == 2
    assert not parts_dir(path, f".{fmt}").exists()


@pytest.mark.parametrize("fmt", ["parquet", "sqlite", "duckdb"])
def test_a_repeated_id_in_one_batch_is_written_once(tmp_path, fmt):
    # databases delete a document's old rows only when it has some: also those of this run
    path = output(tmp_path, fmt)
    write_all(path, [record("a"), record("a", "第二次")])
    tables = read_tables(path)
    assert [r["sha256"] for r in tables["documents"]] == [text_sha256("第二次")]
    assert len(tables["segments"]) == 2


def test_format_from_suffix_or_option(tmp_path):
    assert format_for(Path("x.sqlite")) == "sqlite" and format_for(Path("x.DuckDB")) == "duckdb"
    assert format_for(Path("x.out"), "parquet") == "parquet"
    with pytest.raises(OutputError, match="cannot tell"):
        format_for(Path("x.xlsx"))
    with pytest.raises(OutputError, match="unknown output format"):
        format_for(Path("x.sqlite"), "xlsx")
    assert table_paths(Path("o/run.csv"), ".csv")["segments"] == Path("o/run.segments.csv")


def test_records_are_not_changed_by_writing(tmp_path):
    rec = record("a")
    before = copy.deepcopy(rec)
    for fmt in FORMATS:
        write_all(output(tmp_path, fmt), [rec])
    assert rec == before

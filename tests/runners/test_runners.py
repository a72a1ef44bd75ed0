"""Who runs documents: in-process, local worker processes, Dask; resume; kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# Worker processes import the fake pipeline by module name, whatever pytest's import mode.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from jixiao_fake_nlp import make_fake_nlp, report_text  # noqa: E402
from pipeline.errors import ConfigError, InputError, OutputError
from pipeline.readers.base import Text
from pipeline.runners import DEFAULT_OUTPUT, run_items
from pipeline.runners.engines import bounded_results
from pipeline.runners.workers import BatchResult
from pipeline.writers import read_tables

QUIET = {"progress": False, "log": lambda message: None}


def texts(n: int, *, extra: dict[int, str] | None = None) -> list:
    extra = extra or {}
    return [Text(text=report_text(i) + extra.get(i, ""), source=f"archive/r{i:03d}.txt", encoding="utf-8", format="txt") for i in range(n)]


def with_unreadable(items: list) -> list:
    return [*items, InputError("archive/scan.pdf", "a scanned PDF with no text layer", fix="run OCR first")]


def comparable(path: Path) -> dict:
    """The output's rows, sorted, without the processing time."""
    tables = read_tables(path)
    for row in tables["documents"]:
        row["processed_at"] = None
    keys = {"documents": ("id",), "segments": ("doc_id", "index"), "entities": ("doc_id", "start")}
    return {t: sorted(rows, key=lambda r: tuple(r[k] for k in keys[t])) for t, rows in tables.items()}


def assert_whole(path: Path, expected_ids: set[str]) -> None:
    """Every document once, and no segment or entity row without its document."""
    con = sqlite3.connect(path)
    ids = [row[0] for row in con.execute("SELECT id FROM documents")]
    assert sorted(ids) == sorted(expected_ids)
    for table in ("segments", "entities"):
        orphans = con.execute(f"SELECT count(*) FROM {table} WHERE doc_id NOT IN (SELECT id FROM documents)").fetchone()[0]
        assert orphans == 0, table
    con.close()


def test_the_default_output_is_the_embedded_database():
    assert DEFAULT_OUTPUT == "jixiao.sqlite"


def test_in_process_run_records_failures_and_goes_on(tmp_path):
    out = tmp_path / "out.sqlite"
    summary = run_items(with_unreadable(texts(6, extra={2: "FAIL"})), output=out, jobs=1, nlp_factory=make_fake_nlp, **QUIET)
    assert (summary.documents, summary.failed, summary.skipped) == (7, 2, 0)
    docs = {r["id"]: r for r in read_tables(out)["documents"]}
    assert docs["r002"]["status"] == "failed" and "ValueError" in docs["r002"]["error"]
    assert docs["scan"]["status"] == "failed" and "OCR" in docs["scan"]["error"]
    assert docs["r001"]["status"] == "ok" and docs["r001"]["model_version"] == "jixiao-fake-1"


def test_two_processes_write_what_one_writes(tmp_path):
    items = with_unreadable(texts(40, extra={7: "FAIL"}))
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    run_items(items, output=one, jobs=1, nlp_factory=make_fake_nlp, **QUIET)
    summary = run_items(items, output=two, jobs=2, nlp_factory=make_fake_nlp, **QUIET)
    assert summary.workers == 2 and summary.failed == 2
    assert summary.peak_rss and all(rss > 10 * 2**20 for rss in summary.peak_rss.values())
    assert comparable(two) == comparable(one)
    assert len(comparable(one)["segments"]) > 40


def test_resume_skips_done_documents_and_redoes_changed_ones(tmp_path):
    out = tmp_path / "out.sqlite"
    items = texts(8, extra={3: "FAIL"})
    run_items(items, output=out, nlp_factory=make_fake_nlp, **QUIET)
    again = run_items(items, output=out, nlp_factory=make_fake_nlp, **QUIET)
    assert (again.skipped, again.documents) == (7, 1)  # the failed one is tried again
    changed = texts(8, extra={3: "FAIL", 5: "新增一句。"})
    third = run_items(changed, output=out, nlp_factory=make_fake_nlp, **QUIET)
    assert (third.skipped, third.documents) == (6, 2)
    new_model = run_items(changed, output=out, nlp_factory=make_fake_nlp, overrides={"fake.version": "fake-2"}, **QUIET)
    assert (new_model.skipped, new_model.documents) == (0, 8)
    assert_whole(out, {f"r{i:03d}" for i in range(8)})
    no_resume = run_items(changed, output=out, nlp_factory=make_fake_nlp, resume=False, overrides={"fake.version": "fake-2"}, **QUIET)
    assert no_resume.skipped == 0


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "duckdb"])
def test_every_format_through_the_runner(tmp_path, fmt):
    items = with_unreadable(texts(5))
    run_items(items, output=tmp_path / "ref.sqlite", nlp_factory=make_fake_nlp, **QUIET)
    out = tmp_path / f"out.{fmt}"
    run_items(items, output=out, nlp_factory=make_fake_nlp, **QUIET)
    again = run_items(items, output=out, nlp_factory=make_fake_nlp, resume=True, **QUIET)
    assert again.skipped == 5
    got, ref = comparable(out), comparable(tmp_path / "ref.sqlite")
    if fmt == "jsonl":  # JSONL records carry no processing time
        for row in ref["documents"]:
            row["processed_at"] = None
    assert got == ref


def test_a_document_that_kills_its_worker_fails_alone(tmp_path):
    out = tmp_path / "out.sqlite"
    items = texts(40, extra={20: "CRASH", 33: "CRASH"})
    summary = run_items(items, output=out, jobs=2, nlp_factory=make_fake_nlp, **QUIET)
    docs = {r["id"]: r for r in read_tables(out)["documents"]}
    assert len(docs) == 40
    assert docs["r020"]["status"] == "failed" and "worker failed on this document" in docs["r020"]["error"]
    assert summary.failed == 2 and {r["id"] for r in docs.values() if r["status"] == "failed"} == {"r020", "r033"}
    # failures are not done: a rerun tries them again, and only them
    rerun = run_items(texts(40), output=out, jobs=1, nlp_factory=make_fake_nlp, **QUIET)
    assert (rerun.documents, rerun.failed) == (2, 0)


def test_progress_is_logged_every_n_documents_when_not_on_a_terminal(tmp_path):
    lines: list[str] = []
    run_items(texts(10, extra={4: "FAIL"}), output=tmp_path / "o.sqlite", nlp_factory=make_fake_nlp, progress=False, log_every=4, log=lines.append)
    progress = [line for line in lines if line.startswith("progress:")]
    assert len(progress) == 2 and "docs/s" in progress[0] and "chars/s" in progress[0] and "1 failed" in progress[1]
    assert any(line.startswith("failed: ValueError") for line in lines)


def test_a_repeated_id_is_reported(tmp_path):
    lines: list[str] = []
    items = texts(2) + [Text(text="另一份。", source="other/r001.txt", encoding="utf-8", format="txt")]
    run_items(items, output=tmp_path / "o.sqlite", nlp_factory=make_fake_nlp, progress=False, log=lines.append)
    assert any("'r001' occurs twice" in line for line in lines)


def test_bad_options_fail_before_the_pipeline_loads(tmp_path):
    def never(*args, **kwargs):
        raise AssertionError("the pipeline should not load")

    for options, error in [
        ({"engine": "spark"}, ConfigError),
        ({"jobs": -1}, ConfigError),
        ({"output": tmp_path / "out.xlsx"}, OutputError),
        ({"scheduler": "tcp://127.0.0.1:8786"}, ConfigError),
    ]:
        with pytest.raises(error) as err:
            run_items(texts(1), **{"output": tmp_path / "o.sqlite", **options}, nlp_factory=never, **QUIET)
        assert "Fix:" in str(err.value)


def test_bounded_results_keeps_few_batches_in_flight():
    in_flight = peak = 0

    def work(batch):
        time.sleep(0.005)
        return BatchResult(records=[{"id": x} for x in batch])

    pool = ThreadPoolExecutor(4)

    def submit(batch):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        return pool.submit(work, batch)

    def wait_first(futures):
        nonlocal in_flight
        done, rest = wait(futures, return_when=FIRST_COMPLETED)
        in_flight -= len(done)
        return done, rest

    results = list(bounded_results(submit, wait_first, ([i] for i in range(50)), limit=3, version="v"))
    pool.shutdown()
    assert peak <= 3
    assert sorted(r.records[0]["id"] for r in results) == list(range(50))


# --- interrupted runs: a real process, killed ------------------------------------------------

DRIVER = """
import sys
sys.path.insert(0, {here!r})
from pathlib import Path
from jixiao_fake_nlp import make_fake_nlp
from pipeline.readers.base import Text
from pipeline.runners import run_items

if __name__ == "__main__":  # worker processes import this module again
    folder, out, jobs, resume = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4] == "resume"
    items = (Text(text=p.read_text(encoding="utf-8"), source=str(p), encoding="utf-8", format="txt") for p in sorted(folder.glob("*.txt")))
    summary = run_items(items, output=out, jobs=jobs, nlp_factory=make_fake_nlp, resume=resume or None, progress=False, log_every=5)
    print(summary.skipped, summary.documents, flush=True)
"""


def archive(tmp_path: Path, n: int = 40) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for i in range(n):
        (folder / f"r{i:03d}.txt").write_text(report_text(i) + "SLOW", encoding="utf-8")
    return folder


def start(tmp_path: Path, folder: Path, out: Path, jobs: int, resume: bool = False) -> subprocess.Popen:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER.format(here=str(HERE)), encoding="utf-8")
    # a session of its own: the kill reaches the run and every worker it started
    return subprocess.Popen(
        [sys.executable, str(driver), str(folder), str(out), str(jobs), "resume" if resume else "-"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def written(out: Path, fmt: str) -> int:
    try:
        if fmt == "sqlite":
            con = sqlite3.connect(f"file:{out}?mode=ro", uri=True, timeout=1)
            try:
                return con.execute("SELECT count(*) FROM documents").fetchone()[0]
            finally:
                con.close()
        parts = out.with_name(out.stem + ".parts")
        return len(list(parts.glob("part-*[0-9]"))) * 64
    except sqlite3.Error:
        return 0


def kill_when(proc: subprocess.Popen, out: Path, fmt: str, at_least: int, sig: int) -> None:
    deadline = time.monotonic() + 60
    while written(out, fmt) < at_least:
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it could be interrupted: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("no documents written within a minute")
        time.sleep(0.02)
    os.killpg(proc.pid, sig)
    proc.wait(timeout=30)


@pytest.mark.parametrize("jobs", [1, 2])
def test_kill_9_then_rerun_leaves_every_document_once(tmp_path, jobs):
    folder = archive(tmp_path)
    out = tmp_path / "out.sqlite"
    proc = start(tmp_path, folder, out, jobs)
    kill_when(proc, out, "sqlite", 8, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    before = written(out, "sqlite")
    assert 8 <= before < 40, "the kill came too late to test anything"
    assert_whole(out, set(_ids_in(out)))  # what is there is whole

    rerun = start(tmp_path, folder, out, jobs)
    stdout, stderr = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, stderr
    skipped, documents = map(int, stdout.split())
    assert skipped >= before and skipped + documents == 40

    reference = tmp_path / "ref.sqlite"
    run_items(
        (Text(text=p.read_text(encoding="utf-8"), source=str(p), encoding="utf-8", format="txt") for p in sorted(folder.glob("*.txt"))),
        output=reference, nlp_factory=make_fake_nlp, **QUIET,
    )
    assert_whole(out, {f"r{i:03d}" for i in range(40)})
    assert comparable(out) == comparable(reference)


def test_ctrl_c_stops_cleanly_and_says_how_to_finish(tmp_path):
    folder = archive(tmp_path)
    out = tmp_path / "out.sqlite"
    proc = start(tmp_path, folder, out, 2)
    kill_when(proc, out, "sqlite", 5, signal.SIGINT)
    stderr = proc.stderr.read()
    assert "interrupted after" in stderr and "every document written is complete" in stderr
    assert_whole(out, set(_ids_in(out)))
    rerun = start(tmp_path, folder, out, 2)
    rerun.communicate(timeout=120)
    assert_whole(out, {f"r{i:03d}" for i in range(40)})


def test_kill_9_of_a_parquet_run_resumes_from_its_batches(tmp_path):
    folder = archive(tmp_path, 150)  # more than two batches of 64
    out = tmp_path / "out.parquet"
    proc = start(tmp_path, folder, out, 2)
    kill_when(proc, out, "parquet", 64, signal.SIGKILL)
    assert not out.with_name("out.documents.parquet").exists()  # no final files from a killed run
    rerun = start(tmp_path, folder, out, 2, resume=True)
    stdout, stderr = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, stderr
    skipped, documents = map(int, stdout.split())
    assert skipped >= 64 and skipped + documents == 150
    ids = [r["id"] for r in read_tables(out)["documents"]]
    assert sorted(ids) == [f"r{i:03d}" for i in range(150)]
    segments = read_tables(out)["segments"]
    assert {r["doc_id"] for r in segments} == set(ids)
    assert len({(r["doc_id"], r["index"]) for r in segments}) == len(segments)


def _ids_in(out: Path) -> list[str]:
    con = sqlite3.connect(out)
    try:
        return [row[0] for row in con.execute("SELECT id FROM documents")]
    finally:
        con.close()


# --- Dask -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_cluster():
    try:
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None)
    except Exception as err:  # no sockets, no process spawning …: not this code's fault
        pytest.skip(f"a Dask LocalCluster cannot start here: {type(err).__name__}: {err}")
    yield cluster
    cluster.close()


def test_a_dask_cluster_writes_what_one_process_writes(tmp_path, dask_cluster):
    import cloudpickle

    import jixiao_fake_nlp

    # The workers have the project installed, but not the tests folder on their path:
    # ship the fake pipeline's module by value.
    cloudpickle.register_pickle_by_value(jixiao_fake_nlp)
    try:
        items = with_unreadable(texts(30, extra={4: "FAIL"}))
        run_items(items, output=tmp_path / "one.sqlite", nlp_factory=make_fake_nlp, **QUIET)
        summary = run_items(
            items, output=tmp_path / "dask.sqlite", engine="dask", scheduler=dask_cluster.scheduler_address,
            nlp_factory=make_fake_nlp, **QUIET,
        )
    finally:
        cloudpickle.unregister_pickle_by_value(jixiao_fake_nlp)
    assert summary.workers == 2 and summary.documents == 31 and summary.failed == 2
    assert comparable(tmp_path / "dask.sqlite") == comparable(tmp_path / "one.sqlite")


def test_paths_go_through_the_readers(tmp_path):
    from pipeline import readers

    if not all(hasattr(readers, name) for name in ("expand_inputs", "read_path")):
        pytest.skip("pipeline.readers has no expand_inputs/read_path yet")
    from pipeline.runners import run

    folder = tmp_path / "reports"
    folder.mkdir()
    for i in range(3):
        (folder / f"r{i:03d}.txt").write_text(report_text(i), encoding="utf-8")
    (folder / "r009.txt").write_bytes(b"")
    summary = run([str(folder)], output=tmp_path / "o.sqlite", nlp_factory=make_fake_nlp, **QUIET)
    docs = {r["id"]: r["status"] for r in read_tables(tmp_path / "o.sqlite")["documents"]}
    assert docs == {"r000": "ok", "r001": "ok", "r002": "ok", "r009": "failed"}
    assert summary.failed == 1


def test_files_with_the_same_stem_keep_distinct_stable_ids(tmp_path) -> None:
    from pipeline.runners import unique_ids

    files = sorted([tmp_path / "a" / "report.txt", tmp_path / "b" / "report.txt", tmp_path / "report.docx", tmp_path / "solo.txt"])
    ids = unique_ids(files)
    assert ids[tmp_path / "solo.txt"] == "solo"
    assert ids[tmp_path / "report.docx"] == "report.docx"
    assert ids[tmp_path / "a" / "report.txt"] != ids[tmp_path / "b" / "report.txt"]
    assert unique_ids(files) == ids


def test_in_process_run_keeps_its_pipeline_out_of_the_collectors_sight_while_it_runs():
    import gc

    from pipeline.runners.engines import InProcess
    from pipeline.runners.workers import YOUNG_COLLECTION_THRESHOLD, PipelineSpec

    thresholds = gc.get_threshold()
    with InProcess(PipelineSpec.make(factory=make_fake_nlp)) as engine:
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] >= YOUNG_COLLECTION_THRESHOLD
        assert [r.records[0]["status"] for r in engine.results(texts(2))] == ["ok", "ok"]
    assert gc.get_freeze_count() == 0  # thawed: the pipeline can be collected
    assert gc.get_threshold() == thresholds
    gc.freeze()  # a process that freezes its own objects keeps them frozen
    try:
        # (frozen objects that die leave the count, so it can only shrink meanwhile)
        frozen = gc.get_freeze_count()
        with InProcess(PipelineSpec.make(factory=make_fake_nlp)):
            assert 0 < gc.get_freeze_count() <= frozen  # nothing more frozen
        assert 0 < gc.get_freeze_count() <= frozen  # nor thawed
    finally:
        gc.unfreeze()

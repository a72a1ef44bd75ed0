"""Who runs the documents: this process, local worker processes, or a Dask cluster.

What is done to a document is `work.process_one`, the same everywhere. Records come
back to this process, in any order, and go to the one writer: one transaction a
document in the databases, so a run can be interrupted at any point and resumed.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import ConfigError, InputError, OutputError
from ..records import failure_record, text_sha256
from .engines import cores, make_engine
from .progress import make_reporter
from .work import model_version, process_one
from .workers import NlpFactory, PipelineSpec

DEFAULT_OUTPUT = "jixiao.sqlite"
ENGINES = ("local", "dask")
LOG_EVERY = 100

__all__ = ["DEFAULT_OUTPUT", "ENGINES", "Summary", "iter_inputs", "run", "run_items", "model_version", "process_one"]


@dataclass
class Summary:
    documents: int = 0
    failed: int = 0
    skipped: int = 0
    characters: int = 0
    seconds: float = 0.0
    output: str = ""
    errors: list[str] = field(default_factory=list)
    startup_seconds: float = 0.0  # starting workers and loading the pipeline
    workers: int = 1
    peak_rss: dict[str, int] = field(default_factory=dict)  # worker → peak resident bytes
    interrupted: bool = False

    def message(self) -> str:
        rate = self.characters / self.seconds if self.seconds else 0.0
        return (
            f"{self.documents} documents ({self.failed} failed, {self.skipped} skipped as already done) "
            f"in {self.seconds:.1f}s, {rate:,.0f} chars/s → {self.output}"
        )


def iter_inputs(paths: list[str], *, encoding: str | None, text_column: str | None, id_column: str | None) -> Iterator[Any]:
    """Reader results in order: `Text` or `InputError`, nothing dropped. Files and table
    rows take the same path from here on."""
    from ..readers import expand_inputs, iter_table, read_path

    if text_column:
        for raw in paths:
            yield from iter_table(Path(raw), text_column=text_column, id_column=id_column)
        return
    files, errors = expand_inputs(paths)
    yield from errors
    ids = unique_ids(files)
    for path in files:
        try:
            text = read_path(path, encoding=encoding)
        except InputError as err:
            yield err
            continue
        yield text if text.doc_id == ids[path] else replace(text, doc_id=ids[path])


def unique_ids(files: list[Path]) -> dict[Path, str]:
    """A document id per file: its stem, unless another file of the run has the same stem
    (report.docx beside report.pdf, 2022/report.txt and 2023/report.txt); then the name
    with its suffix, and if that is not enough, the path. Stable from run to run, since
    the inputs are expanded in sorted order, so that resume finds them again."""
    stems = Counter(p.stem for p in files)
    names = Counter(p.name for p in files)
    ids = {}
    for p in files:
        if stems[p.stem] == 1:
            ids[p] = p.stem
        elif names[p.name] == 1:
            ids[p] = p.name
        else:
            ids[p] = p.as_posix()
    return ids


def run(
    paths: list[str],
    *,
    encoding: str | None = None,
    text_column: str | None = None,
    id_column: str | None = None,
    **options: Any,
) -> Summary:
    """Read `paths` (files, folders, globs, or tables with `text_column`) and process them
    into `output`; the options are those of `run_items`."""
    return run_items(iter_inputs(paths, encoding=encoding, text_column=text_column, id_column=id_column), **options)


def run_items(
    items: Iterable[Any],
    *,
    output: Path | str | None = None,
    fmt: str | None = None,
    include_text: bool = False,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    resume: bool | None = None,
    config: Path | str | None = None,
    overrides: dict | None = None,
    nlp_factory: NlpFactory | None = None,
    processes: bool | None = None,
    progress: bool | None = None,
    log_every: int = LOG_EVERY,
    log: Callable[[str], None] | None = None,
) -> Summary:
    """Process reader results (`Text` or `InputError`) into one output.

    `jobs`: worker processes (0: one per core; 1: this process). `resume`: skip documents
    already in the output with the same text and model version (default: on for
    databases). `nlp_factory(config, overrides=...)`: builds the pipeline in each worker
    instead of `pipeline.load` (a module-level function, so workers can import it).
    `progress`: live display (True), log lines every `log_every` documents (False), or
    live only on a terminal (None)."""
    from ..writers import TABULAR_FORMATS, default_resume, format_for, open_writer

    if engine not in ENGINES:
        raise ConfigError("unknown engine", value=engine, options=ENGINES, fix="use --engine local or --engine dask")
    if jobs < 0:
        raise ConfigError("--jobs cannot be negative", value=jobs, fix="use 0 for one worker per core, or a positive number")
    log = log or (lambda message: print(message, file=sys.stderr))
    output = Path(output or DEFAULT_OUTPUT)
    fmt = format_for(output, fmt)  # before anything slow: a wrong name fails at once
    resume = default_resume(fmt) if resume is None else resume
    jobs = jobs or cores()
    spec = PipelineSpec.make(config, overrides, nlp_factory)
    summary = Summary(output=str(output), workers=jobs)

    started = time.perf_counter()
    with open_writer(output, fmt, resume=resume) as writer, make_engine(
        engine, spec, jobs=jobs, scheduler=scheduler, include_text=include_text, processes=processes, flatten=fmt in TABULAR_FORMATS
    ) as runner:
        summary.startup_seconds = time.perf_counter() - started
        summary.workers = runner.workers
        started = time.perf_counter()
        reporter = make_reporter(progress, log, log_every)
        unread: deque[dict[str, Any]] = deque()  # failures of reading: recorded here, never sent to workers
        pending = _pending(items, writer.done(), runner.version, unread, summary, reporter)
        seen: set[str] = set()
        try:
            for batch in runner.results(pending):
                if batch.peak_rss:
                    summary.peak_rss[batch.worker] = max(batch.peak_rss, summary.peak_rss.get(batch.worker, 0))
                for record in [*_drain(unread), *batch.records]:
                    _store(writer, record, summary, reporter, seen, log)
            for record in _drain(unread):
                _store(writer, record, summary, reporter, seen, log)
        except KeyboardInterrupt:
            summary.interrupted = True
            log(
                f"interrupted after {summary.documents} documents; every document written is complete. "
                f"Run the same command again{'' if resume else ' with --resume'} to finish the rest."
            )
            raise
        finally:
            reporter.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _pending(items: Iterable[Any], done: dict, version: str, unread: deque, summary: Summary, reporter) -> Iterator[Any]:
    """The texts that need processing: reading failures go to `unread`, documents
    already done with the same text and model version are skipped."""
    for item in items:
        if isinstance(item, InputError):
            unread.append(process_one(None, item, version=version))
            continue
        if done and done.get(item.doc_id) == (text_sha256(item.text), version):
            summary.skipped += 1
            reporter.skipped()
            continue
        yield item


def _drain(queue: deque) -> Iterator[Any]:
    while queue:
        yield queue.popleft()


def _store(writer, record: dict[str, Any], summary: Summary, reporter, seen: set[str], log: Callable[[str], None]) -> None:
    doc_id = record["id"]
    if doc_id in seen:
        # Ids are file stems: a/report.txt and b/report.txt collide, and the later
        # replaces the earlier. Say so rather than lose a document silently.
        log(f"warning: the id {doc_id!r} occurs twice in this run ({record.get('source')}); the later document replaces the earlier")
    seen.add(doc_id)
    try:
        writer.write(record)
    except OutputError as err:
        # A record the output cannot hold fails as one document; the run goes on. If
        # the output itself is broken, writing the failure raises too and ends the run.
        record = failure_record(doc_id=doc_id, source=record.get("source"), error=str(err), sha256=record.get("sha256"), model_version=record.get("model_version"))
        writer.write(record)
    failed = record.get("status") == "failed"
    summary.documents += 1
    summary.characters += record.get("chars") or 0
    reporter.add(chars=record.get("chars") or 0, failed=failed)
    if failed:
        summary.failed += 1
        summary.errors.append(record["error"])
        log(f"failed: {record['error']}")

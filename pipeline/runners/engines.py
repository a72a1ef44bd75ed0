"""Who runs the documents: this process, a pool of local processes, or a Dask cluster.

Each engine is a context manager with `version` (the model version its workers load)
and `results(texts)` → BatchResults as they complete, in any order. The parallel ones
keep at most `limit` batches in flight, so an archive of any size streams through
with flat memory: the next batch is read only when a result has come back.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from typing import Any, Callable, Iterable, Iterator

from ..errors import ConfigError
from ..records import failure_record, text_sha256
from .workers import BatchResult, PipelineSpec, init_worker, loaded_objects_frozen, peak_rss, process_batch, worker_name, worker_version

# A batch is a unit of transfer, not of work: big enough to hide the cost of a round
# trip for short texts (table rows), small enough (about a second of work) that the
# workers finish an archive together instead of one waiting for another's last batch.
BATCH_DOCUMENTS = 16
BATCH_CHARS = 50_000
# Batches in flight per worker: one running, one waiting.
IN_FLIGHT_PER_WORKER = 2
# A pool whose worker died (out of memory, a crash in a C library) is restarted; past
# this many restarts something is wrong with every worker and the run stops.
MAX_RESTARTS = 20


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def batched(texts: Iterable[Any], *, max_documents: int = BATCH_DOCUMENTS, max_chars: int = BATCH_CHARS) -> Iterator[list[Any]]:
    batch: list[Any] = []
    chars = 0
    for text in texts:
        batch.append(text)
        chars += len(text.text)
        if len(batch) >= max_documents or chars >= max_chars:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def lost_batch(batch: list[Any], err: BaseException, version: str | None) -> BatchResult:
    """Failure records for documents whose worker did not return them: kept, never dropped."""
    reason = f"the worker failed on this document (its process died or could not return the result): {type(err).__name__}: {err}"
    return BatchResult(
        [failure_record(doc_id=t.doc_id, source=t.source, error=reason, sha256=text_sha256(t.text), model_version=version) for t in batch]
    )


def bounded_results(
    submit: Callable[[list[Any]], Any],
    wait_first: Callable[[set], tuple[set, set]],
    batches: Iterable[list[Any]],
    *,
    limit: int,
    version: str | None,
) -> Iterator[BatchResult]:
    """Submit batches while fewer than `limit` are in flight; yield results as they complete.

    A batch whose worker died (process_one never raises, so an error here is the worker
    itself) is not failed whole: its documents are retried at the end, one at a time,
    so that the one that kills a worker fails alone and the others it shared a batch (or
    a dead pool) with are processed. Otherwise a rerun would fail them together again."""
    pending: dict[Any, list[Any]] = {}
    suspects: list[Any] = []

    def collect(*, alone: bool) -> Iterator[BatchResult]:
        finished, _ = wait_first(set(pending))
        for future in finished:
            batch = pending.pop(future)
            try:
                yield future.result()
            except Exception as err:
                if alone:
                    yield lost_batch(batch, err, version)
                else:
                    suspects.extend(batch)

    try:
        for batch in batches:
            pending[submit(batch)] = batch
            while len(pending) >= limit:
                yield from collect(alone=False)
        while pending:
            yield from collect(alone=False)
        for text in suspects:
            pending[submit([text])] = [text]
            yield from collect(alone=True)
    finally:
        for future in pending:
            future.cancel()


class InProcess:
    """This process: no start-up cost, nothing to pickle; the default for --jobs 1."""

    def __init__(self, spec: PipelineSpec, *, include_text: bool = False):
        self.spec, self.include_text = spec, include_text
        self.workers = 1

    def __enter__(self) -> "InProcess":
        from .work import model_version

        # Loaded fresh each run, not cached: a long-lived Python session that retrains
        # models between runs must see the new ones.
        self._nlp = self.spec.load()
        self.version = model_version(self._nlp)
        self._collector = loaded_objects_frozen()  # for this run: the pipeline can go after
        self._collector.__enter__()
        return self

    def results(self, texts: Iterable[Any]) -> Iterator[BatchResult]:
        from .work import process_one

        name = worker_name()
        for text in texts:
            yield BatchResult([process_one(self._nlp, text, include_text=self.include_text, version=self.version)], worker=name, peak_rss=peak_rss())

    def __exit__(self, *exc) -> None:
        self._nlp = None
        self._collector.__exit__(None, None, None)


def start_method() -> str:
    # forkserver: workers are forked from a small clean server process, not from a parent
    # that may hold threads (the progress display, Dask) and a loaded pipeline.
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


class ProcessPool:
    """Local worker processes, one pipeline each, loaded once by the pool initializer."""

    def __init__(self, spec: PipelineSpec, *, jobs: int, include_text: bool = False, flatten: bool = False):
        self.spec, self.workers, self.include_text, self.flatten = spec, jobs, include_text, flatten
        self._restarts = 0

    def __enter__(self) -> "ProcessPool":
        self._executor = self._start(wait_for_all=True)
        try:
            # One task a worker: the pool starts its processes as tasks arrive, and each
            # waits in its initializer until all have loaded (workers.init_worker).
            warm_up = [self._executor.submit(worker_version, self.spec) for _ in range(self.workers)]
            self.version = warm_up[0].result()
            for future in warm_up[1:]:
                future.result()
        except BaseException:
            self._stop(now=True)
            raise
        return self

    def _start(self, *, wait_for_all: bool = False):
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context(start_method())
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(["pipeline.runners.workers"])
        # A restarted pool (after a worker died) starts its workers one at a time as
        # suspects are retried: no barrier there, it would wait for workers never started.
        ready = context.Barrier(self.workers) if wait_for_all and self.workers > 1 else None
        return ProcessPoolExecutor(self.workers, mp_context=context, initializer=init_worker, initargs=(self.spec, ready))

    def submit(self, batch: list[Any]):
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._executor.submit(process_batch, self.spec, batch, self.include_text, self.flatten)
        except BrokenProcessPool:
            # The batches that were in flight are retried one document at a time by
            # bounded_results; the archive goes on in a fresh pool.
            self._restarts += 1
            if self._restarts > MAX_RESTARTS:
                raise
            self._stop(now=True)
            self._executor = self._start()
            return self._executor.submit(process_batch, self.spec, batch, self.include_text, self.flatten)

    def results(self, texts: Iterable[Any]) -> Iterator[BatchResult]:
        from concurrent.futures import FIRST_COMPLETED, wait

        def wait_first(futures: set):
            return wait(futures, return_when=FIRST_COMPLETED)

        return bounded_results(self.submit, wait_first, batched(texts), limit=IN_FLIGHT_PER_WORKER * self.workers, version=self.version)

    def _stop(self, *, now: bool) -> None:
        executor = self._executor
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=not now, cancel_futures=True)
        if now:
            # Interrupted: do not wait for the documents being processed; these are our
            # own worker processes, ended by handle.
            for process in processes:
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join(timeout=5)

    def __exit__(self, exc_type, *exc) -> None:
        self._stop(now=exc_type is not None)


class DaskEngine:
    """A Dask distributed cluster: the scheduler at `scheduler`, or a LocalCluster of
    `jobs` single-threaded worker processes on 127.0.0.1. Each worker loads the pipeline
    once (`workers.loaded` caches it per process) on its first batch."""

    def __init__(self, spec: PipelineSpec, *, jobs: int, scheduler: str | None = None, include_text: bool = False, flatten: bool = False):
        self.spec, self.jobs, self.scheduler, self.include_text, self.flatten = spec, jobs, scheduler, include_text, flatten
        self._cluster = None
        self._client = None

    def __enter__(self) -> "DaskEngine":
        try:
            from distributed import Client, LocalCluster
        except ImportError as err:
            raise ConfigError("--engine dask needs the distributed package", fix='pip install "dask[distributed]"') from err
        try:
            if self.scheduler:
                self._client = Client(self.scheduler, timeout="30s")
            else:
                self._cluster = LocalCluster(
                    n_workers=self.jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address=None, silence_logs=logging.ERROR,
                )
                self._client = Client(self._cluster)
        except (OSError, TimeoutError) as err:
            self.__exit__(None)
            raise ConfigError(
                "the Dask scheduler could not be reached" if self.scheduler else "a local Dask cluster could not start",
                value=self.scheduler or f"LocalCluster(n_workers={self.jobs})",
                fix="start it with `dask scheduler` and workers with `dask worker tcp://HOST:8786`, and check the address" if self.scheduler else "use --engine local",
            ) from err
        try:
            self.version = self._client.submit(worker_version, self.spec, pure=False).result()
        except BaseException:
            self.__exit__(None)
            raise
        self.workers = max(1, sum(self._client.nthreads().values()))
        return self

    def submit(self, batch: list[Any]):
        return self._client.submit(process_batch, self.spec, batch, self.include_text, self.flatten, pure=False)

    def results(self, texts: Iterable[Any]) -> Iterator[BatchResult]:
        from distributed import wait

        def wait_first(futures: set):
            done = wait(list(futures), return_when="FIRST_COMPLETED")
            return set(done.done), set(done.not_done)

        # The limit follows the cluster's thread count when it starts; workers that join
        # later take their share of the same in-flight batches.
        return bounded_results(self.submit, wait_first, batched(texts), limit=IN_FLIGHT_PER_WORKER * self.workers, version=self.version)

    def __exit__(self, *exc) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def make_engine(
    engine: str, spec: PipelineSpec, *, jobs: int, scheduler: str | None, include_text: bool, processes: bool | None = None, flatten: bool = False
):
    """`processes`: force worker processes even for one job (the benchmark's 1-process run).
    `flatten`: workers send records flattened for a tabular writer (`process_batch`); in
    this process there is nothing to send, and the writer flattens."""
    if engine == "dask":
        return DaskEngine(spec, jobs=jobs, scheduler=scheduler, include_text=include_text, flatten=flatten)
    if scheduler:
        raise ConfigError("--scheduler applies to the Dask engine only", value=scheduler, fix="add --engine dask")
    if processes or (processes is None and jobs > 1):
        return ProcessPool(spec, jobs=jobs, include_text=include_text, flatten=flatten)
    return InProcess(spec, include_text=include_text)

"""What runs inside a worker (a local process or a Dask worker): load the pipeline once,
then process batches of documents with `work.process_one`.

Everything here is a module-level function of picklable arguments, so the same code
serves `concurrent.futures` and Dask."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from ..writers.schema import with_table_rows
from .work import model_version, process_one

NlpFactory = Callable[..., Any]


def default_factory(config: str | None = None, *, overrides: dict | None = None):
    from .. import load

    return load(config, overrides=overrides)


@dataclass(frozen=True)
class PipelineSpec:
    """How to build the pipeline in a worker: small, picklable, and a cache key.

    `factory(config, overrides=...)` must be importable by name in the workers (a
    module-level function); the default is `pipeline.load`."""

    config: str | None = None
    overrides: tuple[tuple[str, Any], ...] = ()
    factory: NlpFactory = default_factory

    @classmethod
    def make(cls, config=None, overrides: dict | None = None, factory: NlpFactory | None = None) -> "PipelineSpec":
        return cls(
            # absolute: a worker elsewhere (Dask) resolves it against its own filesystem
            config=str(Path(config).resolve()) if config is not None else None,
            overrides=tuple(sorted((overrides or {}).items())),
            factory=factory or default_factory,
        )

    def key(self) -> str:
        return repr((getattr(self.factory, "__module__", "?"), getattr(self.factory, "__qualname__", repr(self.factory)), self.config, self.overrides))

    def load(self):
        return self.factory(self.config, overrides=dict(self.overrides))


@dataclass
class BatchResult:
    records: list[dict[str, Any]]
    worker: str = ""
    peak_rss: int | None = None  # bytes, the worker's high-water mark so far


# One pipeline per worker process and spec. A Dask worker may run tasks on several
# threads: the lock makes them share one load instead of racing to load twice.
_LOADED: dict[str, tuple[Any, str]] = {}
_LOCK = threading.Lock()
_LOAD_ERROR: BaseException | None = None
READY_TIMEOUT = 300.0  # seconds a worker waits for the others to load


def loaded(spec: PipelineSpec) -> tuple[Any, str]:
    """(nlp, model_version) for `spec`, loaded on first use in this process."""
    key = spec.key()
    with _LOCK:
        if key not in _LOADED:
            nlp = spec.load()
            _LOADED[key] = (nlp, model_version(nlp))
            freeze_loaded()  # the pipeline stays for the worker's life
        return _LOADED[key]


# Allocations (less deallocations) between two young-generation collections. Python's
# default, 700, sets one off every few spans of a document; most of those objects are
# gone by refcount a moment later, so a larger batch leaves less for the collector.
YOUNG_COLLECTION_THRESHOLD = 10_000


def freeze_loaded() -> None:
    """Take every object alive now (the loaded pipeline: models, vocabularies, patterns,
    a few hundred thousand objects) out of the garbage collector's sight, and let the
    young generation grow to YOUNG_COLLECTION_THRESHOLD before it is collected.

    Each full collection walked the whole loaded pipeline again: the collector took
    6.5% of the processing time, 1.7% once the pipeline was frozen, 0.1% with the larger
    young generation (an ad-hoc measurement; `jixiao bench` prints the share left).
    Garbage is collected first, so none is frozen; the price is that a frozen object
    that becomes cyclic garbage later is never collected, which is why only what lives
    for the whole run is frozen."""
    gc.collect()
    gc.freeze()
    young, *older = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG_COLLECTION_THRESHOLD), *older)


@contextlib.contextmanager
def loaded_objects_frozen() -> Iterator[None]:
    """`freeze_loaded` for the `with` block only: thawed and the thresholds restored
    after, so that a long-lived process can let the pipeline go. A process that already
    keeps frozen objects manages its collector itself and is left alone (unfreezing
    would thaw its objects too)."""
    if gc.get_freeze_count():
        yield
        return
    thresholds = gc.get_threshold()
    freeze_loaded()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def init_worker(spec: PipelineSpec, ready=None) -> None:
    """Pool initializer: load the pipeline before the first document arrives.

    `ready`, a barrier shared by the pool's first workers, holds each one until all have
    loaded: the run then starts with every worker ready, instead of the first one working
    alone while the others still load (which would also skew the benchmark)."""
    global _LOAD_ERROR
    # Ctrl-C goes to the whole process group; the parent decides how to stop, so workers
    # ignore it instead of dying mid-document with a traceback each.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        loaded(spec)
    except BaseException as err:  # raised again, with its message, by the first task
        _LOAD_ERROR = err
    finally:
        if ready is not None:
            try:
                ready.wait(timeout=READY_TIMEOUT)
            except threading.BrokenBarrierError:
                pass  # a worker did not come up: the others start anyway


def worker_version(spec: PipelineSpec) -> str:
    if _LOAD_ERROR is not None:
        raise _LOAD_ERROR
    return loaded(spec)[1]


def process_batch(spec: PipelineSpec, items: list[Any], include_text: bool = False, flatten: bool = False) -> BatchResult:
    """The records of a batch; with `flatten`, as a tabular writer takes them
    (`writers.schema.with_table_rows`): flattened here, on the worker, rather than in
    the one process that writes."""
    if _LOAD_ERROR is not None:
        raise _LOAD_ERROR
    nlp, version = loaded(spec)
    records = [process_one(nlp, item, include_text=include_text, version=version) for item in items]
    if flatten:
        records = [with_table_rows(record) for record in records]
    return BatchResult(records, worker=worker_name(), peak_rss=peak_rss())


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def peak_rss() -> int | None:
    """This process's peak resident memory in bytes.

    `getrusage` gives the true high-water mark on POSIX; psutil's current RSS is the
    fallback where there is no `resource` module (Windows), and its larger value wins
    if a platform's ru_maxrss is unreliable."""
    peak = None
    try:
        import resource

        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak = maxrss if sys.platform == "darwin" else maxrss * 1024  # macOS: bytes; Linux: KiB
    except ImportError:
        pass
    try:
        import psutil

        info = psutil.Process().memory_info()
        current = getattr(info, "peak_wset", None) or info.rss
        peak = max(peak or 0, current)
    except ImportError:
        pass
    return peak

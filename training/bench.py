"""`jixiao bench`: throughput and memory of archive runs, against jieba alone.

One run measures, on the same reproducible archive:

- `jieba.lcut` over every text, in this process: the floor any Chinese pipeline pays;
- the whole run (read files → pipeline → SQLite) with one worker process and with
  `jobs` worker processes: characters and documents a second, and each worker's peak
  resident memory;
- memory flatness: a run over 1/`scale` of the archive against the run over all of it,
  with the same workers; a worker's peak must not grow with the archive (it would if
  anything accumulated per document).

The archive is built from the texts of the built corpus (`corpus/*.jsonl`), or the
example reports when the corpus is not built: each document concatenates corpus texts
drawn with a seeded generator, so every run and every machine measures the same bytes.
No timing is asserted anywhere; the targets are printed beside the figures.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from pipeline import PROJECT_ROOT, load_config
from pipeline.errors import ConfigError

Log = Callable[[str], None]

SEED = 20240601
DOCUMENT_CHARS = 10_000  # a typical self-evaluation report is 5,000-30,000 characters
TARGETS = {"vs_jieba": 0.5, "speedup_2": 1.7, "rss_mb": 500.0, "rss_flat": 0.10}


@dataclass
class Measure:
    name: str
    documents: int
    chars: int
    seconds: float
    startup: float = 0.0
    workers: int = 1
    peak_rss_mb: list[float] | None = None
    failed: int = 0

    @property
    def chars_per_s(self) -> float:
        return self.chars / self.seconds if self.seconds else 0.0

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def fastest(rounds: list[Measure]) -> Measure:
    """The fastest of repeated measurements of one run, with the largest peak memory any
    round saw per worker: on a shared machine a slow round is other load, while memory
    is reported at its worst."""
    best = min(rounds, key=lambda m: m.seconds)
    peaks = [sorted(m.peak_rss_mb) for m in rounds if m.peak_rss_mb]
    if peaks:
        width = max(len(p) for p in peaks)
        best = replace(best, peak_rss_mb=[max(p[i] for p in peaks if len(p) > i) for i in range(width)])
    return best


# --- the archive -----------------------------------------------------------------------------


def source_texts(config: Path | None = None) -> tuple[list[str], str]:
    """The texts to build the archive from, and where they came from."""
    try:
        corpus = Path(load_config(config)["paths"]["corpus"])
    except ConfigError:
        corpus = PROJECT_ROOT / "corpus"
    texts = []
    for split in ("train", "dev", "test"):
        path = corpus / f"{split}.jsonl"
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                texts.extend(json.loads(line)["text"] for line in fh if line.strip())
    if texts:
        return texts, f"{corpus}/{{train,dev,test}}.jsonl ({len(texts)} texts)"
    from pipeline.errors import InputError
    from pipeline.readers import expand_inputs, read_path

    files, _ = expand_inputs([str(PROJECT_ROOT / "examples")])
    for path in files:
        try:
            texts.append(read_path(path).text)
        except InputError:
            continue
    if texts:
        return texts, f"examples/ ({len(texts)} reports; the corpus is not built)"
    raise ConfigError("no texts to build a benchmark archive from", value=str(corpus), fix="build the corpus with `jixiao corpus build`")


def archive_texts(texts: list[str], n: int, *, seed: int = SEED, chars: int = DOCUMENT_CHARS) -> Iterator[tuple[str, str]]:
    """(doc_id, text) for n documents. Document i depends on the seed and i only, so the
    first k documents of any archive are the same k documents."""
    ordered = sorted(texts)  # independent of the order the corpus happens to be in
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        target = int(chars * rng.uniform(0.5, 1.5))
        parts, size = [], 0
        while size < target:
            part = rng.choice(ordered)
            parts.append(part)
            size += len(part) + 2
        yield f"bench-{i:05d}", "\n\n".join(parts)


def write_archive(texts: list[str], n: int, folder: Path, *, seed: int = SEED) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc_id, text in archive_texts(texts, n, seed=seed):
        path = folder / f"{doc_id}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# --- measurements ----------------------------------------------------------------------------


def measure_jieba(texts: Iterator[tuple[str, str]]) -> Measure:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # the dictionary load (about 1 s) is start-up, not throughput
    documents = chars = 0
    started = time.perf_counter()
    for _, text in texts:
        jieba.lcut(text)
        documents += 1
        chars += len(text)
    return Measure("jieba.lcut alone (floor)", documents, chars, time.perf_counter() - started)


def measure_run(name: str, paths: list[Path], out: Path, *, jobs: int, config: Path | None, overrides: dict | None, nlp_factory, log: Log) -> Measure:
    from pipeline.runners import run

    summary = run(
        [str(p) for p in paths], output=out, jobs=jobs, processes=True, resume=False, config=config,
        overrides=overrides, nlp_factory=nlp_factory, progress=False, log_every=max(50, len(paths) // 4),
        log=lambda m: log(f"  {m}"),
    )
    return Measure(
        name, summary.documents, summary.characters, summary.seconds, startup=summary.startup_seconds,
        workers=summary.workers, peak_rss_mb=sorted(v / 2**20 for v in summary.peak_rss.values()), failed=summary.failed,
    )


def measure_components(texts: list[str], *, config: Path | None = None, overrides: dict | None = None) -> tuple[list[tuple[str, float]], float]:
    """Each stage's time over `texts`, in multiples of `jieba.lcut` on the same texts, in
    this process: where the pipeline's time goes (the tokenizer first, then each
    component called in turn on the Doc the previous one returned, then the record a
    worker sends to the writer); and, in the same multiples, how much of it the garbage
    collector took."""
    from pipeline import load
    from pipeline.records import doc_to_record

    nlp = load(config, overrides=overrides)
    nlp(texts[0])  # first-call costs (lazy imports, caches) are start-up
    floor = measure_jieba(("", text) for text in texts).seconds
    spent = {"tokenizer": 0.0, **{name: 0.0 for name, _ in nlp.pipeline}, "record": 0.0}
    collecting = GarbageCollectionTimer()
    with collecting:
        for text in texts:
            started = time.perf_counter()
            doc = nlp.make_doc(text)
            spent["tokenizer"] += time.perf_counter() - started
            for name, component in nlp.pipeline:
                started = time.perf_counter()
                doc = component(doc)
                spent[name] += time.perf_counter() - started
            started = time.perf_counter()
            doc_to_record(doc, doc_id="bench")
            spent["record"] += time.perf_counter() - started
    return [(name, seconds / floor) for name, seconds in spent.items()], collecting.seconds / floor


class GarbageCollectionTimer:
    """The time Python's cyclic garbage collector runs while in the `with` block, with
    the loaded pipeline frozen as the workers freeze it (`workers.loaded_objects_frozen`)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started

    def __enter__(self) -> "GarbageCollectionTimer":
        import gc

        from pipeline.runners.workers import loaded_objects_frozen

        self._collector = loaded_objects_frozen()
        self._collector.__enter__()
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc) -> None:
        import gc

        gc.callbacks.remove(self._callback)
        self._collector.__exit__(None, None, None)


def run_benchmark(
    *,
    documents: int = 300,
    scale: int = 10,
    jobs: int = 2,
    config: Path | None = None,
    log: Log = print,
    overrides: dict | None = None,
    nlp_factory=None,
    seed: int = SEED,
    out_dir: Path | None = None,
    components: int = 60,
    repeat: int = 2,
) -> dict[str, Any]:
    """Measure, print the table, return the figures. `nlp_factory` (as `runners.run`
    takes it) benchmarks another pipeline; `out_dir` keeps the archive and outputs.
    jieba, one process and `jobs` processes are measured `repeat` times in turn, and the
    fastest round of each is reported (`fastest`)."""
    if documents < 1 or jobs < 1 or scale < 1 or repeat < 1:
        raise ConfigError(
            "--documents, --jobs, --scale and --repeat must be at least 1",
            value={"documents": documents, "jobs": jobs, "scale": scale, "repeat": repeat},
            fix="e.g. jixiao bench -n 300 --jobs 2 --scale 10 --repeat 2",
        )
    texts, origin = source_texts(config)
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        work = Path(out_dir) if out_dir else Path(tmp)
        paths = write_archive(texts, documents, work / "archive", seed=seed)
        total_chars = sum(len(text) for _, text in archive_texts(texts, documents, seed=seed))
        total_bytes = sum(p.stat().st_size for p in paths)
        log(f"archive: {documents} documents, {total_chars:,} characters ({total_bytes / 2**20:.1f} MB of UTF-8) from {origin}, seed {seed}")

        rounds: dict[str, list[Measure]] = {"floor": [], "one": [], "many": []}
        for round_ in range(1, repeat + 1):
            of = f" (round {round_} of {repeat})" if repeat > 1 else ""
            log(f"measuring jieba.lcut …{of}")
            rounds["floor"].append(measure_jieba(archive_texts(texts, documents, seed=seed)))
            log(f"measuring 1 process …{of}")
            rounds["one"].append(
                measure_run("pipeline, 1 process", paths, work / f"one{round_}.sqlite", jobs=1, config=config, overrides=overrides, nlp_factory=nlp_factory, log=log)
            )
            log(f"measuring {jobs} processes …{of}")
            rounds["many"].append(
                measure_run(f"pipeline, {jobs} processes", paths, work / f"many{round_}.sqlite", jobs=jobs, config=config, overrides=overrides, nlp_factory=nlp_factory, log=log)
            )
        floor, one, many = (fastest(rounds[key]) for key in ("floor", "one", "many"))
        small = None
        if scale > 1:
            k = max(jobs * 2, documents // scale)
            log(f"measuring {jobs} processes on {k} documents (memory flatness) …")
            small = measure_run(f"pipeline, {jobs} processes, 1/{scale} archive", paths[:k], work / "small.sqlite", jobs=jobs, config=config, overrides=overrides, nlp_factory=nlp_factory, log=log)
    results = summarise(floor, one, many, small, jobs=jobs, scale=scale)
    for line in format_table([floor, one, many] + ([small] if small else []), results):
        log(line)
    if components and nlp_factory is None:
        sample = [text for _, text in archive_texts(texts, min(components, documents), seed=seed)]
        log(f"\nwhere one process spends its time ({len(sample)} documents, in this process; × jieba.lcut on the same text):")
        shares, collecting = measure_components(sample, config=config, overrides=overrides)
        for name, ratio in shares:
            log(f"  {name:<20} {ratio:5.2f}×")
        log(f"  {'all':<20} {sum(r for _, r in shares):5.2f}×, of which garbage collection {collecting:.2f}×")
        results["garbage_collection_vs_jieba"] = collecting
        results["components_vs_jieba"] = dict(shares)
    return results


def summarise(floor: Measure, one: Measure, many: Measure, small: Measure | None, *, jobs: int, scale: int) -> dict[str, Any]:
    peak = max((one.peak_rss_mb or []) + (many.peak_rss_mb or []) or [0.0])
    out: dict[str, Any] = {
        "jieba_chars_per_s": floor.chars_per_s,
        "one_chars_per_s": one.chars_per_s,
        "many_chars_per_s": many.chars_per_s,
        "one_vs_jieba": one.chars_per_s / floor.chars_per_s if floor.chars_per_s else 0.0,
        f"speedup_{jobs}": many.chars_per_s / one.chars_per_s if one.chars_per_s else 0.0,
        "peak_rss_mb": peak,
        "failed": one.failed + many.failed,
    }
    if small and small.peak_rss_mb and many.peak_rss_mb:
        out["rss_growth"] = max(many.peak_rss_mb) / max(small.peak_rss_mb) - 1.0
        out["rss_growth_docs"] = (small.documents, many.documents)
    return out


def format_table(measures: list[Measure], results: dict[str, Any]) -> list[str]:
    lines = [
        "",
        f"{'run':<42} {'docs':>6} {'chars':>11} {'seconds':>8} {'start-up':>8} {'docs/s':>8} {'chars/s':>10} {'peak RSS/worker MB':>20}",
    ]
    for m in measures:
        rss = ", ".join(f"{v:.0f}" for v in m.peak_rss_mb) if m.peak_rss_mb else "-"
        lines.append(f"{m.name:<42} {m.documents:>6} {m.chars:>11,} {m.seconds:>8.1f} {m.startup:>8.1f} {m.docs_per_s:>8.1f} {m.chars_per_s:>10,.0f} {rss:>20}")
    speedup_key = next(k for k in results if k.startswith("speedup_"))
    jobs = speedup_key.split("_")[1]

    def mark(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    lines += [
        "",
        f"1 process / jieba.lcut:     {results['one_vs_jieba']:.2f}×   (target ≥ {TARGETS['vs_jieba']}×)  {mark(results['one_vs_jieba'] >= TARGETS['vs_jieba'])}",
        f"{jobs} processes / 1 process:  {results[speedup_key]:.2f}×   (target ≥ {TARGETS['speedup_2']}× for 2)  {mark(results[speedup_key] >= TARGETS['speedup_2'])}",
        f"peak RSS per worker:        {results['peak_rss_mb']:.0f} MB (target ≤ {TARGETS['rss_mb']:.0f} MB)  {mark(results['peak_rss_mb'] <= TARGETS['rss_mb'])}",
    ]
    if "rss_growth" in results:
        a, b = results["rss_growth_docs"]
        growth = results["rss_growth"]
        lines.append(f"peak RSS {a} → {b} documents: {growth:+.1%} (target within ±{TARGETS['rss_flat']:.0%})  {mark(abs(growth) <= TARGETS['rss_flat'])}")
    if results["failed"]:
        lines.append(f"warning: {results['failed']} documents failed during the runs; the figures include them")
    lines.append("Throughput is processing time (read → pipeline → SQLite), after the workers have loaded the pipeline (start-up column);")
    lines.append("each run is the fastest of its rounds, peak RSS the largest any round saw.")
    return lines

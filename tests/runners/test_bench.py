"""`jixiao bench`: the archive is reproducible and the report has every figure (no timing asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from jixiao_fake_nlp import make_fake_nlp  # noqa: E402
from training.bench import Measure, archive_texts, fastest, run_benchmark  # noqa: E402

TEXTS = ["一、总体情况\n全年预算100万元。", "二、存在问题\n进度偏慢。", "三、下一步\n加快进度，执行率达到95%。"]


def test_the_archive_is_the_same_every_time_and_grows_by_prefix():
    first = list(archive_texts(TEXTS, 20, seed=1, chars=200))
    assert first == list(archive_texts(list(reversed(TEXTS)), 20, seed=1, chars=200))
    assert list(archive_texts(TEXTS, 5, seed=1, chars=200)) == first[:5]
    assert first != list(archive_texts(TEXTS, 20, seed=2, chars=200))
    assert all(100 <= len(text) for _, text in first)
    assert len({doc_id for doc_id, _ in first}) == 20


def test_the_benchmark_reports_every_figure(tmp_path):
    lines: list[str] = []
    results = run_benchmark(documents=6, scale=3, jobs=2, config=None, log=lines.append, nlp_factory=make_fake_nlp, out_dir=tmp_path, repeat=2)
    assert {"jieba_chars_per_s", "one_chars_per_s", "many_chars_per_s", "one_vs_jieba", "speedup_2", "peak_rss_mb", "rss_growth"} <= set(results)
    assert results["failed"] == 0 and results["peak_rss_mb"] > 0
    text = "\n".join(lines)
    for expected in ("jieba.lcut alone", "pipeline, 1 process", "pipeline, 2 processes", "1 process / jieba.lcut", "2 processes / 1 process", "peak RSS per worker", "peak RSS 4 → 6 documents"):
        assert expected in text
    assert len(list((tmp_path / "archive").glob("*.txt"))) == 6
    assert "round 2 of 2" in text


def test_the_fastest_round_is_reported_with_the_largest_memory():
    slow = Measure("one", 10, 1000, seconds=4.0, peak_rss_mb=[410.0, 400.0])
    quick = Measure("one", 10, 1000, seconds=2.0, peak_rss_mb=[395.0, 405.0])
    best = fastest([slow, quick])
    assert best.seconds == 2.0
    assert best.peak_rss_mb == [400.0, 410.0]
    assert fastest([Measure("jieba", 1, 10, seconds=1.0)]).peak_rss_mb is None


def test_component_timing_covers_every_stage():
    from pipeline import load_config
    from training.bench import measure_components

    texts = ["一、主要成效\n全年举办培训班12期，培训干部600人次，荣获全省先进集体称号。"] * 3
    shares, collecting = measure_components(texts)
    shares = dict(shares)
    assert list(shares) == ["tokenizer", *load_config()["nlp"]["pipeline"], "record"]
    assert all(ratio > 0 for ratio in shares.values())
    assert collecting >= 0


def test_garbage_collection_timer_times_collections_and_restores_the_collector():
    import gc

    from training.bench import GarbageCollectionTimer

    callbacks = list(gc.callbacks)
    thawed = gc.get_freeze_count() == 0
    with GarbageCollectionTimer() as timer:
        assert gc.get_freeze_count() > 0  # the objects alive now are out of its sight
        gc.collect()
    assert timer.seconds > 0
    assert gc.callbacks == callbacks
    assert (gc.get_freeze_count() == 0) is thawed  # as it found the collector

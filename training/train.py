"""`jixiao train`: every artefact in models/ from corpus/ and config.cfg, seeded and deterministic."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable

from pipeline import load_config
from pipeline.learn.persist import save_model
from pipeline.records import NUMERIC_LABELS
from pipeline.scoring import score

from . import names as names_training
from . import segments as segment_training
from .corpus import corpus_hash, load_splits

SEGMENT_MODEL_DIR = "segment_classifier"
NAMES_MODEL_DIR = "names"


def _oracle_segment_scores(model, records: list[dict[str, Any]]) -> dict[str, Any]:
    report = score(records, [segment_training.relabel(model, r) for r in records])
    return {"macro_f1": round(report["segments"]["macro_f1"], 4), "f1": {k: round(v["f1"], 4) for k, v in report["segments"]["labels"].items()}}


def _name_scores(model, records: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
    preds = [{"id": r["id"], "segments": [], "entities": names_training.predict_names(r, model=model, threshold=threshold)} for r in records]
    gold = [{**r, "entities": [e for e in r["entities"] if e["label"] not in NUMERIC_LABELS]} for r in records]
    report = score(gold, preds)
    return {k: round(report["entities"]["labels"][k]["f1"], 4) for k in names_training.NAME_LABELS}


def train_all(
    *,
    config: Path | None = None,
    overrides: dict | None = None,
    output: Path | None = None,
    corpus: Path | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    cfg = load_config(config, overrides)
    settings = cfg["jixiao_train"]
    corpus_dir = Path(corpus or cfg["jixiao_corpus"]["build"])
    models_dir = Path(output or cfg["paths"]["models"])
    splits = load_splits(corpus_dir)
    digest = corpus_hash(corpus_dir)
    train_records = splits["train"]
    log(f"corpus {corpus_dir}: {len(train_records)} training documents, sha256 {digest[:12]}")

    started = time.perf_counter()
    segment_model = segment_training.train(
        train_records,
        approach=settings["classifier"],
        char_ngram_min=settings["char_ngram_min"],
        char_ngram_max=settings["char_ngram_max"],
        C=settings["regularisation_c"],
        max_iter=settings["max_iter"],
        random_state=settings["seed"],
    )
    seg_seconds = time.perf_counter() - started
    seg_metrics = {split: _oracle_segment_scores(segment_model, splits[split]) for split in ("dev", "test") if splits[split]}
    log(f"segment classifier ({settings['classifier']}) trained in {seg_seconds:.1f}s: {seg_metrics}")
    save_model(
        segment_model,
        models_dir / SEGMENT_MODEL_DIR,
        {
            "name": "segment_classifier",
            "approach": settings["classifier"],
            "labels": [str(c) for c in segment_model.classes_],
            "corpus_sha256": digest,
            "seed": settings["seed"],
            "train_documents": len(train_records),
            "metrics_gold_segmentation": seg_metrics,
        },
    )

    started = time.perf_counter()
    names_model = names_training.train(train_records, random_state=settings["seed"])
    threshold = float(settings["names_threshold"])
    names_seconds = time.perf_counter() - started
    name_metrics = {split: _name_scores(names_model, splits[split], threshold) for split in ("dev", "test") if splits[split]}
    log(f"names chooser trained in {names_seconds:.1f}s: {name_metrics}")
    save_model(
        names_model,
        models_dir / NAMES_MODEL_DIR,
        {
            "name": "names",
            "labels": list(names_training.NAME_LABELS),
            "threshold": threshold,
            "corpus_sha256": digest,
            "seed": settings["seed"],
            "train_documents": len(train_records),
            "metrics": name_metrics,
        },
    )
    return {"corpus_sha256": digest, "segment_classifier": seg_metrics, "names": name_metrics}

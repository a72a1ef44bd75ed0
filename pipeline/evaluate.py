"""Run the pipeline over a gold file and score it (ANNOTATION.md §4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .records import doc_to_record, read_jsonl
from .scoring import score


def predict_records(nlp, gold: list[dict[str, Any]]) -> list[dict[str, Any]]:
    texts = [g["text"] for g in gold]
    return [doc_to_record(doc, doc_id=g["id"]) for g, doc in zip(gold, nlp.pipe(texts))]


def evaluate_file(gold_path: Path, *, pred: Path | None = None, config: Path | None = None, overrides: dict | None = None, nlp=None) -> dict[str, Any]:
    gold = read_jsonl(gold_path)
    if pred is not None:
        predictions = read_jsonl(pred)
    else:
        if nlp is None:
            from . import load

            nlp = load(config, overrides=overrides)
        predictions = predict_records(nlp, gold)
    return score(gold, predictions)

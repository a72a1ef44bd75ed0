"""Training and measuring the segment classifier from corpus records."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from pipeline.components.classifier import report_type_of
from pipeline.learn.segments import LinearSegmentClassifier, StackedSegmentClassifier, segment_contexts
from pipeline.text.structure import section_paths

APPROACHES = {"stacked_linear": StackedSegmentClassifier, "linear": LinearSegmentClassifier}


def record_report_type(record: dict[str, Any]) -> str | None:
    text = record["text"]
    return report_type_of((s["label"], text[s["start"] : s["end"]]) for s in record["segments"])


def record_contexts(record: dict[str, Any], segments: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Contexts for the record's segments (gold by default), sections derived from its headings."""
    segments = segments if segments is not None else record["segments"]
    paths = section_paths(record["text"], segments)
    with_sections = [{**seg, "section": path} for seg, path in zip(segments, paths)]
    return segment_contexts(record["text"], with_sections, report_type=record_report_type(record), doc_id=record["id"])


def headless(record: dict[str, Any]) -> dict[str, Any]:
    """The record as it would read with its headings lost (a passage cut from a longer
    report, or a layout that extraction flattened)."""
    return {**record, "id": f"{record['id']}#headless", "segments": [s for s in record["segments"] if s["label"] != "heading"]}


def dataset(records: list[dict[str, Any]], *, augment_headless: bool = False) -> tuple[list[dict[str, Any]], list[str]]:
    """Contexts and labels of every segment. With `augment_headless`, each document is
    seen a second time without headings, so that the model cannot lean on section
    headings alone: real passages often have none, our written reports always do."""
    contexts, labels = [], []
    for record in records:
        variants = [record, headless(record)] if augment_headless else [record]
        for variant in variants:
            contexts.extend(record_contexts(variant))
            labels.extend(s["label"] for s in variant["segments"])
    return contexts, labels


def train(records: list[dict[str, Any]], *, approach: str = "stacked_linear", augment_headless: bool = True, **settings: Any):
    contexts, labels = dataset(records, augment_headless=augment_headless)
    model = APPROACHES[approach](**settings)
    return model.fit(contexts, labels)


def relabel(model, record: dict[str, Any]) -> dict[str, Any]:
    """The record with gold segment boundaries and predicted labels (oracle segmentation)."""
    contexts = record_contexts(record)
    probas = model.predict_proba(contexts)
    segs = []
    for seg, ctx, row in zip(record["segments"], contexts, probas):
        label = "heading" if ctx["is_heading"] else str(model.classes_[int(np.argmax(row))])
        segs.append({**seg, "label": label})
    return {**record, "segments": segs}


def throughput(model, records: list[dict[str, Any]]) -> float:
    """Segments per second for prediction (featurising included)."""
    contexts, _ = dataset(records)
    t0 = time.perf_counter()
    model.predict_proba(contexts)
    return len(contexts) / max(1e-9, time.perf_counter() - t0)

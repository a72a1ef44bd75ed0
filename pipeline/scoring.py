"""Scoring output against gold exactly as ANNOTATION.md §4 defines it.

Pure functions over plain records (the JSONL objects), so the same code scores the
pipeline, a baseline, or another tool's output.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .records import ENTITY_LABELS, NUMERIC_LABELS, SEGMENT_LABELS

QUOTE_MARKS = "“”\"'‘’《》「」『』"
NONE = "none"


def trim(text: str, start: int, end: int, marks: str = QUOTE_MARKS) -> tuple[int, int]:
    """The span shrunk past whitespace and quote marks at both ends."""
    strip = set(marks)
    while start < end and (text[start].isspace() or text[start] in strip):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in strip):
        end -= 1
    return start, end


def prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": tp + fn}


def char_labels(text: str, segments: Iterable[dict[str, Any]]) -> list[str]:
    labels = [NONE] * len(text)
    for seg in segments:
        for i in range(max(0, seg["start"]), min(len(text), seg["end"])):
            labels[i] = seg["label"]
    return labels


def score(gold_docs: list[dict[str, Any]], pred_docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Segment labels (character level), boundaries, entities and values over all documents.

    Predictions are matched to gold by `id`; a gold document with no prediction counts
    as predicting nothing."""
    by_id = {d["id"]: d for d in pred_docs}
    confusion: Counter[tuple[str, str]] = Counter()
    b_tp = b_fp = b_fn = 0
    ent_counts = {label: Counter() for label in ENTITY_LABELS}
    value_total = value_ok = approx_ok = 0
    missing = []
    for gold in gold_docs:
        text = gold["text"]
        pred = by_id.get(gold["id"])
        if pred is None:
            missing.append(gold["id"])
            pred = {"segments": [], "entities": []}
        g_chars = char_labels(text, gold["segments"])
        p_chars = char_labels(text, pred.get("segments", []))
        for i, ch in enumerate(text):
            if not ch.isspace():
                confusion[(g_chars[i], p_chars[i])] += 1
        g_ends = {trim(text, s["start"], s["end"])[1] for s in gold["segments"]}
        p_ends = {trim(text, s["start"], s["end"])[1] for s in pred.get("segments", [])}
        b_tp += len(g_ends & p_ends)
        b_fp += len(p_ends - g_ends)
        b_fn += len(g_ends - p_ends)

        def key(e: dict[str, Any]) -> tuple[str, int, int]:
            return (e["label"], *trim(text, e["start"], e["end"]))

        g_ents = {key(e): e for e in gold.get("entities", [])}
        p_ents = {key(e): e for e in pred.get("entities", [])}
        for k in g_ents.keys() | p_ents.keys():
            label = k[0]
            if label not in ent_counts:
                continue
            if k in g_ents and k in p_ents:
                ent_counts[label]["tp"] += 1
                if label in NUMERIC_LABELS and g_ents[k].get("value") is not None:
                    value_total += 1
                    gv, pv = g_ents[k]["value"], p_ents[k].get("value")
                    if pv is not None and math.isclose(float(gv), float(pv), rel_tol=1e-6, abs_tol=1e-9):
                        value_ok += 1
                    if bool(g_ents[k].get("approx")) == bool(p_ents[k].get("approx")):
                        approx_ok += 1
            elif k in p_ents:
                ent_counts[label]["fp"] += 1
            else:
                ent_counts[label]["fn"] += 1

    segment_scores = {}
    for label in SEGMENT_LABELS:
        tp = confusion[(label, label)]
        fp = sum(n for (g, p), n in confusion.items() if p == label and g != label)
        fn = sum(n for (g, p), n in confusion.items() if g == label and p != label)
        segment_scores[label] = prf(tp, fp, fn)
    entity_scores = {label: prf(c["tp"], c["fp"], c["fn"]) for label, c in ent_counts.items()}
    totals = Counter()
    for c in ent_counts.values():
        totals.update(c)
    return {
        "documents": len(gold_docs),
        "missing_predictions": missing,
        "segments": {
            "labels": segment_scores,
            "macro_f1": sum(s["f1"] for s in segment_scores.values()) / len(SEGMENT_LABELS),
            "confusion": {f"{g}->{p}": n for (g, p), n in sorted(confusion.items())},
        },
        "boundaries": prf(b_tp, b_fp, b_fn),
        "entities": {
            "labels": entity_scores,
            "micro": prf(totals["tp"], totals["fp"], totals["fn"]),
        },
        "values": {
            "matched_numeric": value_total,
            "accuracy": value_ok / value_total if value_total else 0.0,
            "approx_accuracy": approx_ok / value_total if value_total else 0.0,
        },
    }


def format_report(report: dict[str, Any], *, confusion: bool = True) -> str:
    """The report as text tables for a terminal."""
    lines = [f"documents: {report['documents']}"]
    if report["missing_predictions"]:
        lines.append(f"missing predictions: {', '.join(report['missing_predictions'])}")
    lines.append("")
    lines.append(f"{'segment label':<14}{'P':>8}{'R':>8}{'F1':>8}{'chars':>9}")
    for label, s in report["segments"]["labels"].items():
        lines.append(f"{label:<14}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{int(s['support']):>9}")
    lines.append(f"{'macro-F1':<14}{'':>16}{report['segments']['macro_f1']:>8.3f}")
    b = report["boundaries"]
    lines.append(f"{'boundaries':<14}{b['precision']:>8.3f}{b['recall']:>8.3f}{b['f1']:>8.3f}{int(b['support']):>9}")
    lines.append("")
    lines.append(f"{'entity':<14}{'P':>8}{'R':>8}{'F1':>8}{'gold':>9}")
    for label, s in report["entities"]["labels"].items():
        lines.append(f"{label:<14}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{int(s['support']):>9}")
    m = report["entities"]["micro"]
    lines.append(f"{'micro':<14}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{int(m['support']):>9}")
    v = report["values"]
    lines.append(f"values: {v['accuracy']:.3f} of {v['matched_numeric']} matched numeric entities; approx flag {v['approx_accuracy']:.3f}")
    if confusion:
        labels = list(SEGMENT_LABELS) + [NONE]
        conf = report["segments"]["confusion"]
        lines.append("")
        lines.append("confusion (characters; rows gold, columns predicted)")
        lines.append(f"{'':<12}" + "".join(f"{p[:8]:>9}" for p in labels))
        for g in labels[:-1]:
            lines.append(f"{g:<12}" + "".join(f"{conf.get(f'{g}->{p}', 0):>9}" for p in labels))
    return "\n".join(lines)

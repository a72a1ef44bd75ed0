"""Doc → plain records: the one view that every output format is written from.

`doc_to_record` turns a processed Doc into the ANNOTATION.md §3 JSON object (plus
our extra keys); `record_to_rows` flattens that object into rows of the three tables
(`documents`, `segments`, `entities`) that the CSV, Parquet, SQLite and DuckDB writers
store. Writers import this module only, never spaCy.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from .components._spans import doc_text, entity_offsets
from .extensions import span_value
from .errors import InputError

SEGMENT_LABELS = ("achievement", "problem", "remedy", "metric", "other", "heading")
ENTITY_LABELS = ("MONEY", "PEOPLE_COUNT", "PERCENT", "QUANTITY", "AWARD", "EVENT")
NUMERIC_LABELS = frozenset({"MONEY", "PEOPLE_COUNT", "PERCENT", "QUANTITY"})
SECTION_SEPARATOR = " > "

# Column order of each table: the same in every format, documented in the README.
DOCUMENT_COLUMNS = (
    "id", "source", "sha256", "chars", "encoding", "org", "year", "report_type",
    "status", "error", "model_version", "processed_at",
)
SEGMENT_COLUMNS = ("doc_id", "index", "start", "end", "section", "label") + tuple(
    f"score_{label}" for label in SEGMENT_LABELS
) + ("text",)
ENTITY_COLUMNS = (
    "doc_id", "segment_index", "start", "end", "label", "text", "value", "value_max",
    "unit", "currency", "approx", "matched_by",
)
TABLES = {"documents": DOCUMENT_COLUMNS, "segments": SEGMENT_COLUMNS, "entities": ENTITY_COLUMNS}


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def doc_to_record(doc, *, doc_id: str, source: str | None = None, include_text: bool = False, model_version: str | None = None) -> dict[str, Any]:
    """The JSON object for one processed Doc (ANNOTATION.md §3 keys, plus ours)."""
    # slices of the cached text: doc.text and span.text rebuild strings token by token,
    # which cost as much as the name recogniser
    text = doc_text(doc)
    segments = list(doc.spans["segments"]) if "segments" in doc.spans else []
    seg_records = []
    for span in segments:
        start, end = span.start_char, span.end_char
        seg_records.append(
            {
                "start": start,
                "end": end,
                "text": text[start:end],
                "label": span.label_,
                "scores": span_value(doc, "scores", start, end) or None,
                "section": list(span_value(doc, "section", start, end) or ()),
            }
        )
    _round_scores(seg_records)
    ends = [s["end"] for s in seg_records]
    ent_records = []
    for start, end, label in entity_offsets(doc):
        rec: dict[str, Any] = {"start": start, "end": end, "text": text[start:end], "label": label}
        if label in NUMERIC_LABELS:
            rec["value"] = span_value(doc, "value", start, end)
            rec["approx"] = bool(span_value(doc, "approx", start, end))
            value_max = span_value(doc, "value_max", start, end)
            if value_max is not None:
                rec["value_max"] = value_max
            unit = span_value(doc, "unit", start, end)
            if unit:
                rec["unit"] = unit
            currency = span_value(doc, "currency", start, end)
            if currency and currency != "CNY":
                rec["currency"] = currency
        rec["matched_by"] = span_value(doc, "matched_by", start, end)
        rec["segment"] = _segment_index(ends, start)
        ent_records.append(rec)
    record: dict[str, Any] = {
        "id": doc_id,
        "source": source,
        "sha256": text_sha256(text),
        "chars": len(text),
        "encoding": doc._.encoding,
        "report": doc._.report or {},
        "model_version": model_version,
        "furniture": [list(f) for f in (doc._.furniture or [])],
        "segments": seg_records,
        "entities": ent_records,
    }
    if include_text:
        record["text"] = text
    return record


SCORE_DECIMALS = 4


def _round_scores(seg_records: list[dict[str, Any]]) -> None:
    """Round the scores of every segment record to SCORE_DECIMALS places, all of a
    document's at once (`round_half_even`); new dicts, so the Doc's stay unrounded."""
    scored = [r for r in seg_records if r["scores"]]
    values = round_half_even([v for r in scored for v in r["scores"].values()], SCORE_DECIMALS)
    at = 0
    for r in scored:
        n = len(r["scores"])
        r["scores"] = dict(zip(r["scores"], values[at : at + n]))
        at += n


def round_half_even(values: list[float], decimals: int) -> list[float]:
    """`[round(float(v), decimals) for v in values]`, computed with numpy: the same
    floats, as the tests check. Python's round is exact (it rounds the decimal expansion
    of the binary value) and slow; numpy's scales, rounds and divides, which agrees
    with it except within floating-point error of a tie, and those few are left to
    Python's round."""
    x = np.asarray(values, dtype=np.float64)
    scale = 10.0**decimals
    with np.errstate(over="ignore", invalid="ignore"):  # inf and nan go to Python's round below
        scaled = x * scale
        rounded = np.rint(scaled) / scale
        # how far the scaled value is from a tie (….5), against the error of scaling it
        near_tie = np.abs(np.abs(scaled - np.floor(scaled)) - 0.5) <= np.maximum(np.abs(scaled), 1.0) * 1e-12
        near_tie |= ~np.isfinite(scaled) | (np.abs(scaled) >= 2.0**52)  # no fraction left to round in float
    out = rounded.tolist()
    for i in np.flatnonzero(near_tie).tolist():
        out[i] = round(float(x[i]), decimals)
    return out


def failure_record(*, doc_id: str, source: str | None, error: str, sha256: str | None = None, model_version: str | None = None) -> dict[str, Any]:
    """The record of a document that could not be read or processed: kept, never dropped."""
    return {
        "id": doc_id, "source": source, "sha256": sha256, "chars": None, "encoding": None,
        "report": {}, "model_version": model_version, "status": "failed", "error": error,
        "segments": [], "entities": [],
    }


def _segment_index(ends: list[int], offset: int) -> int | None:
    import bisect

    i = bisect.bisect_right(ends, offset)
    return i if i < len(ends) else None


def record_to_rows(record: dict[str, Any], *, processed_at: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Flatten one record into rows of the `documents`, `segments` and `entities` tables."""
    report = record.get("report") or {}
    doc_row = {
        "id": record["id"],
        "source": record.get("source"),
        "sha256": record.get("sha256"),
        "chars": record.get("chars"),
        "encoding": record.get("encoding"),
        "org": report.get("org"),
        "year": report.get("year"),
        "report_type": report.get("report_type"),
        "status": record.get("status", "ok"),
        "error": record.get("error"),
        "model_version": record.get("model_version"),
        "processed_at": processed_at or now_iso(),
    }
    seg_rows = []
    for index, seg in enumerate(record.get("segments", [])):
        scores = seg.get("scores") or {}
        row = {
            "doc_id": record["id"],
            "index": index,
            "start": seg["start"],
            "end": seg["end"],
            "section": SECTION_SEPARATOR.join(seg.get("section") or ()),
            "label": seg["label"],
        }
        for label in SEGMENT_LABELS:
            row[f"score_{label}"] = scores.get(label)
        row["text"] = seg.get("text")
        seg_rows.append(row)
    ent_rows = []
    for ent in record.get("entities", []):
        ent_rows.append(
            {
                "doc_id": record["id"],
                "segment_index": ent.get("segment"),
                "start": ent["start"],
                "end": ent["end"],
                "label": ent["label"],
                "text": ent.get("text"),
                "value": ent.get("value"),
                "value_max": ent.get("value_max"),
                "unit": ent.get("unit"),
                "currency": ent.get("currency"),
                "approx": ent.get("approx"),
                "matched_by": ent.get("matched_by"),
            }
        )
    return {"documents": [doc_row], "segments": seg_rows, "entities": ent_rows}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records from a JSONL file (ANNOTATION.md format, ours or gold), blank lines skipped;
    a missing file or a line that is not JSON is an `InputError` naming the line."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found", fix="check the path")
    out = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as err:
                    raise InputError(f"{path}:{lineno}", f"not valid JSON ({err.msg})", fix="one JSON object a line") from err
    return out

"""The corpus as a HuggingFace `datasets.DatasetDict` and as spaCy Docs / DocBin.

Offline by construction (local JSON files; HF_DATASETS_OFFLINE is set before import).
Gold spans are put on Docs made by the pipeline's own tokenizer; where a gold edge
falls inside a token the token is split, and a span that still does not align is an
error, so no annotation is ever lost silently."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

from pipeline.errors import CorpusError

from .corpus import SPLITS

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def load_dataset_dict(corpus_dir: Path):
    """train/dev/test as a `datasets.DatasetDict` (one row per document)."""
    import datasets

    files = {split: str(Path(corpus_dir) / f"{split}.jsonl") for split in SPLITS}
    missing = [f for f in files.values() if not Path(f).exists()]
    if missing:
        raise CorpusError(missing[0], None, "split file missing", fix="run `jixiao corpus build`")
    features = datasets.Features(
        {
            "id": datasets.Value("string"),
            "text": datasets.Value("string"),
            "segments": datasets.List({"start": datasets.Value("int32"), "end": datasets.Value("int32"), "label": datasets.Value("string"), "text": datasets.Value("string")}),
            "entities": datasets.List(
                {
                    "start": datasets.Value("int32"),
                    "end": datasets.Value("int32"),
                    "label": datasets.Value("string"),
                    "text": datasets.Value("string"),
                    "value": datasets.Value("float64"),
                    "value_max": datasets.Value("float64"),
                    "approx": datasets.Value("bool"),
                    "currency": datasets.Value("string"),
                }
            ),
            "furniture": datasets.List(datasets.List(datasets.Value("int32"))),
            "meta": {
                "agency": datasets.Value("string"),
                "org": datasets.Value("string"),
                "genre": datasets.Value("string"),
                "province": datasets.Value("string"),
                "level": datasets.Value("string"),
                "year": datasets.Value("int32"),
                "artefacts": datasets.List(datasets.Value("string")),
            },
        }
    )
    return datasets.load_dataset("json", data_files=files, features=features)


def record_to_doc(nlp, record: dict[str, Any]):
    """A Doc of the record's text with gold segments (doc.spans["segments"]) and entities
    (doc.ents, numeric values in the extension attributes)."""
    from pipeline.components._spans import ensure_boundaries

    doc = nlp.make_doc(record["text"])
    edges = {o for s in record["segments"] for o in (s["start"], s["end"])}
    edges |= {o for e in record["entities"] for o in (e["start"], e["end"])}
    ensure_boundaries(doc, edges)
    segments = []
    for s in record["segments"]:
        span = doc.char_span(s["start"], s["end"], label=s["label"])
        if span is None:
            raise CorpusError(record["id"], None, f"segment {s['start']}..{s['end']} does not align with tokens")
        segments.append(span)
    ents = []
    for e in record["entities"]:
        span = doc.char_span(e["start"], e["end"], label=e["label"])
        if span is None:
            raise CorpusError(record["id"], None, f"entity {e['start']}..{e['end']} {record['text'][e['start']:e['end']]!r} does not align with tokens")
        for key in ("value", "value_max", "approx", "currency"):
            if e.get(key) is not None:
                setattr(span._, key, e[key])
        ents.append(span)
    doc.spans["segments"] = segments
    doc.ents = ents
    doc._.doc_id = record["id"]
    doc._.furniture = [tuple(f) for f in record.get("furniture", [])]
    return doc


def doc_to_gold(doc) -> dict[str, Any]:
    """The inverse of `record_to_doc`: offsets, labels and values back from the Doc."""
    entities = []
    for ent in doc.ents:
        e = {"start": ent.start_char, "end": ent.end_char, "label": ent.label_, "text": ent.text}
        for key in ("value", "value_max", "approx", "currency"):
            value = getattr(ent._, key)
            if value is not None and not (key == "approx" and value is False and ent.label_ in ("AWARD", "EVENT")):
                e[key] = value
        entities.append(e)
    return {
        "id": doc._.doc_id,
        "text": doc.text,
        "segments": [{"start": s.start_char, "end": s.end_char, "label": s.label_, "text": s.text} for s in doc.spans["segments"]],
        "entities": entities,
    }


def to_docbin(nlp, records: Iterable[dict[str, Any]]):
    from spacy.tokens import DocBin

    docbin = DocBin(store_user_data=True)
    for record in records:
        docbin.add(record_to_doc(nlp, record))
    return docbin

"""The work done to one document, whoever runs it: text in, record out, never an exception."""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..records import doc_to_record, failure_record, text_sha256


def model_version(nlp) -> str:
    """What produced a record: the package version plus the trained models' corpus hashes,
    so that a resumed run redoes documents processed by other models."""
    parts = [f"jixiao-{nlp.meta.get('version', '?')}"]
    for name in ("jixiao_classifier", "jixiao_names"):
        if name in nlp.pipe_names:
            meta = getattr(nlp.get_pipe(name), "meta", None) or {}
            parts.append(f"{name.split('_')[1]}-{str(meta.get('corpus_sha256', 'none'))[:12]}")
    return "+".join(parts)


def process_one(nlp, item, *, include_text: bool = False, version: str | None = None) -> dict[str, Any]:
    """One record for a reader result (`Text`) or a reading failure (`InputError`)."""
    if isinstance(item, InputError):
        return failure_record(doc_id=_id_of(item.path), source=item.path, error=str(item), model_version=version)
    try:
        doc = nlp(item.text)
        doc._.source = item.source
        doc._.doc_id = item.doc_id
        doc._.encoding = item.encoding
        record = doc_to_record(doc, doc_id=item.doc_id, source=item.source, include_text=include_text, model_version=version)
        record["status"] = "ok"
        record["error"] = None
        return record
    except Exception as err:  # one bad document must not end a run over thousands
        return failure_record(
            doc_id=item.doc_id, source=item.source, error=f"{type(err).__name__}: {err}",
            sha256=text_sha256(item.text), model_version=version,
        )


def _id_of(path: str) -> str:
    from pathlib import Path

    return Path(path.split("#", 1)[0]).stem or path

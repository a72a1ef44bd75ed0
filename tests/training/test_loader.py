"""The corpus loader: datasets splits, and JSONL → Doc → JSONL with no span lost."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

import pipeline.extensions  # noqa: F401  (registers the span attributes)
from pipeline.text.numbers import numeric_boundaries
from pipeline.tokenizer import JixiaoTokenizer
from training.corpus import read_jsonl
from training.loader import doc_to_gold, load_dataset_dict, record_to_doc, to_docbin

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("zh")
    nlp.tokenizer = JixiaoTokenizer(nlp.vocab, boundaries=numeric_boundaries)
    return nlp


def test_dataset_dict_has_the_splits_offline() -> None:
    ds = load_dataset_dict(CORPUS)
    assert set(ds) == {"train", "dev", "test"}
    assert ds["train"].num_rows == len(read_jsonl(CORPUS / "train.jsonl"))
    row = ds["dev"][0]
    assert row["text"][row["segments"][0]["start"] : row["segments"][0]["end"]] == row["segments"][0]["text"]


def _spans(record: dict) -> tuple[list, list]:
    segs = [(s["start"], s["end"], s["label"]) for s in record["segments"]]
    ents = [(e["start"], e["end"], e["label"], e.get("value"), bool(e.get("approx", False))) for e in record["entities"]]
    return segs, ents


@pytest.mark.parametrize("split", ["train", "dev", "test"])
def test_every_document_round_trips(nlp, split: str) -> None:
    for record in read_jsonl(CORPUS / f"{split}.jsonl"):
        back = doc_to_gold(record_to_doc(nlp, record))
        assert back["text"] == record["text"]
        assert _spans(back) == _spans(record), record["id"]


def test_docbin_keeps_spans(nlp) -> None:
    records = read_jsonl(CORPUS / "dev.jsonl")[:3]
    docs = list(to_docbin(nlp, records).get_docs(nlp.vocab))
    assert [len(d.ents) for d in docs] == [len(r["entities"]) for r in records]

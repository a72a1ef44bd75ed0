"""The shipped models: trained on the committed corpus, small, loadable, trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.learn.persist import load_model, read_meta
from training.corpus import corpus_hash

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIRS = ["segment_classifier", "names"]


@pytest.mark.parametrize("name", MODEL_DIRS)
def test_committed_model_matches_committed_corpus(name: str) -> None:
    meta = read_meta(ROOT / "models" / name)
    assert meta["corpus_sha256"] == corpus_hash(ROOT / "corpus"), f"models/{name} is stale: run `jixiao train`"


@pytest.mark.parametrize("name", MODEL_DIRS)
def test_committed_model_loads_with_its_labels(name: str) -> None:
    model, meta = load_model(ROOT / "models" / name)
    assert meta["labels"]
    assert set(meta["labels"]) <= {str(c) for c in model.classes_} | {"AWARD", "EVENT"}


def test_models_stay_under_50_mb() -> None:
    total = sum(p.stat().st_size for p in (ROOT / "models").rglob("*") if p.is_file())
    assert total < 50 * 2**20

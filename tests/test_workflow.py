"""The whole workflow on a tiny corpus: build → train → load → process → evaluate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pipeline
from pipeline.evaluate import evaluate_file
from training.corpus import build
from training.train import NAMES_MODEL_DIR, SEGMENT_MODEL_DIR, train_all

ROOT = Path(__file__).resolve().parents[1]


def _write_corpus(tmp: Path, tiny_src: Path) -> Path:
    out = tmp / "built"
    out.mkdir()
    # every tiny document in train, and the same documents as dev/test so metrics exist
    build(tiny_src, out, artefact_share=0.0, dev_share=0.0, test_share=0.0)
    train = (out / "train.jsonl").read_text(encoding="utf-8")
    (out / "dev.jsonl").write_text(train, encoding="utf-8")
    (out / "test.jsonl").write_text(train, encoding="utf-8")
    return out


def test_train_load_process_evaluate(tmp_path: Path, tiny_src: Path) -> None:
    corpus = _write_corpus(tmp_path, tiny_src)
    models = tmp_path / "models"
    results = train_all(corpus=corpus, output=models, overrides={"jixiao_train.max_iter": 500}, log=lambda m: None)
    assert (models / SEGMENT_MODEL_DIR / "model.skops").exists() and (models / NAMES_MODEL_DIR / "model.skops").exists()
    assert results["segment_classifier"]["dev"]["macro_f1"] > 0.5

    nlp = pipeline.load(overrides={"paths.models": str(models)})
    assert nlp.pipe_names == ["jixiao_structure", "jixiao_segmenter", "jixiao_numbers", "jixiao_names", "jixiao_classifier", "jixiao_metadata"]
    gold = tmp_path / "gold.jsonl"
    gold.write_text((corpus / "dev.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    report = evaluate_file(gold, nlp=nlp)
    assert report["boundaries"]["f1"] == 1.0
    assert report["entities"]["labels"]["MONEY"]["f1"] == 1.0
    assert report["segments"]["labels"]["heading"]["f1"] == 1.0

    doc = nlp(json.loads(gold.read_text(encoding="utf-8").splitlines()[0])["text"])
    assert all(s.label_ in {"achievement", "problem", "remedy", "metric", "other", "heading"} for s in doc.spans["segments"])
    assert all(abs(sum(s._.scores.values()) - 1.0) < 1e-6 for s in doc.spans["segments"])
    assert doc._.report["report_type"] == "dept_self_eval"


def test_cli_train_smoke(tmp_path: Path, tiny_src: Path) -> None:
    corpus = _write_corpus(tmp_path, tiny_src)
    run = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "train", "--corpus", str(corpus), "--output", str(tmp_path / "m"), "--set", "jixiao_train.max_iter=300"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "corpus_sha256" in run.stdout

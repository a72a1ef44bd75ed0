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


def test_classifier_scores_the_same_with_or_without_the_tokenizer_words() -> None:
    """The shipped classifier reuses the pipeline tokenizer's words; a Doc without them
    (another tokenizer, a Doc built elsewhere) is cut again, to the same scores."""
    from pipeline import load
    from pipeline.tokenizer import WORDS_KEY

    nlp = load()
    text = "一、主要成效\n全年举办培训班12期，培训干部600人次。\n二、存在的问题\n预算执行进度偏慢。\n三、下一步措施\n加快项目实施进度。"
    reused = nlp(text)
    doc = nlp.make_doc(text)
    del doc.user_data[WORDS_KEY]
    for _, component in nlp.pipeline:
        doc = component(doc)
    assert nlp.get_pipe("jixiao_classifier").reuse_words
    assert [s._.scores for s in doc.spans["segments"]] == [s._.scores for s in reused.spans["segments"]]


def test_classifier_cuts_its_own_words_under_another_tokenizer() -> None:
    from pipeline import load

    nlp = load(overrides={"nlp.tokenizer.segmenter": "char"})
    assert not nlp.get_pipe("jixiao_classifier").reuse_words
    doc = nlp("全年举办培训班12期。")
    assert doc.spans["segments"][0].label_ == "achievement"

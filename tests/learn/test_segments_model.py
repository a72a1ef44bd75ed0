"""The segment classifier: overfit a tiny corpus, save, reload, same predictions; refuse tampering."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import ModelError
from pipeline.learn.persist import META_FILE, MODEL_FILE, load_model, save_model
from pipeline.learn.segments import LinearSegmentClassifier, StackedSegmentClassifier, neighbour_matrix
from training.segments import dataset


@pytest.mark.parametrize("estimator", [StackedSegmentClassifier, LinearSegmentClassifier])
def test_overfit_save_reload_same_predictions(tmp_path, tiny_records, estimator) -> None:
    contexts, labels = dataset(tiny_records)
    model = estimator(C=100.0, folds=2, char_ngram_min=1, char_ngram_max=2).fit(contexts, labels)
    predicted = model.predict(contexts)
    sentence_rows = [i for i, c in enumerate(contexts) if not c["is_heading"]]
    assert [predicted[i] for i in sentence_rows] == [labels[i] for i in sentence_rows]

    save_model(model, tmp_path / "m", {"labels": list(model.classes_)})
    reloaded, meta = load_model(tmp_path / "m")
    assert meta["libraries"]["scikit-learn"]
    np.testing.assert_allclose(reloaded.predict_proba(contexts), model.predict_proba(contexts))


def test_tampered_model_file_is_refused(tmp_path, tiny_records) -> None:
    contexts, labels = dataset(tiny_records)
    save_model(LinearSegmentClassifier(folds=2).fit(contexts, labels), tmp_path / "m", {})
    with open(tmp_path / "m" / MODEL_FILE, "ab") as fh:
        fh.write(b"x")
    with pytest.raises(ModelError, match="checksum"):
        load_model(tmp_path / "m")


def test_foreign_types_are_refused(tmp_path) -> None:
    import skops.io

    from pipeline.learn.persist import file_sha256

    target = tmp_path / "m"
    target.mkdir()
    skops.io.dump({"f": json.dumps}, target / MODEL_FILE)
    (target / META_FILE).write_text(json.dumps({"model_sha256": file_sha256(target / MODEL_FILE), "libraries": {"scikit-learn": __import__("sklearn").__version__}}))
    with pytest.raises(ModelError, match="not trusted"):
        load_model(target)


def test_missing_model_says_how_to_build_it(tmp_path) -> None:
    with pytest.raises(ModelError, match="jixiao train"):
        load_model(tmp_path / "nothing")


def test_neighbour_matrix_stops_at_document_edges() -> None:
    from pipeline.learn.segments import NEIGHBOURS

    probas = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    Z = neighbour_matrix(probas, ["a", "a", "b"])
    k = probas.shape[1]

    def block(row: int, offset: int) -> list[float]:
        at = k + NEIGHBOURS.index(offset) * (k + 1)
        return Z[row, at : at + k].tolist()

    assert block(0, 1) == [0.0, 1.0]  # the next segment of the same document
    assert block(1, 1) == [0.0, 0.0]  # the next row belongs to another document
    assert block(0, -1) == [0.0, 0.0]  # nothing before the first segment
    assert block(2, -1) == [0.0, 0.0]


@pytest.mark.parametrize(
    "text, start, end, words",
    [
        ("一是举办培训12期。", 0, 10, ["一是", "举办", "培训", "00", "期", "。"]),
        ("一是举办培训12期。", 2, 10, ["举办", "培训", "00", "期", "。"]),
        ("甲。\n乙丙。", 3, 6, ["乙丙", "。"]),  # whitespace words are dropped
        ("甲。\n乙丙。", 0, 1, ["甲"]),
        ("甲。\n乙丙。", 4, 6, ["。"]),  # a word cut by the start is not this segment's
        ("甲。\n乙丙。", 3, 5, ["乙丙"]),  # nor one cut by the end
        ("培训１２期", 0, 5, ["培训", "00", "期"]),  # full-width digits too
    ],
)
def test_words_between(text: str, start: int, end: int, words: list[str]) -> None:
    from pipeline.learn.text_features import WordIndex

    cut = {
        "一是举办培训12期。": ["一是", "举办", "培训", "12", "期", "。"],
        "甲。\n乙丙。": ["甲", "。", "\n", "乙丙", "。"],
        "培训１２期": ["培训", "１２", "期"],
    }[text]
    assert WordIndex(cut).between(start, end) == words


def test_contexts_cut_words_as_the_pipeline_tokenizer_does(tiny_records) -> None:
    """Training cuts the text itself; at run time the classifier reuses the pipeline
    tokenizer's words: both must give every segment the same words."""
    from pipeline import load, load_config
    from pipeline.learn.segments import segment_contexts
    from pipeline.tokenizer import WORDS_KEY

    nlp = load(exclude=load_config()["nlp"]["pipeline"])
    record = tiny_records[0]
    doc = nlp.make_doc(record["text"])
    reused = segment_contexts(record["text"], record["segments"], words=doc.user_data[WORDS_KEY][1])
    cut_here = segment_contexts(record["text"], record["segments"])
    assert [c["words"] for c in reused] == [c["words"] for c in cut_here]
    assert [c["section_words"] for c in reused] == [c["section_words"] for c in cut_here]
    assert any(c["words"] for c in reused)


@given(st.lists(st.text(alphabet="培训1２ \n\x00期", min_size=1, max_size=4), max_size=10))
def test_word_index_slices_like_a_scan(words: list[str]) -> None:
    from pipeline.learn.text_features import WordIndex, normalise_digits

    index = WordIndex(words)
    total = sum(map(len, words))
    starts = [sum(map(len, words[:i])) for i in range(len(words))]
    for start in range(total + 1):
        for end in range(start, total + 1):
            expected = [
                normalise_digits(w) for w, s in zip(words, starts) if w.strip() and s >= start and s + len(w) <= end
            ]
            assert index.between(start, end) == expected


@pytest.mark.parametrize(
    "n, name",
    [(-1, "pos=<=0"), (0, "pos=<=0"), (1, "pos=<=1"), (2, "pos=<=3"), (3, "pos=<=3"), (6, "pos=<=6"), (7, "pos=>6"), (10**6, "pos=>6")],
)
def test_buckets_name_the_first_edge_a_number_reaches(n: int, name: str) -> None:
    from pipeline.learn.segments import POSITION_BUCKETS

    assert POSITION_BUCKETS(n) == name


@pytest.mark.parametrize(
    "text, cues",
    [
        ("全年投入资金120万元，培训600人次。", {"cue_money", "cue_count"}),
        ("满意度达百分之九十五", {"cue_percent"}),
        ("满意度达95%，得分98分", {"cue_percent", "cue_score"}),
        ("下一步将加强监管", {"cue_future"}),
        ("加强监管，下一步将整改", set()),  # the future cue opens a sentence
        ("①②项工作", set()),  # digits, but no figure cue
    ],
)
def test_context_cues(text: str, cues: set[str]) -> None:
    from pipeline.learn.segments import context_features

    feats = context_features({"text": text, "position": 0, "report_type": "x", "starts_paragraph": False, "section": []})
    assert {k for k in feats if k.startswith("cue_") and not k.endswith("_n")} == cues

"""The segment classifier: overfit a tiny corpus, save, reload, same predictions; refuse tampering."""

from __future__ import annotations

import json

import numpy as np
import pytest

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

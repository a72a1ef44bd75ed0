"""Saving and safely loading trained scikit-learn models.

A pickle is code: loading a tampered or foreign model file could run anything. Models
are stored with skops, whose loader only builds the types it is told to trust; the
list below is that trust, kept in code (not beside the model, where whoever swaps the
model could swap it too). `meta.json` beside the model records the library versions,
labels, corpus hash and metrics.
"""

from __future__ import annotations

import hashlib
import zipfile
import json
from pathlib import Path
from typing import Any

from ..errors import ModelError

MODEL_FILE = "model.skops"
META_FILE = "meta.json"

# Types the skops loader may build beyond its own defaults: ours and the few library
# types our estimators hold. Anything else in a model file is refused.
TRUSTED_TYPES = [
    "pipeline.learn.segments.StackedSegmentClassifier",
    "pipeline.learn.segments.LinearSegmentClassifier",
    "pipeline.learn.segments.SegmentFeaturizer",
    "pipeline.learn.segments._split_words",
    "pipeline.learn.text_features.given_words",
    "pipeline.learn.names.NameCandidateClassifier",
    "pipeline.learn.names.candidate_features",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.feature_extraction._hash.FeatureHasher",
    "sklearn.linear_model._logistic.LogisticRegression",
    "builtins.dict",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "numpy.dtype",
    "numpy.ndarray",
    "scipy.sparse._csr.csr_matrix",
]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    import numpy
    import scipy
    import sklearn
    import skops

    return {"scikit-learn": sklearn.__version__, "numpy": numpy.__version__, "scipy": scipy.__version__, "skops": skops.__version__}


def save_model(model: Any, directory: Path, meta: dict[str, Any]) -> Path:
    import skops.io

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / MODEL_FILE
    skops.io.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    untrusted = [t for t in skops.io.get_untrusted_types(file=path) if t not in TRUSTED_TYPES]
    if untrusted:
        path.unlink()
        raise ModelError(
            "the model holds types the loader would refuse",
            value=untrusted,
            fix="add them to pipeline.learn.persist.TRUSTED_TYPES if they are safe library types",
        )
    full_meta = {**meta, "libraries": library_versions(), "model_sha256": file_sha256(path)}
    (directory / META_FILE).write_text(json.dumps(full_meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read_meta(directory: Path) -> dict[str, Any]:
    meta_path = Path(directory) / META_FILE
    if not meta_path.exists():
        raise ModelError("the model directory has no meta.json", value=str(directory), fix="run `jixiao train` to build the models")
    return json.loads(meta_path.read_text(encoding="utf-8"))


def load_model(directory: Path) -> tuple[Any, dict[str, Any]]:
    """The model and its meta; refuses missing, tampered, foreign or version-mismatched files."""
    import skops.io

    directory = Path(directory)
    path = directory / MODEL_FILE
    if not path.exists():
        raise ModelError("no trained model found", value=str(path), fix="run `jixiao train`, or point the component's `model` setting at a model directory")
    meta = read_meta(directory)
    if meta.get("model_sha256") != file_sha256(path):
        raise ModelError(
            "the model file does not match the checksum in its meta.json (changed after training)",
            value=str(path),
            fix="retrain with `jixiao train` or restore the file that was trained",
        )
    untrusted = [t for t in skops.io.get_untrusted_types(file=path) if t not in TRUSTED_TYPES]
    if untrusted:
        raise ModelError("the model file holds types that are not trusted; refusing to load it", value=untrusted, fix="only load models trained by `jixiao train`")
    trained_with = meta.get("libraries", {}).get("scikit-learn", "")
    import sklearn

    if trained_with.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        raise ModelError(
            f"the model was trained with scikit-learn {trained_with}, this is {sklearn.__version__}",
            value=str(directory),
            fix="retrain with `jixiao train` or install the scikit-learn version in meta.json",
        )
    try:
        model = skops.io.load(path, trusted=TRUSTED_TYPES)
    except Exception as err:
        raise ModelError(f"the model file could not be read: {err}", value=str(path), fix="retrain with `jixiao train`") from err
    return model, meta

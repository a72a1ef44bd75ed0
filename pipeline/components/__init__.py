"""The pipeline's spaCy components, one module a stage.

`register_all()` imports every stage so that its factory is registered with spaCy;
`pipeline.load()` calls it. Importing one stage's module imports only that stage."""

from __future__ import annotations

STAGES = ("structure", "segmenter", "numbers", "names", "classifier", "metadata")


def register_all() -> None:
    import importlib

    for stage in STAGES:
        importlib.import_module(f"{__name__}.{stage}")

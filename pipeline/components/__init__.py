"""The pipeline's spaCy components, one module a stage; importing this registers them."""

from . import classifier, metadata, names, numbers, segmenter, structure  # noqa: F401

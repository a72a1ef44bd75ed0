"""jixiao: an NLP pipeline for Chinese government performance reports.

`pipeline.load()` builds the spaCy pipeline from `config.cfg`; `nlp(text)` gives a Doc
with segments in `doc.spans["segments"]` and entities in `doc.ents`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .about import __version__

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config.cfg"

__all__ = ["__version__", "load", "load_config", "DEFAULT_CONFIG"]


def load_config(path: str | Path | None = None, overrides: dict[str, Any] | None = None):
    """The config with `[paths]` made absolute (relative to the config file) and overrides applied."""
    from spacy.util import load_config as spacy_load_config

    from .errors import ConfigError

    path = Path(path) if path else DEFAULT_CONFIG
    if not path.exists():
        raise ConfigError("the config file does not exist", value=str(path), fix="pass --config PATH or run from a jixiao checkout")
    base = path.resolve().parent
    raw = spacy_load_config(path, interpolate=False)
    path_overrides = {}
    for key, value in raw.get("paths", {}).items():
        if isinstance(value, str) and value and not Path(value).is_absolute():
            path_overrides[f"paths.{key}"] = str(base / value)
    path_overrides.update(overrides or {})
    try:
        return spacy_load_config(path, overrides=path_overrides, interpolate=True)
    except Exception as err:  # spaCy raises ConfigValidationError / KeyError shapes
        raise ConfigError(f"config {path} could not be read: {err}", fix="check the section and key names in --set") from err


def load(config: str | Path | None = None, *, overrides: dict[str, Any] | None = None, exclude: list[str] | tuple[str, ...] = ()):
    """Build the jixiao pipeline (a spaCy `Language`) from `config.cfg`.

    `overrides` takes dotted keys (`{"components.jixiao_names.mode": "rules"}`);
    `exclude` leaves components out (e.g. `["jixiao_classifier"]`)."""
    from spacy.util import load_model_from_config

    from . import tokenizer  # noqa: F401  (registers the tokenizer)
    from .components import register_all

    register_all()

    cfg = load_config(config, overrides)
    nlp = load_model_from_config(cfg, auto_fill=True, validate=True, exclude=list(exclude))
    nlp.meta["name"] = "jixiao"
    nlp.meta["version"] = __version__
    return nlp

"""The plain functions behind `jixiao corpus …` (the CLI only parses and prints)."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import load_config

from .corpus import SPLITS, build, format_stats, load_splits, stats, validate_files


def _corpus_settings(config: Path | None):
    return load_config(config)["jixiao_corpus"]


def corpus_build(config: Path | None = None) -> str:
    s = _corpus_settings(config)
    counts = build(Path(s["src"]), Path(s["build"]), artefact_share=s["artefact_share"], dev_share=s["dev_share"], test_share=s["test_share"])
    return "built " + ", ".join(f"{split}: {n} documents" for split, n in counts.items())


def corpus_validate(files: list[Path] | None, config: Path | None = None) -> tuple[list[str], int]:
    if not files:
        build_dir = Path(_corpus_settings(config)["build"])
        files = [build_dir / f"{split}.jsonl" for split in SPLITS]
    return validate_files(files), len(files)


def corpus_stats(config: Path | None = None, *, as_json: bool = False) -> str:
    result = stats(load_splits(Path(_corpus_settings(config)["build"])))
    return json.dumps(result, ensure_ascii=False, indent=2) if as_json else format_stats(result)

"""Who runs the documents: this process, local worker processes, or a Dask cluster.

What is done to a document is `work.process_one`, the same everywhere."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..errors import ConfigError, InputError
from .work import model_version, process_one

DEFAULT_OUTPUT = "jixiao.jsonl"


@dataclass
class Summary:
    documents: int = 0
    failed: int = 0
    skipped: int = 0
    characters: int = 0
    seconds: float = 0.0
    output: str = ""
    errors: list[str] = field(default_factory=list)

    def message(self) -> str:
        rate = self.characters / self.seconds if self.seconds else 0.0
        return (
            f"{self.documents} documents ({self.failed} failed, {self.skipped} skipped as already done) "
            f"in {self.seconds:.1f}s, {rate:,.0f} chars/s → {self.output}"
        )


def iter_inputs(paths: list[str], *, encoding: str | None, text_column: str | None, id_column: str | None) -> Iterator[Any]:
    """Reader results in order: `Text` or `InputError`, nothing dropped."""
    from ..readers import expand_inputs, iter_table, read_path

    if text_column:
        for raw in paths:
            yield from iter_table(Path(raw), text_column=text_column, id_column=id_column)
        return
    files, errors = expand_inputs(paths)
    yield from errors
    for path in files:
        try:
            yield read_path(path, encoding=encoding)
        except InputError as err:
            yield err


def run(
    paths: list[str],
    *,
    output: Path | None = None,
    fmt: str | None = None,
    include_text: bool = False,
    encoding: str | None = None,
    text_column: str | None = None,
    id_column: str | None = None,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    resume: bool | None = None,
    config: Path | None = None,
    overrides: dict | None = None,
    log=None,
) -> Summary:
    from .. import load
    from ..writers import open_writer

    if engine not in ("local",):
        raise ConfigError("unknown engine", value=engine, options=["local"], fix="use --engine local")
    log = log or (lambda m: print(m, file=sys.stderr))
    output = Path(output or DEFAULT_OUTPUT)
    summary = Summary(output=str(output))
    nlp = load(config, overrides=overrides)
    version = model_version(nlp)
    started = time.perf_counter()
    with open_writer(output, fmt, resume=bool(resume)) as writer:
        done = writer.done()
        for item in iter_inputs(paths, encoding=encoding, text_column=text_column, id_column=id_column):
            if not isinstance(item, InputError) and done:
                from ..records import text_sha256

                if done.get(item.doc_id) == (text_sha256(item.text), version):
                    summary.skipped += 1
                    continue
            record = process_one(nlp, item, include_text=include_text, version=version)
            writer.write(record)
            summary.documents += 1
            summary.characters += record.get("chars") or 0
            if record.get("status") == "failed":
                summary.failed += 1
                summary.errors.append(record["error"])
                log(f"failed: {record['error']}")
    summary.seconds = time.perf_counter() - started
    return summary

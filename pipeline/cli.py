"""The `jixiao` command line: parses arguments, calls plain functions, prints messages.

Nothing imports this module. The training commands import `training` lazily: it is
the one place the runtime package reaches into training code, so that `jixiao train`
and `jixiao corpus` exist without making the pipeline depend on them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .errors import JixiaoError

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

app = typer.Typer(add_completion=False, no_args_is_help=True, help="jixiao: segments, sentence labels and entities from Chinese government reports.")
corpus_app = typer.Typer(no_args_is_help=True, help="Build, check and describe the annotated corpus.")
app.add_typer(corpus_app, name="corpus")

ConfigOption = typer.Option(None, "--config", "-c", help="config.cfg to use (default: the project's)")
SetOption = typer.Option(None, "--set", help="override a config value: section.key=value (repeatable)")


def _overrides(pairs: Optional[List[str]], models: Optional[Path] = None) -> dict:
    from .errors import ConfigError

    out: dict = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or "." not in key:
            raise ConfigError("an override is not section.key=value", value=pair, fix="e.g. --set nlp.tokenizer.segmenter=char")
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    if models is not None:
        out["paths.models"] = str(Path(models).resolve())
    return out


def _fail(err: Exception) -> None:
    typer.echo(f"error: {err}", err=True)
    raise typer.Exit(2)


@app.command()
def process(
    paths: List[str] = typer.Argument(..., help="files, folders or globs of reports (.txt .docx .pdf .html), or tables with --text-column"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="output file; the format follows the suffix (.jsonl .csv .parquet .sqlite .duckdb)"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="output format when the suffix does not say it"),
    include_text: bool = typer.Option(False, "--include-text", help="write each document's decoded text (offsets refer to it)"),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="decode text files with this encoding instead of detecting it"),
    text_column: Optional[str] = typer.Option(None, "--text-column", help="read PATHS as tables (parquet, jsonl, csv, saved datasets) with this text column"),
    id_column: Optional[str] = typer.Option(None, "--id-column", help="column with document ids (tables)"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="worker processes (0: one per core)"),
    engine: str = typer.Option("local", "--engine", help="local or dask"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="dask scheduler address, tcp://HOST:PORT"),
    resume: Optional[bool] = typer.Option(None, "--resume/--no-resume", help="skip documents already in the output (default: on for databases)"),
    config: Optional[Path] = ConfigOption,
    set_: Optional[List[str]] = SetOption,
) -> None:
    """Process reports into one record per document."""
    from .runners import run

    try:
        summary = run(
            paths,
            output=output,
            fmt=fmt,
            include_text=include_text,
            encoding=encoding,
            text_column=text_column,
            id_column=id_column,
            jobs=jobs,
            engine=engine,
            scheduler=scheduler,
            resume=resume,
            config=config,
            overrides=_overrides(set_),
        )
    except JixiaoError as err:
        _fail(err)
    typer.echo(summary.message(), err=True)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="gold JSONL (ANNOTATION.md format)"),
    pred: Optional[Path] = typer.Option(None, "--pred", help="score this output JSONL instead of running the pipeline"),
    model: Optional[Path] = typer.Option(None, "--model", help="models directory to use instead of [paths] models"),
    as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
    confusion: bool = typer.Option(True, "--confusion/--no-confusion", help="print the confusion matrix"),
    config: Optional[Path] = ConfigOption,
    set_: Optional[List[str]] = SetOption,
) -> None:
    """Score the pipeline (or an output file) against gold, as ANNOTATION.md section 4 defines."""
    from .evaluate import evaluate_file
    from .scoring import format_report

    try:
        report = evaluate_file(gold, pred=pred, config=config, overrides=_overrides(set_, model))
    except JixiaoError as err:
        _fail(err)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_report(report, confusion=confusion))


@app.command()
def train(
    config: Optional[Path] = ConfigOption,
    set_: Optional[List[str]] = SetOption,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="write models here instead of [paths] models"),
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="built corpus directory (train/dev/test.jsonl) instead of [paths] corpus"),
) -> None:
    """Train every model in models/ from the corpus and config.cfg (seeded, deterministic)."""
    from training.train import train_all

    try:
        results = train_all(config=config, overrides=_overrides(set_), output=output, corpus=corpus, log=lambda m: typer.echo(m, err=True))
    except JixiaoError as err:
        _fail(err)
    typer.echo(json.dumps(results, ensure_ascii=False, indent=2))


@app.command()
def bench(
    documents: int = typer.Option(300, "--documents", "-n", help="documents in the synthetic archive"),
    scale: int = typer.Option(10, "--scale", help="also run an archive this many times larger to check memory stays flat (1: skip)"),
    jobs: int = typer.Option(2, "--jobs", "-j", help="processes for the parallel run"),
    components: int = typer.Option(60, "--components", help="also time each pipeline stage on this many documents (0: skip)"),
    repeat: int = typer.Option(2, "--repeat", help="rounds of jieba / 1 process / N processes; the fastest of each is reported"),
    config: Optional[Path] = ConfigOption,
    set_: Optional[List[str]] = SetOption,
) -> None:
    """Measure throughput and memory against jieba alone, and print the ratios."""
    from training.bench import run_benchmark

    try:
        run_benchmark(
            documents=documents, scale=scale, jobs=jobs, components=components, repeat=repeat, config=config,
            overrides=_overrides(set_), log=lambda m: typer.echo(m),
        )
    except JixiaoError as err:
        _fail(err)


@corpus_app.command("build")
def corpus_build(config: Optional[Path] = ConfigOption) -> None:
    """Build corpus/src/*.jx into corpus/{train,dev,test}.jsonl."""
    from training.cli_support import corpus_build as run_build

    try:
        typer.echo(run_build(config))
    except JixiaoError as err:
        _fail(err)


@corpus_app.command("validate")
def corpus_validate(files: Optional[List[Path]] = typer.Argument(None, help="JSONL files (default: the built splits)"), config: Optional[Path] = ConfigOption) -> None:
    """Check offsets, coverage, labels, entity placement and values; non-zero exit on any problem."""
    from training.cli_support import corpus_validate as run_validate

    try:
        problems, n_files = run_validate(files, config)
    except JixiaoError as err:
        _fail(err)
    for problem in problems:
        typer.echo(problem)
    if problems:
        typer.echo(f"{len(problems)} problems in {n_files} files", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {n_files} files valid", err=True)


@corpus_app.command("stats")
def corpus_stats(as_json: bool = typer.Option(False, "--json"), config: Optional[Path] = ConfigOption) -> None:
    """The corpus card's tables: labels, entities, splits, agencies, genres, near-duplicates."""
    from training.cli_support import corpus_stats as run_stats

    try:
        typer.echo(run_stats(config, as_json=as_json))
    except JixiaoError as err:
        _fail(err)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())

"""A small stand-in for `pipeline.load()`: the runners and writers need a pipeline that
makes Docs with segments and entities, not a trained one.

It is a module of its own (not a fixture) because worker processes and Dask workers
import the factory by name. A text containing FAIL raises inside the pipeline, to test
that one bad document is recorded and the run goes on; SLOW sleeps, to give the kill
tests time to strike mid-run; CRASH ends the worker process (never use it in-process)."""

from __future__ import annotations

import os
import re
import time

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline import extensions  # noqa: F401  (registers doc._.report, span._.value …)

SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
MONEY = re.compile(r"(\d+(?:\.\d+)?)万元")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")


@Language.component("jixiao_fake_annotate")
def annotate(doc: Doc) -> Doc:
    if "FAIL" in doc.text:
        raise ValueError("the fake pipeline was told to fail")
    if "SLOW" in doc.text:
        time.sleep(0.05)
    if "CRASH" in doc.text:
        os._exit(3)  # a worker process dying mid-document (out of memory, a C library crash)
    segments = []
    for m in SENTENCE.finditer(doc.text):
        if not m.group().strip():
            continue
        label = "heading" if m.group().startswith(("一、", "二、")) else ("metric" if MONEY.search(m.group()) else "other")
        span = doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand")
        if span is None:
            continue
        span._.scores = {label: 0.9, "other" if label != "other" else "problem": 0.1}
        span._.section = ("一、总体情况",) if label != "heading" else ()
        segments.append(span)
    doc.spans["segments"] = segments
    ents = []
    for pattern, label, scale in ((MONEY, "MONEY", 10_000.0), (PERCENT, "PERCENT", 0.01)):
        for m in pattern.finditer(doc.text):
            ent = doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand")
            if ent is None:
                continue
            ent._.value = round(float(m.group(1)) * scale, 6)
            ent._.unit = "万元" if label == "MONEY" else "%"
            ent._.currency = "CNY" if label == "MONEY" else None
            ent._.approx = False
            ent._.matched_by = "rule"
            ents.append(ent)
    doc.ents = sorted(ents, key=lambda s: s.start)
    doc._.report = {"org": "测试局", "year": 2023, "report_type": "work_summary"}
    return doc


def make_fake_nlp(config=None, *, overrides=None):
    nlp = spacy.blank("zh")  # one token a character: every regex match is a valid span
    nlp.add_pipe("jixiao_fake_annotate")
    nlp.meta["version"] = str((overrides or {}).get("fake.version", "fake-1"))
    return nlp


def report_text(n: int) -> str:
    """A short report whose content depends on n."""
    return (
        f"一、总体情况\n第{n}号单位全年预算{100 + n}.5万元，执行率为{90 + n % 10}%。"
        f"完成培训{n}场，服务群众{n * 7}人次。\n二、存在问题\n部分项目进度偏慢。\n"
    )

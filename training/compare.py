"""Compare segment-classifier approaches on the corpus dev/test splits and the development sets.

`python -m training.compare [--gold FILE ...]` prints a markdown table (macro-F1, per-label
F1, segments/s) with gold segmentation, so that only the labelling is compared:

- `linear`: logistic regression over character n-grams, jieba words, section-heading
  words and context cues (approach a),
- `spacy_textcat`: spaCy's `textcat` (bag-of-words architecture) on the segment text
  alone (approach b),
- `stacked_linear`: `linear`, then a second model over the out-of-fold probabilities
  of each segment's neighbours and its section (approach c, sequence-aware).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

from pipeline import load_config
from pipeline.scoring import score

from . import segments as seg
from .corpus import load_splits

LABELS = ("achievement", "problem", "remedy", "metric", "other")


class SpacyTextcat:
    """spaCy textcat (bow, exclusive classes) behind the same two methods as ours."""

    def __init__(self, epochs: int = 8, seed: int = 0):
        self.epochs = epochs
        self.seed = seed

    def fit(self, records: list[dict[str, Any]]) -> "SpacyTextcat":
        import spacy
        from spacy.training import Example
        from spacy.util import fix_random_seed, minibatch

        fix_random_seed(self.seed)
        self.nlp = spacy.blank("zh")  # one token per character: no segmenter decides for it
        textcat = self.nlp.add_pipe("textcat", config={"model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2, "no_output_layer": False}})
        for label in LABELS:
            textcat.add_label(label)
        examples = []
        for record in records:
            for s in record["segments"]:
                if s["label"] != "heading":
                    doc = self.nlp.make_doc(record["text"][s["start"] : s["end"]])
                    examples.append(Example.from_dict(doc, {"cats": {lab: float(lab == s["label"]) for lab in LABELS}}))
        optimizer = self.nlp.initialize(lambda: examples)
        rng = random.Random(self.seed)
        for _ in range(self.epochs):
            rng.shuffle(examples)
            for batch in minibatch(examples, size=32):
                self.nlp.update(batch, sgd=optimizer)
        return self

    def relabel(self, record: dict[str, Any]) -> dict[str, Any]:
        texts = [record["text"][s["start"] : s["end"]] for s in record["segments"]]
        segs = []
        for s, doc in zip(record["segments"], self.nlp.pipe(texts)):
            label = s["label"] if s["label"] == "heading" else max(doc.cats, key=doc.cats.get)
            segs.append({**s, "label": label})
        return {**record, "segments": segs}


def evaluate(relabel, records: list[dict[str, Any]]) -> dict[str, Any]:
    t0 = time.perf_counter()
    preds = [relabel(r) for r in records]
    seconds = time.perf_counter() - t0
    report = score(records, preds)
    n = sum(1 for r in records for s in r["segments"] if s["label"] != "heading")
    return {
        "macro_f1": report["segments"]["macro_f1"],
        "f1": {k: v["f1"] for k, v in report["segments"]["labels"].items()},
        "segments_per_s": n / seconds if seconds else 0.0,
    }


def run(gold_files: list[Path], config: Path | None = None) -> list[dict[str, Any]]:
    cfg = load_config(config)
    splits = load_splits(Path(cfg["jixiao_corpus"]["build"]))
    settings = cfg["jixiao_train"]
    sets = {"corpus dev": splits["dev"], "corpus test": splits["test"]}
    for path in gold_files:
        sets[path.name] = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    rows = []
    common = dict(char_ngram_min=settings["char_ngram_min"], char_ngram_max=settings["char_ngram_max"], C=settings["regularisation_c"], random_state=settings["seed"])
    contenders = {
        "linear": lambda: (lambda m: lambda r: seg.relabel(m, r))(seg.train(splits["train"], approach="linear", **common)),
        "spacy_textcat": lambda: SpacyTextcat(seed=settings["seed"]).fit(splits["train"]).relabel,
        "stacked_linear": lambda: (lambda m: lambda r: seg.relabel(m, r))(seg.train(splits["train"], approach="stacked_linear", **common)),
    }
    for name, make in contenders.items():
        t0 = time.perf_counter()
        relabel = make()
        train_seconds = time.perf_counter() - t0
        for set_name, records in sets.items():
            rows.append({"approach": name, "set": set_name, "train_s": train_seconds, **evaluate(relabel, records)})
    return rows


def format_rows(rows: list[dict[str, Any]]) -> str:
    head = "| approach | evaluated on | macro-F1 | " + " | ".join(LABELS) + " | segments/s | train s |"
    lines = [head, "|" + "---|" * (len(LABELS) + 5)]
    for r in rows:
        cells = " | ".join(f"{r['f1'][lab]:.3f}" for lab in LABELS)
        lines.append(f"| {r['approach']} | {r['set']} | {r['macro_f1']:.3f} | {cells} | {r['segments_per_s']:,.0f} | {r['train_s']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, nargs="*", default=[], help="extra gold JSONL files to evaluate on")
    parser.add_argument("--config", type=Path, default=None)
    args = parser.parse_args()
    print(format_rows(run(args.gold, args.config)))


if __name__ == "__main__":
    main()

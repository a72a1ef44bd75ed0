"""The model-only AWARD/EVENT contender (spaCy `ner`) and its comparison with the others.

`python -m training.ner --gold FILE ...` trains on the corpus train split and prints a
markdown table of AWARD and EVENT precision/recall/F1 (ANNOTATION.md §4, exact spans) for

- `rules`: `pipeline.text.names.best_guess`, no training,
- `model (spaCy ner)`: a transition-based `ner` over a character CNN, trained from scratch
  here with no pretrained vectors,
- `hybrid (candidates + chooser)`: the rule candidates ranked by the linear chooser
  (`training.names`),
- `union (hybrid + model)`: the hybrid's names plus the model's where they overlap none.

evaluated on the corpus dev split and on each `--gold` file. The gold files are measured
only: nothing here trains or tunes on them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from pipeline import load_config
from pipeline.errors import CorpusError
from pipeline.scoring import score

from . import names as names_training
from .corpus import build, load_splits, split_of
from .markup import MarkupError, parse_file

NAME_LABELS = names_training.NAME_LABELS
Record = dict[str, Any]
Entity = dict[str, Any]
Predict = Callable[[Record], list[Entity]]

# A chunk ends after a sentence terminator outside quotes and book titles. Names never
# cross a sentence (entities lie inside segments), and short docs make the batches even.
TERMINATORS = set("。！？；!?;")
CLOSERS = set("”’」』）)")
PAIRS = {"《": "》", "“": "”", "「": "」", "『": "』"}
# Runs of headings and wrapped lines have no terminator: cut them at a line break once
# they grow past SOFT_MAX, and anywhere past HARD_MAX (unbalanced quotes in PDF text).
SOFT_MAX = 200
HARD_MAX = 600

# tok2vec: hashed NORM/PREFIX/SUFFIX/SHAPE embeddings of each character, then a CNN.
# window_size 1 over depth 4 sees four characters either side of each one, which covers
# the cue words (荣获, 举办) and heads (…奖, …大会) that mark a name's edges; the parser's
# own state features carry the rest of a long name. window_size 2 (eight either side)
# measured no better on the corpus dev split (within the spread of seeds) for 40% more time.
TOK2VEC: dict[str, Any] = {
    "@architectures": "spacy.HashEmbedCNN.v2",
    "pretrained_vectors": None,
    "width": 96,
    "depth": 4,
    "embed_size": 2000,
    "window_size": 1,
    "maxout_pieces": 3,
    "subword_features": True,  # NORM, PREFIX, SUFFIX, SHAPE (SHAPE tells digits from 汉字)
}
EPOCHS = 12
BATCH_SIZE = 32
DROPOUT = 0.2
# Chunks with no name are ~85% of the corpus characters and teach only "O". Each epoch
# takes every chunk with a name and a fresh random share of the others: a third of the
# cost per epoch, and over the epochs every name-less chunk is still seen.
NEGATIVE_SHARE = 0.2


# --------------------------------------------------------------------------- chunks


def _inside(pos: int, spans: Iterable[tuple[int, int]]) -> bool:
    """True when a cut at `pos` would split one of `spans`."""
    return any(s < pos < e for s, e in spans)


def chunk_spans(text: str, keep_together: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Sentence-sized (start, end) pieces of `text`, whitespace trimmed, never cutting
    inside `keep_together` (gold names while training)."""
    keep = list(keep_together)
    cuts: list[int] = []
    depth: list[str] = []
    last = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if depth and ch == depth[-1]:
            depth.pop()
        elif ch in PAIRS:
            depth.append(PAIRS[ch])
        cut = None
        if ch in TERMINATORS and not depth:
            cut = i + 1
            while cut < n and text[cut] in CLOSERS:
                cut += 1
        elif ch == "\n" and i - last > SOFT_MAX:
            cut = i + 1
        elif i - last >= HARD_MAX:
            cut = i
        if cut is not None and not _inside(cut, keep):
            cuts.append(cut)
            last = cut
            depth = []
            i = cut
            continue
        i += 1
    bounds = [0, *cuts, n]
    out = []
    for s, e in zip(bounds, bounds[1:]):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def name_entities(record: Record) -> list[Entity]:
    return [e for e in record.get("entities", []) if e["label"] in NAME_LABELS]


# --------------------------------------------------------------------------- model


def make_nlp(tok2vec: dict[str, Any] | None = None) -> Language:
    # blank("zh") tokenizes one character a token, so every gold span is token-aligned.
    nlp = spacy.blank("zh")
    ner = nlp.add_pipe(
        "ner",
        config={
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "extra_state_tokens": False,
                "hidden_width": 64,
                "maxout_pieces": 2,
                "use_upper": True,
                "nO": None,
                "tok2vec": dict(tok2vec or TOK2VEC),
            }
        },
    )
    for label in NAME_LABELS:
        ner.add_label(label)
    return nlp


def examples_for(nlp: Language, records: list[Record]) -> list[Example]:
    """One Example a chunk. Raises when any gold name cannot be placed on tokens, so a
    change of tokenizer can never silently drop training data."""
    examples, lost = [], []
    for record in records:
        text, gold = record["text"], name_entities(record)
        gold = sorted(gold, key=lambda e: (e["start"], e["end"]))
        for s, e in chunk_spans(text, [(g["start"], g["end"]) for g in gold]):
            doc = nlp.make_doc(text[s:e])
            spans = []
            for g in gold:
                if s <= g["start"] and g["end"] <= e:
                    span = doc.char_span(g["start"] - s, g["end"] - s, label=g["label"])
                    if span is None:
                        lost.append(f"{record['id']}:{g['start']}-{g['end']} {text[g['start']:g['end']]!r}")
                    else:
                        spans.append(span)
            doc.ents = spans  # raises on overlapping gold, which the corpus validator forbids
            examples.append(Example(nlp.make_doc(doc.text), doc))
    if lost:
        raise ValueError(f"{len(lost)} gold AWARD/EVENT spans do not align with tokens: {lost[:5]}")
    return examples


def train_ner(
    records: list[Record],
    *,
    epochs: int = EPOCHS,
    seed: int = 0,
    negative_share: float = NEGATIVE_SHARE,
    batch_size: int = BATCH_SIZE,
    dropout: float = DROPOUT,
    tok2vec: dict[str, Any] | None = None,
    log: Callable[[str], None] | None = None,
) -> Language:
    """A blank Chinese pipeline with one `ner` (AWARD, EVENT) trained from scratch."""
    fix_random_seed(seed)
    nlp = make_nlp(tok2vec)
    examples = examples_for(nlp, records)
    optimizer = nlp.initialize(lambda: examples)
    positive = [ex for ex in examples if ex.reference.ents]
    negative = [ex for ex in examples if not ex.reference.ents]
    rng = random.Random(seed)
    for epoch in range(epochs):
        epoch_examples = positive + [ex for ex in negative if rng.random() < negative_share]
        rng.shuffle(epoch_examples)
        losses: dict[str, float] = {}
        for batch in minibatch(epoch_examples, size=batch_size):
            nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
        if log:
            log(f"epoch {epoch + 1}/{epochs}: ner loss {losses.get('ner', 0.0):.1f}")
    return nlp


def predict_ner(nlp: Language, record: Record) -> list[Entity]:
    """AWARD/EVENT spans in `record["text"]`, offsets into the whole text."""
    text = record["text"]
    chunks = chunk_spans(text)
    out = []
    for (s, _), doc in zip(chunks, nlp.pipe(text[a:b] for a, b in chunks)):
        out.extend({"start": s + ent.start_char, "end": s + ent.end_char, "label": ent.label_} for ent in doc.ents)
    return out


def union(first: list[Entity], second: list[Entity]) -> list[Entity]:
    """All of `first`, plus those of `second` that overlap none of them."""
    kept = list(first)
    for e in second:
        if all(e["end"] <= k["start"] or e["start"] >= k["end"] for k in first):
            kept.append(e)
    return sorted(kept, key=lambda e: (e["start"], e["end"]))


# --------------------------------------------------------------------------- data


def corpus_splits(config: Path | None = None) -> dict[str, list[Record]]:
    """The corpus splits: the built `corpus/*.jsonl` when present, else built the same way
    into a temporary directory (so artefacts and splits match `jixiao corpus build`), else,
    when the build refuses a source, the parsed markup split by document id."""
    cfg = load_config(config)
    c = cfg["jixiao_corpus"]
    built = Path(c["build"])
    if all((built / f"{s}.jsonl").exists() for s in ("train", "dev", "test")):
        return load_splits(built)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            build(Path(c["src"]), Path(tmp), artefact_share=c["artefact_share"], dev_share=c["dev_share"], test_share=c["test_share"])
            return load_splits(Path(tmp))
    except CorpusError as err:  # a source another writer is still editing
        print(f"corpus build failed ({err}); using the markup without artefacts", file=sys.stderr)
    splits: dict[str, list[Record]] = {"train": [], "dev": [], "test": []}
    for path in sorted(Path(c["src"]).glob("*.jx")):
        try:
            doc = parse_file(path)
        except MarkupError as err:
            print(f"skipped {err}", file=sys.stderr)
            continue
        record = {"id": doc.meta["id"], "text": doc.text, "segments": doc.segments, "entities": doc.entities}
        splits[split_of(record["id"], c["dev_share"], c["test_share"])].append(record)
    return splits


def read_gold(path: Path) -> list[Record]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# --------------------------------------------------------------------------- compare


def evaluate(predict: Predict, records: list[Record]) -> dict[str, dict[str, float]]:
    """AWARD/EVENT P/R/F1 by `pipeline.scoring.score`, gold filtered to the name labels."""
    gold = [{**r, "entities": name_entities(r)} for r in records]
    preds = [{"id": r["id"], "segments": r["segments"], "entities": predict(r)} for r in records]
    labels = score(gold, preds)["entities"]["labels"]
    return {label: labels[label] for label in NAME_LABELS}


def contenders(
    train_records: list[Record],
    *,
    seed: int = 0,
    epochs: int = EPOCHS,
    threshold: float = 0.5,
    log: Callable[[str], None] | None = None,
) -> tuple[list[tuple[str, Predict, float]], Language]:
    """(name, predict, train seconds) for each contender, and the trained spaCy pipeline."""
    t0 = time.perf_counter()
    chooser = names_training.train(train_records, random_state=seed)
    hybrid_s = time.perf_counter() - t0
    t0, cpu0 = time.perf_counter(), time.process_time()
    nlp = train_ner(train_records, epochs=epochs, seed=seed, log=log)
    model_s, model_cpu = time.perf_counter() - t0, time.process_time() - cpu0
    if log:  # CPU time too: on a shared machine the wall clock also counts other people's jobs
        log(f"trained on {len(train_records)} documents: chooser {hybrid_s:.1f}s, spaCy ner {model_s:.1f}s ({model_cpu:.1f}s CPU)")

    def hybrid(r: Record) -> list[Entity]:
        return names_training.predict_names(r, model=chooser, threshold=threshold)

    def model(r: Record) -> list[Entity]:
        return predict_ner(nlp, r)

    return [
        ("rules", lambda r: names_training.predict_names(r, model=None), 0.0),
        ("model (spaCy ner)", model, model_s),
        ("hybrid (candidates + chooser)", hybrid, hybrid_s),
        ("union (hybrid + model)", lambda r: union(hybrid(r), model(r)), hybrid_s + model_s),
    ], nlp


def score_rows(entries: list[tuple[str, Predict, float]], eval_sets: dict[str, list[Record]]) -> list[dict[str, Any]]:
    return [
        {"contender": name, "set": set_name, "train_s": train_s, "scores": evaluate(predict, records)}
        for name, predict, train_s in entries
        for set_name, records in eval_sets.items()
    ]


def compare(train_records: list[Record], eval_sets: dict[str, list[Record]], **settings: Any) -> list[dict[str, Any]]:
    """One row per contender and evaluation set; `settings` go to `contenders`."""
    entries, _ = contenders(train_records, **settings)
    return score_rows(entries, eval_sets)


def format_rows(rows: list[dict[str, Any]]) -> str:
    head = "| contender | evaluated on | " + " | ".join(f"{lab} P | {lab} R | {lab} F1" for lab in NAME_LABELS) + " | train s |"
    lines = [head, "|" + "---|" * (3 * len(NAME_LABELS) + 3)]
    for r in rows:
        cells = " | ".join(f"{r['scores'][lab][k]:.3f}" for lab in NAME_LABELS for k in ("precision", "recall", "f1"))
        lines.append(f"| {r['contender']} | {r['set']} | {cells} | {r['train_s']:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, nargs="*", default=[], help="gold JSONL files to measure on (never trained on)")
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--seed", type=int, default=None, help="default: [jixiao_train] seed")
    parser.add_argument("--save", type=Path, default=None, help="write the trained spaCy pipeline here")
    args = parser.parse_args()
    cfg = load_config(args.config)
    seed = int(cfg["jixiao_train"]["seed"]) if args.seed is None else args.seed
    splits = corpus_splits(args.config)
    sets = {"corpus dev": splits["dev"], **{p.name: read_gold(p) for p in args.gold}}
    def log(msg: str) -> None:
        print(msg, file=sys.stderr)

    entries, nlp = contenders(splits["train"], seed=seed, epochs=args.epochs, threshold=float(cfg["jixiao_train"]["names_threshold"]), log=log)
    if args.save:
        nlp.to_disk(args.save)
    print(format_rows(score_rows(entries, sets)))


if __name__ == "__main__":
    main()

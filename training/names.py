"""Training and measuring the AWARD/EVENT chooser from corpus records."""

from __future__ import annotations

from typing import Any

from pipeline.learn.names import NONE, NameCandidateClassifier, TextIndex, candidate_features, extract
from pipeline.scoring import trim
from pipeline.text.names import best_guess, candidates

NAME_LABELS = ("AWARD", "EVENT")


def dataset(records: list[dict[str, Any]]) -> tuple[list[dict[str, float]], list[str]]:
    X, y = [], []
    for record in records:
        text = record["text"]
        # matched as the scorer matches (quote marks trimmed): a candidate that starts
        # inside the opening quote of a gold “…”主题展 is that name, not a negative
        gold = {trim(text, e["start"], e["end"]): e["label"] for e in record["entities"] if e["label"] in NAME_LABELS}
        index = TextIndex(text)
        for c in candidates(text, all_starts=True):
            X.append(candidate_features(text, c, index))
            y.append(c.label if gold.get(trim(text, c.start, c.end)) == c.label else NONE)
    return X, y


def train(records: list[dict[str, Any]], **settings: Any) -> NameCandidateClassifier:
    X, y = dataset(records)
    return NameCandidateClassifier(**settings).fit(X, y)


def predict_names(record: dict[str, Any], *, model=None, threshold: float = 0.5) -> list[dict[str, Any]]:
    """Name entities for a record's text: by the chooser, or by rules alone when model is None."""
    text = record["text"]
    if model is None:
        found = [(c.start, c.end, c.label) for c in best_guess(text)]
    else:
        found = [(c.start, c.end, c.label) for c, _ in extract(text, model, threshold)]
    return [{"start": s, "end": e, "label": label} for s, e, label in found]

"""The corpus: builds deterministically, validates, holds no reference text, round-trips."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from training.corpus import (
    Insertion,
    add_artefacts,
    apply_insertions,
    build,
    near_duplicates,
    read_jsonl,
    split_of,
    validate_record,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
LEAK_WINDOW = 40


def corpus_records() -> list[dict]:
    return [r for split in ("train", "dev", "test") for r in read_jsonl(CORPUS / f"{split}.jsonl")]


def test_committed_corpus_is_valid() -> None:
    problems = [p for r in corpus_records() for p in validate_record(r)]
    assert problems == []


def test_committed_corpus_is_what_the_sources_build(tmp_path: Path) -> None:
    counts = build(CORPUS / "src", tmp_path, artefact_share=0.4, dev_share=0.1, test_share=0.1)
    assert sum(counts.values()) == len(list((CORPUS / "src").glob("*.jx")))
    for split in ("train", "dev", "test"):
        assert (tmp_path / f"{split}.jsonl").read_bytes() == (CORPUS / f"{split}.jsonl").read_bytes(), f"{split}.jsonl is stale: run `jixiao corpus build`"


def test_corpus_shares_no_long_run_with_the_reference_reports() -> None:
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent: the leak check needs the reference reports beside the project")
    refs = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    for path in (SHARED / "dev" / "seeds.gold.jsonl", SHARED / "realtext" / "gwr.gold.jsonl"):
        refs.extend(json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    grams = set()
    for text in refs:
        compact = "".join(text.split())
        grams.update(compact[i : i + LEAK_WINDOW] for i in range(len(compact) - LEAK_WINDOW + 1))
    leaks = []
    for record in corpus_records():
        compact = "".join(record["text"].split())
        for i in range(len(compact) - LEAK_WINDOW + 1):
            if compact[i : i + LEAK_WINDOW] in grams:
                leaks.append((record["id"], compact[i : i + LEAK_WINDOW]))
                break
    assert leaks == []


def test_near_duplicates_stay_under_five_percent() -> None:
    flagged, compared, _ = near_duplicates(corpus_records())
    assert compared > 5000
    assert flagged / compared < 0.05


def test_near_duplicate_detector_flags_a_copy() -> None:
    text = "全年共组织开展送文化下乡演出活动四十二场次。另外一个完全不同的句子在这里。"
    records = [
        {"text": text, "segments": [{"start": 0, "end": 22, "label": "achievement"}, {"start": 22, "end": len(text), "label": "other"}]},
        {"text": text[:22], "segments": [{"start": 0, "end": 22, "label": "achievement"}]},
    ]
    flagged, compared, _ = near_duplicates(records)
    assert (flagged, compared) == (2, 3)


def test_splits_are_by_document_and_stable() -> None:
    assert split_of("w0-01", 0.1, 0.1) == split_of("w0-01", 0.1, 0.1)
    ids = {split: {r["id"] for r in read_jsonl(CORPUS / f"{split}.jsonl")} for split in ("train", "dev", "test")}
    assert not (ids["train"] & ids["dev"] or ids["train"] & ids["test"] or ids["dev"] & ids["test"])


@pytest.mark.parametrize(
    "insertions, expected_text, expected_segments",
    [
        ([Insertion(3, "\n")], "一二三\n四五六", [(0, 3), (4, 7)]),  # a wrap at a boundary stays outside
        ([Insertion(1, "\n")], "一\n二三四五六", [(0, 4), (4, 7)]),  # a wrap inside a segment is inside it
        ([Insertion(3, "[b]", inside=True)], "一二三[b]四五六", [(0, 3), (3, 9)]),
        ([Insertion(0, "　　")], "　　一二三四五六", [(2, 5), (5, 8)]),
    ],
)
def test_apply_insertions_moves_offsets(insertions, expected_text, expected_segments) -> None:
    record = {"text": "一二三四五六", "segments": [{"start": 0, "end": 3, "label": "other"}, {"start": 3, "end": 6, "label": "other"}], "entities": []}
    out = apply_insertions(record, insertions)
    assert out["text"] == expected_text
    assert [(s["start"], s["end"]) for s in out["segments"]] == expected_segments


def test_furniture_insertion_is_recorded() -> None:
    record = {"text": "一二三四", "segments": [{"start": 0, "end": 4, "label": "other"}], "entities": []}
    out = apply_insertions(record, [Insertion(2, "\n\n"), Insertion(2, "- 3 -", furniture=True), Insertion(2, "\n\n")])
    s, e = out["furniture"][0]
    assert out["text"][s:e] == "- 3 -"
    assert validate_record(out) == []


@pytest.mark.parametrize("seed", range(12))
def test_artefacts_keep_every_span_and_value(tiny_records, seed: int) -> None:
    for record in tiny_records:
        out, applied = add_artefacts(record, random.Random(seed))
        assert applied
        for ent_in, ent_out in zip(record["entities"], out["entities"]):
            assert "".join(out["text"][ent_out["start"] : ent_out["end"]].split()).translate(str.maketrans("０１２３４５６７８９", "0123456789")) == "".join(ent_in["text"].split())
        for seg in out["segments"]:
            seg["text"] = out["text"][seg["start"] : seg["end"]]
        for ent in out["entities"]:
            ent["text"] = out["text"][ent["start"] : ent["end"]]
        assert validate_record(out) == []


def test_validate_reports_each_problem() -> None:
    bad = {
        "text": "一句话。另一句。",
        "segments": [{"start": 0, "end": 4, "label": "achievment"}],
        "entities": [{"start": 0, "end": 2, "label": "MONEY"}, {"start": 5, "end": 7, "label": "EVENT"}],
    }
    problems = " | ".join(validate_record(bad))
    assert "unknown label 'achievment'" in problems
    assert "in no segment" in problems
    assert "has no value" in problems
    assert "not inside one segment" in problems

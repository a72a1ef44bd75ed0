"""Scoring (ANNOTATION.md §4) against small cases computed by hand."""

from __future__ import annotations

import pytest

from pipeline.scoring import char_labels, prf, score, trim

TEXT = "一、概况\n全年完成。存在不足。"
#        0123 4 56789 0123 4  (offsets: heading 0-4, newline 4, s1 5-10, s2 10-15)
GOLD = {
    "id": "d",
    "text": TEXT,
    "segments": [
        {"start": 0, "end": 4, "label": "heading"},
        {"start": 5, "end": 10, "label": "achievement"},
        {"start": 10, "end": 15, "label": "problem"},
    ],
    "entities": [
        {"start": 5, "end": 7, "label": "QUANTITY", "value": 2},
        {"start": 10, "end": 12, "label": "EVENT"},
    ],
}


def test_perfect_prediction_scores_one() -> None:
    report = score([GOLD], [GOLD])
    assert report["segments"]["macro_f1"] == pytest.approx(
        sum(1.0 if lab in ("heading", "achievement", "problem") else 0.0 for lab in report["segments"]["labels"]) / 6
    )
    assert report["boundaries"]["f1"] == 1.0
    assert report["entities"]["micro"]["f1"] == 1.0
    assert report["values"]["accuracy"] == 1.0


def test_hand_computed_case() -> None:
    pred = {
        "id": "d",
        "segments": [
            {"start": 0, "end": 4, "label": "heading"},
            # one segment over both sentences, labelled achievement: 5 problem chars wrong
            {"start": 5, "end": 15, "label": "achievement"},
        ],
        "entities": [
            {"start": 5, "end": 7, "label": "QUANTITY", "value": 3},  # span right, value wrong
            {"start": 10, "end": 13, "label": "EVENT"},  # span too long
        ],
    }
    report = score([GOLD], [pred])
    ach = report["segments"]["labels"]["achievement"]
    # achievement: tp 5, fp 5 (the problem chars), fn 0 → P 0.5, R 1, F1 2/3
    assert ach["precision"] == pytest.approx(0.5)
    assert ach["recall"] == pytest.approx(1.0)
    assert ach["f1"] == pytest.approx(2 / 3)
    assert report["segments"]["labels"]["problem"]["f1"] == 0.0
    # boundaries: gold ends {4, 10, 15}, predicted {4, 15} → P 1, R 2/3
    assert report["boundaries"]["precision"] == 1.0
    assert report["boundaries"]["recall"] == pytest.approx(2 / 3)
    # entities: QUANTITY matched, EVENT missed and a false one → micro P 1/2, R 1/2
    assert report["entities"]["micro"]["f1"] == pytest.approx(0.5)
    assert report["values"] == {"matched_numeric": 1, "accuracy": 0.0, "approx_accuracy": 1.0}
    assert report["segments"]["confusion"]["problem->achievement"] == 5


def test_missing_prediction_counts_as_nothing_predicted() -> None:
    report = score([GOLD], [])
    assert report["missing_predictions"] == ["d"]
    assert report["segments"]["labels"]["heading"]["recall"] == 0.0


@pytest.mark.parametrize(
    "text, span, expected",
    [("“活动”", (0, 4), (1, 3)), (" 《书》 ", (0, 5), (2, 3)), ("abc", (0, 3), (0, 3)), ("“”", (0, 2), (2, 2))],
)
def test_trim(text: str, span: tuple[int, int], expected: tuple[int, int]) -> None:
    assert trim(text, *span) == expected


def test_prf_handles_zero() -> None:
    assert prf(0, 0, 0)["f1"] == 0.0


def test_char_labels_none_outside_segments() -> None:
    assert char_labels("ab c", [{"start": 0, "end": 2, "label": "other"}]) == ["other", "other", "none", "none"]

"""Training data for the AWARD/EVENT chooser: candidates labelled as the scorer matches."""

from __future__ import annotations

import pytest

from training.names import NONE, dataset


def record(text: str, name: str, label: str) -> dict:
    start = text.index(name)
    return {"id": "r", "text": text, "segments": [], "entities": [{"start": start, "end": start + len(name), "label": label}]}


@pytest.mark.parametrize(
    "text, gold, label, positive",
    [
        # gold written with the opening quote; the candidate starts inside it
        ("一是举办“光影中的幸福家园”主题摄影展。", "“光影中的幸福家园”主题摄影展", "EVENT", "光影中的幸福家园”主题摄影展"),
        # gold without quotes, the candidate the quoted span
        ("舞蹈《春芽》获“小荷之星”荣誉称号。", "小荷之星", "AWARD", "小荷之星"),
        ("小说集获第三届江南文学奖。", "第三届江南文学奖", "AWARD", "第三届江南文学奖"),
    ],
)
def test_gold_names_become_positive_candidates(text: str, gold: str, label: str, positive: str) -> None:
    X, y = dataset([record(text, gold, label)])
    assert label in y, "the gold name gave no positive candidate"
    assert y.count(label) <= 2  # the quoted and unquoted forms of one span at most
    assert NONE in y


def test_a_record_without_names_gives_only_negatives() -> None:
    X, y = dataset([{"id": "r", "text": "全年举办第五届乡村文化艺术节。", "segments": [], "entities": []}])
    assert y and set(y) == {NONE}

"""The spaCy AWARD/EVENT model: chunks keep names whole, training overfits a tiny set,
and a saved model reloads with the same predictions."""

from __future__ import annotations

from pathlib import Path

import spacy

from training.ner import chunk_spans, examples_for, make_nlp, predict_ner, train_ner, union


def record(doc_id: str, parts: list[tuple[str, str | None]]) -> dict:
    """A record from (text, label-or-None) pieces, so offsets are never typed by hand."""
    text, entities = "", []
    for piece, label in parts:
        if label:
            entities.append({"start": len(text), "end": len(text) + len(piece), "label": label})
        text += piece
    return {"id": doc_id, "text": text, "segments": [{"start": 0, "end": len(text), "label": "achievement"}], "entities": entities}


# Written for this test: one award and one event a document, a name-free sentence between.
DOCS = [
    record("t-1", [("本年度成功举办", None), ("第六届青山湖合唱艺术节", "EVENT"), ("，吸引群众广泛参与。", None),
                   ("全年完成预算支出，资金管理规范。", None),
                   ("单位荣获", None), ("2022年度全县档案工作先进集体", "AWARD"), ("称号。", None)]),
    record("t-2", [("组织干部参加", None), ("全市基层文艺骨干培训班", "EVENT"), ("，提升业务能力。", None),
                   ("年内群众满意度保持较高水平。", None),
                   ("选送的剪纸作品获得", None), ("第九届江南民间艺术节金奖", "AWARD"), ("。", None)]),
    record("t-3", [("县图书馆召开", None), ("2023年全民阅读工作推进会", "EVENT"), ("。", None),
                   ("馆员张某被评为", None), ("全省优秀图书馆员", "AWARD"), ("，受到表彰。", None)]),
]


def as_set(entities: list[dict]) -> set[tuple[int, int, str]]:
    return {(e["start"], e["end"], e["label"]) for e in entities}


def test_chunks_cut_after_sentences_but_never_inside_a_kept_span() -> None:
    text = "举办“春风。十里”音乐会。完成任务。"
    assert [text[s:e] for s, e in chunk_spans(text)] == ["举办“春风。十里”音乐会。", "完成任务。"]
    assert chunk_spans("甲。乙。", keep_together=[(0, 4)]) == [(0, 4)]


def test_every_gold_name_becomes_a_training_span() -> None:
    nlp = make_nlp()
    examples = examples_for(nlp, DOCS)
    found = sum(len(ex.reference.ents) for ex in examples)
    assert found == sum(len(d["entities"]) for d in DOCS)


def test_union_keeps_the_first_and_adds_only_what_does_not_overlap() -> None:
    first = [{"start": 0, "end": 5, "label": "EVENT"}]
    second = [{"start": 3, "end": 8, "label": "AWARD"}, {"start": 9, "end": 12, "label": "AWARD"}]
    assert as_set(union(first, second)) == {(0, 5, "EVENT"), (9, 12, "AWARD")}


def test_overfit_save_reload_same_predictions(tmp_path: Path) -> None:
    # one example a step and no dropout: memorising is the point here, not generalising
    nlp = train_ner(DOCS, epochs=50, seed=0, negative_share=1.0, batch_size=1, dropout=0.0)
    before = [predict_ner(nlp, d) for d in DOCS]
    # memorising three documents is the least a working training loop must do
    for doc, pred in zip(DOCS, before):
        assert as_set(pred) == as_set(doc["entities"]), doc["id"]
    nlp.to_disk(tmp_path / "ner")
    reloaded = spacy.load(tmp_path / "ner")
    assert [predict_ner(reloaded, d) for d in DOCS] == before

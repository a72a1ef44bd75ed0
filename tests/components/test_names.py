"""jixiao_names: rules or rule candidates + trained chooser; never overwrites numbers."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

import pipeline.components.names  # noqa: F401  (registers the factory)
from pipeline.errors import ModelError
from pipeline.learn.persist import save_model
from training.names import train

TEXT = "今年举办第五届乡村文化艺术节，馆办合唱团荣获第三届全省群众合唱大赛金奖。"


@pytest.fixture
def chooser_dir(tmp_path, tiny_records):
    model = train(tiny_records, C=50.0)
    save_model(model, tmp_path / "names", {"labels": ["AWARD", "EVENT"], "threshold": 0.5})
    return tmp_path / "names"


def test_rules_mode_finds_awards_and_events() -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("jixiao_names", config={"mode": "rules", "model": "unused"})
    doc = nlp(TEXT)
    found = {(e.label_, e.text) for e in doc.ents}
    # a prize at a named competition is the event and the prize (docs/decisions.md 7)
    assert {("EVENT", "第三届全省群众合唱大赛"), ("AWARD", "金奖"), ("EVENT", "第五届乡村文化艺术节")} <= found
    assert all(e._.matched_by == "rule" for e in doc.ents)


def test_hybrid_overfit_save_reload_same_entities(chooser_dir, tiny_records) -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("jixiao_names", config={"mode": "hybrid", "model": str(chooser_dir)})
    record = tiny_records[0]
    doc = nlp(record["text"])
    gold = {(e["label"], e["text"]) for e in record["entities"] if e["label"] in ("AWARD", "EVENT")}
    assert {(e.label_, e.text) for e in doc.ents} == gold
    reloaded = spacy.blank("zh")
    reloaded.add_pipe("jixiao_names", config={"mode": "hybrid", "model": str(chooser_dir)})
    assert [(e.start_char, e.end_char, e.label_) for e in reloaded(record["text"]).ents] == [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def test_existing_entities_win() -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("jixiao_names", config={"mode": "rules", "model": "unused"})
    doc = nlp.make_doc(TEXT)
    start = TEXT.index("第三届")
    doc.ents = [Span(doc, start, start + 3, label="QUANTITY")]
    doc = nlp.get_pipe("jixiao_names")(doc)
    assert (start, start + 3, "QUANTITY") in [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    assert not any(e.label_ == "AWARD" and e.start_char <= start < e.end_char for e in doc.ents)


def test_names_split_tokens_without_breaking_span_groups() -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("jixiao_names", config={"mode": "rules", "model": "unused"})
    doc = nlp.make_doc(TEXT)
    # one token for the whole text: every name edge falls inside it
    from spacy.tokens import Doc

    doc = Doc(nlp.vocab, words=[TEXT], spaces=[False])
    doc.spans["segments"] = [doc[0:1]]
    doc = nlp.get_pipe("jixiao_names")(doc)
    assert doc.spans["segments"][0].text == TEXT
    assert any(e.label_ == "AWARD" for e in doc.ents)


def test_bad_mode_fails_validation() -> None:
    nlp = spacy.blank("zh")
    with pytest.raises(Exception, match="mode"):
        nlp.add_pipe("jixiao_names", config={"mode": "guess", "model": "unused"})


def test_missing_model_is_a_clear_error(tmp_path) -> None:
    nlp = spacy.blank("zh")
    with pytest.raises(ModelError, match="jixiao train"):
        nlp.add_pipe("jixiao_names", config={"mode": "hybrid", "model": str(tmp_path / "none")})

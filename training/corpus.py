"""The annotated corpus: build from markup, add extraction artefacts, split, validate, describe.

`corpus/src/*.jx` (written by hand, see corpus/MARKUP.md) → `corpus/{train,dev,test}.jsonl`
(ANNOTATION.md records). Everything here is deterministic: artefacts and splits are
seeded by the document id, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from pipeline.errors import CorpusError
from pipeline.records import ENTITY_LABELS, NUMERIC_LABELS, SEGMENT_LABELS, read_jsonl
from pipeline.text.numbers import parse_numeric_entity

from .markup import MarkupError, parse_file

SPLITS = ("train", "dev", "test")
CONTEXT = 4  # characters either side given to the value parser for approx cues


def stable_unit(key: str, salt: str = "") -> float:
    """A number in [0, 1) fixed by `key`: the same document always lands in the same place."""
    digest = hashlib.sha256(f"{salt}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_of(doc_id: str, dev_share: float, test_share: float) -> str:
    u = stable_unit(doc_id, "split")
    if u < test_share:
        return "test"
    if u < test_share + dev_share:
        return "dev"
    return "train"


# --------------------------------------------------------------------------- values


def add_values(record: dict[str, Any]) -> None:
    text = record["text"]
    for ent in record["entities"]:
        ent["text"] = text[ent["start"] : ent["end"]]
        if ent["label"] in NUMERIC_LABELS:
            try:
                parsed = parse_numeric_entity(
                    ent["text"],
                    ent["label"],
                    before=text[max(0, ent["start"] - CONTEXT) : ent["start"]],
                    after=text[ent["end"] : ent["end"] + CONTEXT],
                )
            except Exception as err:
                raise CorpusError(record["id"], None, f"numeric entity {ent['text']!r} ({ent['label']}) does not parse: {err}", fix="write the number in a form the parser knows, or fix the span") from err
            ent["value"] = parsed.value
            ent["approx"] = bool(parsed.approx)
            if parsed.value_max is not None:
                ent["value_max"] = parsed.value_max
            if getattr(parsed, "currency", None) not in (None, "CNY"):
                ent["currency"] = parsed.currency


# --------------------------------------------------------------------------- artefacts


@dataclass(frozen=True)
class Insertion:
    at: int
    text: str
    inside: bool = False  # part of the span that starts at `at` (e.g. a Word bookmark)
    furniture: bool = False  # the inserted text (stripped) is page furniture


def apply_insertions(record: dict[str, Any], insertions: list[Insertion]) -> dict[str, Any]:
    """Insert strings into the text and move every offset accordingly."""
    if not insertions:
        return record
    insertions = sorted(insertions, key=lambda i: i.at)
    text = record["text"]
    pieces, last = [], 0
    new_furniture = [list(f) for f in record.get("furniture", [])]
    ats = [i.at for i in insertions]
    added_before = []  # cumulative length of insertions strictly before each insertion
    total = 0
    for ins in insertions:
        pieces.append(text[last : ins.at])
        added_before.append(total)
        if ins.furniture:
            stripped = ins.text.strip()
            lead = len(ins.text) - len(ins.text.lstrip())
            pos = ins.at + total + lead
            new_furniture.append([pos, pos + len(stripped)])
        pieces.append(ins.text)
        total += len(ins.text)
        last = ins.at
    pieces.append(text[last:])

    import bisect

    lengths = [len(i.text) for i in insertions]
    prefix = [0]
    for n in lengths:
        prefix.append(prefix[-1] + n)

    def shift_end(old: int) -> int:
        return old + prefix[bisect.bisect_left(ats, old)]

    def shift_start(old: int) -> int:
        k = bisect.bisect_left(ats, old)
        shift = prefix[k]
        j = k
        while j < len(insertions) and ats[j] == old:
            if not insertions[j].inside:
                shift += lengths[j]
            else:
                break
            j += 1
        return old + shift

    def shift_furniture(f: list[int]) -> list[int]:
        return [shift_start(f[0]), shift_end(f[1])]

    out = dict(record)
    out["text"] = "".join(pieces)
    out["segments"] = [{**s, "start": shift_start(s["start"]), "end": shift_end(s["end"])} for s in record["segments"]]
    out["entities"] = [{**e, "start": shift_start(e["start"]), "end": shift_end(e["end"])} for e in record["entities"]]
    old_furniture = [shift_furniture(f) for f in record.get("furniture", [])]
    out["furniture"] = sorted(old_furniture + new_furniture[len(record.get("furniture", [])) :])
    return out


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
HALF_PUNCT = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")"})
PAGE_NUMBER_STYLES = ("- {p} -", "第 {p} 页", "{p}", "— {p} —", "第{p}页 共{n}页")


def _inside_any(pos: int, spans: Iterable[dict[str, Any]]) -> bool:
    return any(s["start"] < pos < s["end"] for s in spans)


def add_artefacts(record: dict[str, Any], rng: random.Random) -> tuple[dict[str, Any], list[str]]:
    """Give a clean record the marks that PDF/Word extraction leaves, keeping every offset right."""
    done: list[str] = []
    # 1. Length-preserving character changes.
    text = record["text"]
    if rng.random() < 0.3:
        chars = list(text)
        for ent in record["entities"]:
            if ent["label"] in NUMERIC_LABELS and rng.random() < 0.5:
                for i in range(ent["start"], ent["end"]):
                    chars[i] = chars[i].translate(FULLWIDTH)
        text = "".join(chars)
        done.append("full-width digits")
    if rng.random() < 0.3:
        # half-width commas and colons outside entities, as in text pasted from web pages
        chars = list(text)
        for i, ch in enumerate(chars):
            if ch in "，：（）" and not _inside_any(i, record["entities"]):
                chars[i] = ch.translate(HALF_PUNCT)
        text = "".join(chars)
        done.append("half-width punctuation")
    record = {**record, "text": text}

    # 2. Insertions inside the text: spaces in numbers, indents, a Word bookmark.
    insertions: list[Insertion] = []
    if rng.random() < 0.5:
        for ent in record["entities"]:
            t = record["text"][ent["start"] : ent["end"]]
            m = re.search(r"[\d０-９](?=[^\d０-９.．,，%％])", t)
            if ent["label"] in NUMERIC_LABELS and m and rng.random() < 0.6:
                insertions.append(Insertion(ent["start"] + m.end(), " "))
        done.append("spaces inside numbers")
    paragraph_starts = [0] + [i + 1 for i, ch in enumerate(record["text"]) if ch == "\n"]
    if rng.random() < 0.4:
        insertions.extend(Insertion(p, "　　") for p in paragraph_starts if p < len(record["text"]))
        done.append("first-line indents")
    if rng.random() < 0.15 and len(paragraph_starts) > 3:
        insertions.append(Insertion(rng.choice(paragraph_starts[2:]), "[bookmark: _GoBack]", inside=True))
        done.append("Word bookmark")
    record = apply_insertions(record, insertions)

    # 3. Line wraps at a fixed width and page breaks with furniture.
    if rng.random() < 0.7:
        record = _wrap_and_paginate(record, rng)
        done.append("wrapped lines, page breaks, page numbers")
    else:
        record = _page_breaks_only(record, rng)
        done.append("page breaks between wrapped-free paragraphs")
    return record, done


def _visual(ch: str) -> float:
    return 0.5 if ord(ch) < 0x2E80 else 1.0


def _wrap_and_paginate(record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    text = record["text"]
    width = rng.choice((28, 30, 33, 35, 38, 40))
    lines_per_page = rng.randint(24, 36)
    style = rng.choice(PAGE_NUMBER_STYLES)
    header = text.split("\n", 1)[0].strip() if rng.random() < 0.3 else None
    n_pages_guess = max(1, len(text) // (width * lines_per_page) + 1)
    heading_spans = [s for s in record["segments"] if s["label"] == "heading"]
    insertions: list[Insertion] = []
    line_width = 0.0
    line_no = 0
    page = 1
    for i, ch in enumerate(text):
        if ch == "\n":
            line_width, line_no = 0.0, line_no + 1
        else:
            w = _visual(ch)
            if line_width + w > width and not _inside_any(i, record["entities"]) and not _inside_any(i, heading_spans):
                line_no += 1
                line_width = 0.0
                if line_no % lines_per_page == 0:
                    foot = style.format(p=page, n=n_pages_guess)
                    insertions.append(Insertion(i, "\n\n", inside=False))
                    insertions.append(Insertion(i, foot, furniture=True))
                    if header:
                        insertions.append(Insertion(i, "\n\n"))
                        insertions.append(Insertion(i, header, furniture=True))
                    insertions.append(Insertion(i, "\n\n"))
                    page += 1
                else:
                    insertions.append(Insertion(i, "\n"))
            line_width += w
    return apply_insertions(record, insertions)  # same-offset insertions keep their order


def _page_breaks_only(record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Page breaks that cut sentences (a blank line mid-sentence), as Word-to-text gives."""
    text = record["text"]
    candidates = [
        i for i in range(1, len(text) - 1)
        if text[i - 1] not in "\n" and text[i] not in "\n。；！？" and not _inside_any(i, record["entities"])
        and not _inside_any(i, [s for s in record["segments"] if s["label"] == "heading"])
    ]
    if not candidates:
        return record
    picks = sorted(rng.sample(candidates, k=min(len(candidates), max(1, len(text) // 1500))))
    return apply_insertions(record, [Insertion(i, "\n\n") for i in picks])


# --------------------------------------------------------------------------- build


def build_record(path: Path) -> dict[str, Any]:
    try:
        doc = parse_file(path)
    except MarkupError as err:
        raise CorpusError(err.path, err.line, err.reason, fix="see corpus/MARKUP.md") from err
    meta = doc.meta
    record = {
        "id": meta["id"],
        "text": doc.text,
        "segments": doc.segments,
        "entities": doc.entities,
        "furniture": [],
        "meta": {k: meta[k] for k in ("agency", "org", "genre", "province", "level", "year")},
    }
    if meta["id"] != path.stem:
        raise CorpusError(path, 2, f"id {meta['id']!r} differs from the file name", fix=f"set id: {path.stem}")
    add_values(record)
    return record


def build(src: Path, out: Path, *, artefact_share: float, dev_share: float, test_share: float) -> dict[str, int]:
    """Build every `src/*.jx` into `out/{train,dev,test}.jsonl`; returns documents per split."""
    records: dict[str, list[dict[str, Any]]] = {s: [] for s in SPLITS}
    seen: set[str] = set()
    for path in sorted(Path(src).glob("*.jx")):
        record = build_record(path)
        if record["id"] in seen:
            raise CorpusError(path, 2, f"duplicate id {record['id']!r}")
        seen.add(record["id"])
        if stable_unit(record["id"], "artefacts") < artefact_share:
            rng = random.Random(record["id"])
            record, applied = add_artefacts(record, rng)
            record["meta"]["artefacts"] = applied
        for ent in record["entities"]:
            ent["text"] = record["text"][ent["start"] : ent["end"]]
        for seg in record["segments"]:
            seg["text"] = record["text"][seg["start"] : seg["end"]]
        problems = validate_record(record)
        if problems:
            raise CorpusError(path, None, "; ".join(problems[:5]))
        records[split_of(record["id"], dev_share, test_share)].append(record)
    counts = {}
    out = Path(out)
    for split, recs in records.items():
        with open(out / f"{split}.jsonl", "w", encoding="utf-8") as fh:
            for rec in recs:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        counts[split] = len(recs)
    return counts


# --------------------------------------------------------------------------- validate


def validate_record(record: dict[str, Any]) -> list[str]:
    """Every way a record breaks ANNOTATION.md; empty when it is sound."""
    problems: list[str] = []
    text = record.get("text")
    if not isinstance(text, str) or not text:
        return ["no text"]
    covered = [0] * len(text)
    last_end = 0
    for k, seg in enumerate(record.get("segments", [])):
        s, e, label = seg.get("start"), seg.get("end"), seg.get("label")
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            problems.append(f"segment {k} has bad offsets {s}..{e}")
            continue
        if label not in SEGMENT_LABELS:
            problems.append(f"segment {k} has unknown label {label!r} (valid: {', '.join(SEGMENT_LABELS)})")
        if s < last_end:
            problems.append(f"segment {k} overlaps the one before or is out of order")
        if text[s].isspace() or text[e - 1].isspace():
            problems.append(f"segment {k} starts or ends with whitespace")
        if "text" in seg and seg["text"] != text[s:e]:
            problems.append(f"segment {k} text does not match its offsets")
        last_end = e
        for i in range(s, e):
            covered[i] += 1
    furniture = [0] * len(text)
    for s, e in record.get("furniture", []):
        for i in range(s, e):
            furniture[i] = 1
    uncovered = [i for i, ch in enumerate(text) if not ch.isspace() and covered[i] == 0 and not furniture[i]]
    if uncovered:
        i = uncovered[0]
        problems.append(f"{len(uncovered)} non-space characters are in no segment, first at {i}: {text[max(0, i - 5):i + 5]!r}")
    seg_bounds = [(s["start"], s["end"]) for s in record.get("segments", [])]
    for k, ent in enumerate(record.get("entities", [])):
        s, e, label = ent.get("start"), ent.get("end"), ent.get("label")
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            problems.append(f"entity {k} has bad offsets {s}..{e}")
            continue
        if label not in ENTITY_LABELS:
            problems.append(f"entity {k} has unknown label {label!r} (valid: {', '.join(ENTITY_LABELS)})")
        if not any(a <= s and e <= b for a, b in seg_bounds):
            problems.append(f"entity {k} {text[s:e]!r} is not inside one segment")
        if "text" in ent and ent["text"] != text[s:e]:
            problems.append(f"entity {k} text does not match its offsets")
        if label in NUMERIC_LABELS and not isinstance(ent.get("value"), (int, float)):
            problems.append(f"numeric entity {k} {text[s:e]!r} has no value")
        if any(furniture[s:e]):
            problems.append(f"entity {k} overlaps page furniture")
    ents = sorted((e["start"], e["end"]) for e in record.get("entities", []) if isinstance(e.get("start"), int))
    for (s1, e1), (s2, e2) in zip(ents, ents[1:]):
        if s2 < e1:
            problems.append(f"entities overlap at {s2}")
    return problems


def validate_files(paths: Iterable[Path]) -> list[str]:
    """Problems as 'file:line: reason' strings over JSONL files."""
    out = []
    for path in paths:
        for lineno, record in enumerate(read_jsonl(path), 1):
            for problem in validate_record(record):
                out.append(f"{path}:{lineno}: {record.get('id', '?')}: {problem}")
    return out


# --------------------------------------------------------------------------- statistics


def char_ngrams(text: str, n: int = 4) -> set[str]:
    compact = "".join(text.split())
    return {compact[i : i + n] for i in range(max(1, len(compact) - n + 1))}


def near_duplicates(records: list[dict[str, Any]], threshold: float = 0.7, min_chars: int = 12) -> tuple[int, int, list[tuple[str, str]]]:
    """Segments whose character 4-gram Jaccard similarity to another segment exceeds
    `threshold`: (number of such segments, number of segments compared, examples).
    Headings and very short segments (< min_chars) are set phrases and not compared."""
    texts = []
    for rec in records:
        for seg in rec["segments"]:
            t = rec["text"][seg["start"] : seg["end"]]
            if seg["label"] != "heading" and len("".join(t.split())) >= min_chars:
                texts.append(t)
    grams = [char_ngrams(t) for t in texts]
    index: dict[str, list[int]] = {}
    for i, g in enumerate(grams):
        for gram in g:
            index.setdefault(gram, []).append(i)
    flagged: set[int] = set()
    examples: list[tuple[str, str]] = []
    for i, g in enumerate(grams):
        overlap: Counter[int] = Counter()
        for gram in g:
            postings = index[gram]
            if len(postings) > 200:  # too common to say anything
                continue
            for j in postings:
                if j != i:
                    overlap[j] += 1
        for j, shared in overlap.items():
            union = len(g) + len(grams[j]) - shared
            if union and shared / union > threshold:
                flagged.add(i)
                if len(examples) < 10 and i < j:
                    examples.append((texts[i], texts[j]))
                break
    return len(flagged), len(texts), examples


def stats(records: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    everything = [r for recs in records.values() for r in recs]
    seg = Counter(s["label"] for r in everything for s in r["segments"])
    ent = Counter(e["label"] for r in everything for e in r["entities"])
    per_split = {
        split: {
            "documents": len(recs),
            "segments": sum(len(r["segments"]) for r in recs),
            "entities": sum(len(r["entities"]) for r in recs),
            "characters": sum(len(r["text"]) for r in recs),
        }
        for split, recs in records.items()
    }
    meta = [r.get("meta", {}) for r in everything]
    flagged, compared, examples = near_duplicates(everything)
    return {
        "documents": len(everything),
        "characters": sum(len(r["text"]) for r in everything),
        "segments": dict(seg),
        "segment_total": sum(seg.values()),
        "entities": dict(ent),
        "entity_total": sum(ent.values()),
        "splits": per_split,
        "agencies": dict(Counter(m.get("agency") for m in meta).most_common()),
        "genres": dict(Counter(m.get("genre") for m in meta).most_common()),
        "levels": dict(Counter(m.get("level") for m in meta).most_common()),
        "provinces": len({m.get("province") for m in meta}),
        "years": dict(sorted(Counter(m.get("year") for m in meta).items())),
        "with_artefacts": sum(1 for m in meta if m.get("artefacts")),
        "near_duplicates": {"segments": flagged, "compared": compared, "share": flagged / compared if compared else 0.0, "examples": examples[:5]},
    }


def format_stats(s: dict[str, Any]) -> str:
    lines = [f"documents: {s['documents']}   characters: {s['characters']:,}   with extraction artefacts: {s['with_artefacts']}", ""]
    lines.append("| segment label | count | share |")
    lines.append("|---|---:|---:|")
    for label in SEGMENT_LABELS:
        n = s["segments"].get(label, 0)
        lines.append(f"| {label} | {n} | {n / max(1, s['segment_total']):.1%} |")
    lines.append(f"| **all** | {s['segment_total']} | |")
    lines.append("")
    lines.append("| entity label | count |")
    lines.append("|---|---:|")
    for label in ENTITY_LABELS:
        lines.append(f"| {label} | {s['entities'].get(label, 0)} |")
    lines.append(f"| **all** | {s['entity_total']} |")
    lines.append("")
    lines.append("| split | documents | segments | entities | characters |")
    lines.append("|---|---:|---:|---:|---:|")
    for split, c in s["splits"].items():
        lines.append(f"| {split} | {c['documents']} | {c['segments']} | {c['entities']} | {c['characters']:,} |")
    lines.append("")
    lines.append(f"agencies ({len(s['agencies'])}): " + ", ".join(f"{k} {v}" for k, v in s["agencies"].items()))
    lines.append(f"genres ({len(s['genres'])}): " + ", ".join(f"{k} {v}" for k, v in s["genres"].items()))
    lines.append("levels: " + ", ".join(f"{k} {v}" for k, v in s["levels"].items()) + f"; provinces: {s['provinces']}")
    lines.append("years: " + ", ".join(f"{k} {v}" for k, v in s["years"].items()))
    nd = s["near_duplicates"]
    lines.append(f"near-duplicate segments (4-gram Jaccard > 0.7): {nd['segments']} of {nd['compared']} ({nd['share']:.2%})")
    return "\n".join(lines)


def load_splits(directory: Path) -> dict[str, list[dict[str, Any]]]:
    directory = Path(directory)
    out = {}
    for split in SPLITS:
        path = directory / f"{split}.jsonl"
        if not path.exists():
            raise CorpusError(path, None, "split file missing", fix="run `jixiao corpus build`")
        out[split] = read_jsonl(path)
    return out


def corpus_hash(directory: Path) -> str:
    """sha256 over the built split files: what a model was trained on."""
    digest = hashlib.sha256()
    for split in SPLITS:
        digest.update((Path(directory) / f"{split}.jsonl").read_bytes())
    return digest.hexdigest()

"""Parse the corpus source markup (`corpus/MARKUP.md`) into ANNOTATION.md records.

The markup exists so that writers never type offsets: one segment a line, entities
in braces. Values of numeric entities are added later by `training.corpus`, with
the runtime's own number parser, so that this module stays free of the pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.text.structure import ends_sentence, inner_terminator

LABEL_CODES = {
    "H": "heading",
    "A": "achievement",
    "P": "problem",
    "R": "remedy",
    "M": "metric",
    "O": "other",
}
ENTITY_LABELS = ("MONEY", "PEOPLE_COUNT", "PERCENT", "QUANTITY", "AWARD", "EVENT")
GENRES = (
    "dept_self_eval",
    "project_self_eval",
    "third_party",
    "work_summary",
    "audit_rectification",
    "gov_work_report",
)
LEVELS = ("province", "city", "county", "township")
AGENCIES = (
    "文联", "教育", "卫健", "民政", "人社", "农业农村", "水利", "交通运输", "住建",
    "生态环境", "文旅", "科技", "体育", "司法", "医保", "妇联", "残联", "档案", "统计",
    "应急管理", "街道办事处", "乡镇政府", "市场监管", "自然资源", "退役军人事务",
    "共青团", "科协", "发改", "财政", "林业", "气象", "图书馆", "政府", "审计", "商务",
    "城管", "疾控", "融媒体中心", "粮食和物资储备", "工会",
)
HEADER_KEYS = ("id", "agency", "org", "genre", "province", "level", "year")

ENTITY_RE = re.compile(r"\{([A-Z_]+):([^{}]*)\}")


class MarkupError(ValueError):
    def __init__(self, path: str, line: int, reason: str):
        super().__init__(f"{path}:{line}: {reason}")
        self.path, self.line, self.reason = path, line, reason


@dataclass
class MarkupDoc:
    meta: dict
    text: str
    segments: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)


def _strip_entities(raw: str, path: str, lineno: int) -> tuple[str, list[tuple[int, int, str]]]:
    out, spans, pos = [], [], 0
    for m in ENTITY_RE.finditer(raw):
        label, inner = m.group(1), m.group(2)
        if label not in ENTITY_LABELS:
            raise MarkupError(path, lineno, f"unknown entity label {label!r}; use one of {', '.join(ENTITY_LABELS)}")
        if not inner.strip():
            raise MarkupError(path, lineno, f"empty entity {m.group(0)!r}")
        outer_quoted = len(inner) > 1 and (inner[0], inner[-1]) in (("“", "”"), ("《", "》"), ('"', '"'), ("「", "」"))
        if inner != inner.strip() or outer_quoted:
            raise MarkupError(path, lineno, f"entity {m.group(0)!r} starts or ends with a space or an outer quote; keep those outside the braces")
        out.append(raw[pos : m.start()])
        start = sum(len(p) for p in out)
        out.append(inner)
        spans.append((start, start + len(inner), label))
        pos = m.end()
    out.append(raw[pos:])
    text = "".join(out)
    if "{" in text or "}" in text:
        raise MarkupError(path, lineno, "unbalanced or nested braces: write entities as {LABEL:text}, never nested")
    return text, spans


def parse(source: str, path: str = "<string>") -> MarkupDoc:
    lines = source.split("\n")
    if not lines or lines[0].strip() != "---":
        raise MarkupError(path, 1, "a file starts with a '---' header block")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise MarkupError(path, 1, "the header block is not closed by '---'") from None
    meta: dict = {}
    for i in range(1, end):
        if not lines[i].strip():
            continue
        key, sep, value = lines[i].partition(":")
        if not sep:
            raise MarkupError(path, i + 1, f"header line {lines[i]!r} is not 'key: value'")
        meta[key.strip()] = value.strip()
    missing = [k for k in HEADER_KEYS if not meta.get(k)]
    if missing:
        raise MarkupError(path, 1, f"header lacks {', '.join(missing)}")
    if meta["genre"] not in GENRES:
        raise MarkupError(path, 1, f"genre {meta['genre']!r} is not one of {', '.join(GENRES)}")
    if meta["level"] not in LEVELS:
        raise MarkupError(path, 1, f"level {meta['level']!r} is not one of {', '.join(LEVELS)}")
    if meta["agency"] not in AGENCIES:
        raise MarkupError(path, 1, f"agency {meta['agency']!r} is not one of {', '.join(AGENCIES)}")
    # archives reach back decades: older reports word things differently (下岗职工, 扩大内需)
    if not re.fullmatch(r"20(0\d|1\d|2[0-6])", meta["year"]):
        raise MarkupError(path, 1, f"year {meta['year']!r} is not 2000–2026")
    meta["year"] = int(meta["year"])

    # Group into paragraphs: (lineno, label, text, entity spans)
    paragraphs: list[list[tuple[int, str, str, list]]] = []
    current: list = []
    for i in range(end + 1, len(lines)):
        raw = lines[i].rstrip()
        lineno = i + 1
        if raw.startswith("#"):
            continue
        if not raw.strip():
            if current:
                paragraphs.append(current)
                current = []
            continue
        code, sep, body = raw.partition(" ")
        if code not in LABEL_CODES or not sep or not body.strip():
            raise MarkupError(path, lineno, f"line must start with a label code ({' '.join(LABEL_CODES)}), a space and the segment text: {raw[:40]!r}")
        text, spans = _strip_entities(body.strip(), path, lineno)
        label = LABEL_CODES[code]
        if label == "heading" or (current and not ends_sentence(current[-1][2])):
            # A heading, or a line after one that ends no sentence, starts a new paragraph:
            # in the source a line break stands there, as after a byline or a date.
            if current:
                paragraphs.append(current)
                current = []
        if label == "heading":
            paragraphs.append([(lineno, label, text, spans)])
        else:
            current.append((lineno, label, text, spans))
    if current:
        paragraphs.append(current)
    if not paragraphs:
        raise MarkupError(path, end + 1, "the document has no body")

    doc = MarkupDoc(meta=meta, text="")
    parts: list[str] = []
    offset = 0
    for p_index, para in enumerate(paragraphs):
        if p_index:
            parts.append("\n")
            offset += 1
        for lineno, label, text, spans in para:
            if label != "heading":
                bad = inner_terminator(text)
                if bad is not None:
                    raise MarkupError(path, lineno, f"sentence terminator {text[bad]!r} at column {bad} inside the line: split it into two lines ({text[:30]!r}…)")
            doc.segments.append({"start": offset, "end": offset + len(text), "label": label})
            for s, e, lab in spans:
                doc.entities.append({"start": offset + s, "end": offset + e, "label": lab})
            parts.append(text)
            offset += len(text)
    doc.text = "".join(parts)
    return doc


def parse_file(path: Path) -> MarkupDoc:
    return parse(Path(path).read_text(encoding="utf-8"), str(path))


def main(argv: list[str] | None = None) -> int:
    """`python -m training.markup FILE...`: syntax check, prints counts or the first error per file."""
    import sys
    from collections import Counter

    paths = [Path(a) for a in (argv if argv is not None else sys.argv[1:])]
    failed = 0
    for path in paths:
        try:
            doc = parse_file(path)
        except MarkupError as err:
            print(f"ERROR {err}")
            failed += 1
            continue
        seg = Counter(s["label"] for s in doc.segments)
        ent = Counter(e["label"] for e in doc.entities)
        print(f"ok {path}: {len(doc.text)} chars, {len(doc.segments)} segments {dict(seg)}, {len(doc.entities)} entities {dict(ent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

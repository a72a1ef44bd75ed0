"""`jixiao_metadata`: who reports, on which year, in which genre, and the headline figures."""

from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import span_value
from ._spans import doc_text, entity_offsets
from .segmenter import SEGMENTS

REPORT_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("audit_rectification", re.compile(r"审计.{0,12}整改|整改.{0,6}(情况|报告)")),
    ("third_party", re.compile(r"第三方|(?<!自)评价报告")),
    ("project_self_eval", re.compile(r"项目.{0,12}(绩效)?自评|项目支出绩效")),
    ("dept_self_eval", re.compile(r"部门.{0,6}整体.{0,8}(绩效|自评)|整体支出")),
    ("gov_work_report", re.compile(r"政府工作报告")),
    ("work_summary", re.compile(r"工作总结|工作计划|工作情况报告|述职")),
)
ORG = re.compile(
    r"^(?:[\u4e00-\u9fff（）()]{1,30}?(?:局|委员会|联合会|办公室|办事处|人民政府|政府|中心|馆|院|站|所|协会|团委|街道|乡|镇|文联|妇联|残联|科协|总工会|工会|委|厅|部|署))(?![\u4e00-\u9fff]{0,3}(?:办事处|委员会|局|人民政府|政府|办公室))"
)
CLAUSE_BREAK = re.compile(r"[，。；：,;:\n]")
PLACE = re.compile(r"^[\u4e00-\u9fff]{1,10}?(?:自治州|自治县|省|市|县|区|州|盟|旗)")
YEAR = re.compile(r"(20[0-4]\d)\s*年")
SCORE = re.compile(r"(?:得分|评分|分值)[为是：:\s]*(\d{1,3}(?:\.\d+)?)\s*分")
def detect_report_type(title: str) -> str | None:
    """The genre named in a report's title block, or None."""
    return next((name for name, pattern in REPORT_TYPES if pattern.search(title)), None)


HEADLINE_CUES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("budget", "MONEY", re.compile(r"预算(收入|总额|数|安排|资金)?|年初预算")),
    ("spending", "MONEY", re.compile(r"支出|决算|执行数")),
    ("execution_rate", "PERCENT", re.compile(r"执行率|支出率|执行进度")),
)


class MetadataExtractor:
    """Fills `doc._.report` with org, year, report_type and headline figures, from the
    title block, the segments and the entities (run it last)."""

    def __init__(self, nlp: Language, name: str = "jixiao_metadata", *, title_lines: int = 4):
        self.name = name
        self.title_lines = title_lines

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        group = doc.spans[SEGMENTS] if SEGMENTS in doc.spans else []
        first = [group[i] for i in range(min(self.title_lines, len(group)))]
        title = [
            text[s.start_char : s.end_char] for s in first if s.label_ == "heading" and span_value(doc, "level", s.start_char, s.end_char) == 0
        ]
        # a long title wraps over two lines: join them before looking for the genre
        head = "".join(title) or text[:200]
        report_type = detect_report_type(head)
        org = next((m.group(0) for line in title if (m := ORG.match(line.replace(" ", "")))), None)
        if org is None:  # a project report's title names the place, not the agency
            org = next((m.group(0) for line in title if (m := PLACE.match(line.replace(" ", "")))), None)
        years = YEAR.findall(head) or YEAR.findall(text[:1000])
        year = int(Counter(years).most_common(1)[0][0]) if years else None
        score = SCORE.search(text)
        headline: dict[str, float] = {}
        for start, end, ent_label in entity_offsets(doc):
            # the clause that leads up to the figure: 年初预算收入356.8万元，全年支出345.2万元
            window = text[max(0, start - 30) : start]
            sentence = CLAUSE_BREAK.split(window)[-1]
            value = span_value(doc, "value", start, end)
            for key, label, cue in HEADLINE_CUES:
                if key not in headline and ent_label == label and value is not None and cue.search(sentence):
                    headline[key] = value
        if score:
            headline["score"] = float(score.group(1))
        doc._.report = {"org": org, "year": year, "report_type": report_type, "headline": headline}
        return doc


@Language.factory("jixiao_metadata", default_config={"title_lines": 4})
def make_metadata(nlp: Language, name: str, title_lines: int) -> MetadataExtractor:
    return MetadataExtractor(nlp, name, title_lines=title_lines)

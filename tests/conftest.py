"""Shared fixtures: a tiny annotated corpus written for the tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

TINY_DOCS = [
    (
        "tiny-a",
        [
            ("heading", "某县文化馆2023年度部门整体支出绩效自评报告"),
            ("heading", "一、基本情况"),
            ("other", "县文化馆是县文旅局所属公益一类事业单位。"),
            ("metric", "全年预算收入{MONEY:356.8万元}，执行率为{PERCENT:98.6%}。"),
            ("heading", "二、主要成效"),
            ("achievement", "举办{EVENT:第五届乡村文化艺术节}，开展演出{QUANTITY:42场}，服务群众{PEOPLE_COUNT:1.2万人次}。"),
            ("achievement", "馆办合唱团荣获{EVENT:第三届全省群众合唱大赛}{AWARD:金奖}。"),
            ("heading", "三、存在的问题"),
            ("problem", "部分项目资金支付进度偏慢，绩效目标设置不够细化。"),
            ("heading", "四、下一步措施"),
            ("remedy", "加快项目资金支付进度，细化绩效目标。"),
        ],
    ),
    (
        "tiny-b",
        [
            ("heading", "某市图书馆2022年工作总结"),
            ("heading", "一、工作成效"),
            ("achievement", "全年接待读者{PEOPLE_COUNT:38万人次}，举办{EVENT:“书香满城”全民阅读节}。"),
            ("achievement", "新增馆藏图书{QUANTITY:2.6万册}，获评{AWARD:2022年度全省文明单位}。"),
            ("metric", "年度经费支出{MONEY:812万元}，在编人员{PEOPLE_COUNT:46人}。"),
            ("heading", "二、存在不足"),
            ("problem", "数字资源建设相对滞后，基层分馆服务能力有待提高。"),
            ("heading", "三、明年工作打算"),
            ("remedy", "建议加大数字资源采购力度，推进分馆标准化建设。"),
            ("other", "特此报告。"),
        ],
    ),
]


def tiny_jx(doc_id: str, lines: list[tuple[str, str]]) -> str:
    codes = {"heading": "H", "achievement": "A", "problem": "P", "remedy": "R", "metric": "M", "other": "O"}
    header = f"---\nid: {doc_id}\nagency: 文旅\norg: 测试单位\ngenre: dept_self_eval\nprovince: 湖南\nlevel: county\nyear: 2023\n---\n"
    return header + "\n".join(f"{codes[label]} {text}" for label, text in lines) + "\n"


@pytest.fixture
def tiny_src(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for doc_id, lines in TINY_DOCS:
        (src / f"{doc_id}.jx").write_text(tiny_jx(doc_id, lines), encoding="utf-8")
    return src


@pytest.fixture
def tiny_records(tiny_src: Path) -> list[dict]:
    from training.corpus import build_record

    return [build_record(p) for p in sorted(tiny_src.glob("*.jx"))]

"""jixiao_metadata: org, year, report type and headline figures from the title block and entities."""

from __future__ import annotations

import pytest

import pipeline


@pytest.fixture(scope="module")
def nlp():
    return pipeline.load()


@pytest.mark.parametrize(
    "text, org, year, report_type",
    [
        ("某县民政局2021年度部门整体支出绩效自评报告\n一、概况\n本局负责全县民政工作。", "某县民政局", 2021, "dept_self_eval"),
        ("青山县2022年度农村公路养护项目\n支出绩效自评报告\n一、项目概况\n项目于3月启动。", "青山县", 2022, "project_self_eval"),
        ("关于2023年度审计查出问题整改情况的报告\n一、整改总体情况\n全面完成整改。", None, 2023, "audit_rectification"),
        ("某街道办事处2024年工作总结和2025年工作计划\n一、主要成效\n全年完成任务。", "某街道办事处", 2024, "work_summary"),
    ],
)
def test_title_block(nlp, text: str, org: str | None, year: int, report_type: str) -> None:
    report = nlp(text)._.report
    assert (report["org"], report["year"], report["report_type"]) == (org, year, report_type)


def test_headline_figures(nlp) -> None:
    doc = nlp("某馆2023年度部门整体支出绩效自评报告\n一、预算执行\n年初预算收入356.8万元，全年支出345.2万元，预算执行率为96.75%。自评得分为95.5分。")
    assert doc._.report["headline"] == {"budget": 3568000.0, "spending": 3452000.0, "execution_rate": 0.9675, "score": 95.5}

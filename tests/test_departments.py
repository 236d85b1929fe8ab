"""Each department's plan, and the impact-over-time grid, in the built handbook and its PDFs.

The second company's plan (tests/fixtures/second_company) rates its processes over time: its site,
built once for the session with its PDFs, is read here as a page, a PDF, and in headless Chromium on a
390 px phone and a desktop screen. Its departments: production with three processes, finance with one,
management with none.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pypdf
import pytest
from playwright.sync_api import BrowserContext, ViewportSize

from bcmlib import load_plan, validate
from bcmlib.handbook.pages import render_handbook
from tests.browser import open_page
from tests.conftest import TODAY, WritePlan
from tests.handbook_site import page, rows
from tests.test_generic import SECOND, second_site

__all__ = ["second_site"]  # the second company's built handbook, shared with the generic tests

RATINGS = ["可忽略", "轻微", "中等", "重大", "灾难性"]
"""The second company's impact scale, mildest first."""
PAGES = ["departments/production.html", "processes.html"]
SCREENS: list[ViewportSize] = [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]


def test_the_index_lists_each_department_with_its_processes_and_its_pdf(second_site: Path) -> None:
    soup = page(second_site, "departments/index.html")
    table = rows(soup)
    assert table[0] == ["部门", "主管角色", "关键业务"]
    assert table[1][0].startswith("生产部")
    assert table[1][2] == "危化品储存管控、批次生产、订单交付"  # in recovery order
    assert table[3][0].startswith("财务部")
    assert table[2][2] == "—"  # management has no process
    links = {a["href"] for a in soup.select("article a")}
    assert {"production.html", "production.pdf", "finance.html", "management.pdf"} <= links
    assert "未归属任何部门的业务" not in soup.get_text()
    # The index is in the coordinator's part of the menu; the departments' own pages are not in it.
    menu = page(second_site, "index.html").select("nav.md-nav--primary a")
    assert "departments/index.html" in {a["href"] for a in menu}
    assert not any(str(a["href"]).startswith("departments/production") for a in menu)


def test_a_process_of_no_department_is_listed_as_unassigned(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    plan_data["processes"].append({**plan_data["processes"][0], "id": "pay", "name": "付款"})
    del plan_data["processes"][1]["department"]
    plan = load_plan(write_plan(plan_data))
    pages = {p.path: p for p in render_handbook(plan, validate(plan, today=TODAY), TODAY)}
    index = pages["departments/index.md"].markdown
    assert "## 未归属任何部门的业务" in index
    assert index.rstrip().endswith("- 付款")
    assert "付款" not in pages["departments/ops.md"].markdown
    assert (pages["departments/ops.md"].part, pages["departments/ops.md"].printed) == ("coordinator", "a4")


def test_the_department_page_holds_its_impact_analysis_and_recovery_plan_tables(second_site: Path) -> None:
    soup = page(second_site, "departments/production.html")
    table = rows(soup)
    assert ["关键业务", "中断影响", "MTPD", "RTO", "RPO", "MBCO"] in table
    assert [
        "批次生产",
        "停产损失与客户违约",
        "3 天",
        "12 小时",
        "4 小时",
        "单线生产，保住重点客户订单",
    ] in table
    assert ["订单交付", "客户违约金", "2 天", "24 小时", "4 小时", "以手工出货单处理全部在途订单"] in table
    assert ["1", "启动委托同业代工协议，通知同业工厂排产", "厂长（现由 方明 担任）", "8 小时"] in table
    text = soup.get_text()
    assert "MTPD：3 天（「销售收入」在此时评为「重大」，已不可容忍）" in text
    assert "所需供应商：树脂原料" in text
    assert len(soup.select("table.bcm-impact-grid")) == 3  # one grid per process of the department
    assert "供应商付款" not in text  # finance's


def test_the_processes_page_says_when_the_analysis_finds_nothing_intolerable(second_site: Path) -> None:
    text = page(second_site, "processes.html").get_text()
    assert "MTPD：长于评估的最后时点 3 天：任何类别都未达到不可容忍" in text
    assert "最低业务连续性目标（MBCO）：计划未写明" in text  # supplier payment has none


def _grid_rows(soup: Any, process: str) -> list[list[str]]:
    heading = soup.find(["h2", "h3"], string=re.compile(process))
    grid = heading.find_next("table", class_="bcm-impact-grid")
    return [
        [" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"])] for tr in grid.find_all("tr")
    ]


def test_the_grid_marks_the_mtpd_and_where_the_rto_falls(second_site: Path) -> None:
    grid = _grid_rows(page(second_site, "departments/production.html"), "批次生产")
    assert grid == [
        ["停摆时长", "销售收入", "客户关系"],
        ["4 小时", "轻微 8 万元", "未评估"],
        ["12 小时 RTO", "介于评估时点之间"],
        ["24 小时", "中等 45 万元", "轻微"],
        ["3 天 MTPD", "重大 160 万元 合同违约金按日计（销售合同第 5 条）", "中等"],
        ["1 周", "灾难性 420 万元", "重大"],
    ]
    # Plan text in the grid is HTML, where Markdown's backslash escapes would show as typed.
    assert "\\" not in " ".join(cell for row in grid for cell in row)


def test_the_department_pdf_prints_both_tables_and_the_grid(second_site: Path) -> None:
    text = "\n".join(
        sheet.extract_text() for sheet in pypdf.PdfReader(second_site / "departments/production.pdf").pages
    )
    flat = " ".join(text.split())
    for wanted in ("生产部：业务影响分析与恢复计划", "关键业务影响分析表", "关键业务恢复计划表", "停摆时长"):
        assert wanted in flat
    assert "3 天 MTPD 重大 160 万元" in flat
    assert "12 小时 RTO 介于评估时点之间" in flat
    assert "启动委托同业代工协议" in flat
    assert "供应商付款" not in flat
    finance = pypdf.PdfReader(second_site / "departments/finance.pdf").pages[0].extract_text()
    assert "供应商付款" in finance


@pytest.mark.parametrize("screen", SCREENS, ids=["phone", "desktop"])
@pytest.mark.parametrize("name", PAGES)
def test_the_grid_reads_on_a_phone_and_a_desktop(
    offline: BrowserContext, second_site: Path, name: str, screen: ViewportSize
) -> None:
    view = open_page(offline, second_site, name)
    view.set_viewport_size(screen)
    assert view.locator("table.bcm-impact-grid").count() >= 3
    assert view.evaluate("document.documentElement.scrollWidth") <= screen["width"]
    names = view.eval_on_selector_all(
        "td.bcm-rating", "cells => cells.map(c => c.querySelector('.bcm-rating-name').textContent)"
    )
    assert names
    assert set(names) <= set(RATINGS)
    # A grid wider than the screen scrolls inside its own box, never the page.
    boxes = view.eval_on_selector_all(
        ".bcm-impact",
        "boxes => boxes.map(b => [getComputedStyle(b).overflowX, b.getBoundingClientRect().right])",
    )
    assert all(overflow == "auto" and right <= screen["width"] for overflow, right in boxes), boxes


def _luminance(rgb: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", rgb)[:3])

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def test_each_rating_prints_in_its_own_shade_of_grey(offline: BrowserContext, second_site: Path) -> None:
    view = open_page(offline, second_site, "processes.html")
    view.emulate_media(media="print")
    cells = view.eval_on_selector_all(
        "td.bcm-rating",
        "cells => cells.map(c => [c.querySelector('.bcm-rating-name').textContent,"
        " getComputedStyle(c).backgroundColor, getComputedStyle(c).printColorAdjust])",
    )
    shades: dict[str, set[float]] = {}
    for name, background, adjust in cells:
        assert adjust == "exact"  # the browser prints the background, not white
        shades.setdefault(name, set()).add(round(_luminance(background), 3))
    assert set(shades) == set(RATINGS)  # every rating of the scale is in some cell
    assert all(len(found) == 1 for found in shades.values())  # one colour per rating
    ramp = [next(iter(shades[name])) for name in RATINGS]
    assert ramp == sorted(ramp, reverse=True)  # darker as it gets worse
    assert min(a - b for a, b in pairwise(ramp)) > 0.05  # apart in grey too


def test_the_second_company_s_plan_has_no_finding_about_its_analysis() -> None:
    codes = {finding.code for finding in validate(load_plan(SECOND), today=TODAY)}
    assert codes & {"BIA001", "BIA002", "BIA003", "BIA004", "BIA005", "MBC002", "PRC003", "ORG003"} == set()
    assert "MBC001" in codes  # supplier payment has no MBCO yet

"""The risk matrix, insurance register, strategies and emergency supplies pages of the second company's
built handbook: the matrix on a desk, the supplies on a warehouse lead's phone, in both languages."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from bs4 import Tag
from playwright.sync_api import BrowserContext, ViewportSize

from bcmlib import load_plan, validate
from bcmlib.handbook import render_handbook
from bcmlib.handbook.build import ADMIN_BINDER, BINDER
from tests.browser import PHONE, open_page
from tests.conftest import TODAY
from tests.handbook_site import page, rows
from tests.test_generic import SECOND, second_site

__all__ = ["second_site"]  # the second company's built handbook, shared with the generic tests

DESK: ViewportSize = {"width": 1280, "height": 900}


def _fits(context: BrowserContext, site: Path, name: str, size: ViewportSize) -> None:
    view = open_page(context, site, name)
    view.set_viewport_size(size)
    assert view.evaluate("document.documentElement.scrollWidth") <= size["width"]
    widths = view.eval_on_selector_all(
        ".md-typeset table", "tables => tables.map(t => [t.scrollWidth, t.parentElement.clientWidth])"
    )
    assert all(scroll <= client + 1 for scroll, client in widths), widths


def test_the_matrix_puts_each_scenario_in_its_cell_with_its_score(second_site: Path) -> None:
    soup = page(second_site, "risks.html")
    heading = next(h for h in soup.find_all("h2") if h.get_text(strip=True).startswith("风险矩阵"))
    table = heading.find_next("table")
    assert isinstance(table, Tag)
    grid = [
        [" ".join(c.get_text().split()) for c in tr.find_all(["td", "th"])] for tr in table.find_all("tr")
    ]
    assert grid[0] == ["影响 ↓ / 可能性 →", "罕见（1）", "可能（2，高）", "频繁（3，高）"]
    by_row = {row[0]: row[1:] for row in grid[1:]}
    assert list(by_row) == ["灾难性（3，高）", "严重（2，高）", "轻微（1）"]
    assert by_row["灾难性（3，高）"][1] == "6 分 · 建议投保转移厂区火灾"
    assert by_row["灾难性（3，高）"][0] == "3 分 · 建议规避储罐泄漏"
    assert by_row["轻微（1）"][2] == "3 分 · 建议控制降低树脂断供"
    assert by_row["轻微（1）"][0] == "1 分 · 建议接受外部停电"  # the quadrant the plan leaves open


def test_each_scenario_shows_its_suggested_and_chosen_treatment_what_it_hits_and_its_policy(
    second_site: Path,
) -> None:
    register = {row[0]: row for row in rows(page(second_site, "risks.html")) if len(row) == 6}
    assert register["树脂断供"][1:5] == [
        "可能性频繁 × 影响轻微 = 3 分",
        "控制降低",
        "控制降低",
        "批次生产、订单交付",
    ]
    assert register["储罐泄漏"][2:4] == ["规避", "控制降低（理由：储罐无法停用，以围堰与日检降低损失）"]
    assert register["厂区火灾"][5] == "财产一切险"
    link = page(second_site, "risks.html").find("a", string="财产一切险")
    assert link is not None
    assert link["href"] == "insurance.html#insurance-property-all-risks"
    policy = page(second_site, "insurance.html").find(id="insurance-property-all-risks")
    assert policy is not None


def test_the_insurance_register_gives_the_claim_line_as_a_call(second_site: Path) -> None:
    soup = page(second_site, "insurance.html")
    text = soup.get_text(" ", strip=True)
    for field in (
        "某财产保险股份有限公司",
        "PICC-QP-2026-0042",
        "2027-03-31",
        "出险后 48 小时内报案",
        "厂区火灾",
    ):
        assert field in text
    assert soup.find("a", href="tel:4005550902") is not None


def test_strategies_are_grouped_by_loss_and_linked_to_the_processes_they_recover(second_site: Path) -> None:
    soup = page(second_site, "strategies.html")
    headings = [h.get_text(strip=True) for h in soup.find_all("h2")]
    assert headings == ["场所损失", "人员损失", "IT 损失", "供应商损失"]
    table = {row[0]: row for row in rows(soup) if row and row[0] != "策略"}
    assert table["委托同业代工与邻近同业工厂签订的互助代工协议"][1:6] == [
        "批次生产",
        "8 小时（在 RTO 12 小时 内）",
        "30 天",
        "60%（达到 MBCO 40%）",
        "厂长",
    ]
    assert table["纸质批次记录"][3] == "—"  # how long it lasts is not known
    links = {a["href"] for a in soup.select("article a[href*='processes.html#']")}
    assert links == {"processes.html#process-batch-production", "processes.html#process-hazmat-storage"}
    processes = page(second_site, "processes.html")
    for link in links:
        target = processes.find(id=str(link).split("#")[1])
        assert target is not None, link
        heading = target.find_parent("h2")  # the process's own section; the heading keeps its readable id
        assert heading is not None
        assert heading.get_text(strip=True).startswith(("批次生产", "危化品储存管控"))


def test_the_supplies_page_is_in_the_crisis_part_and_readable_on_a_phone(
    offline: BrowserContext, second_site: Path
) -> None:
    _fits(offline, second_site, "supplies.html", PHONE)
    view = open_page(offline, second_site, "supplies.html")
    view.set_viewport_size(PHONE)
    for text in (
        "防化服",
        "12 套",
        "青浦工厂、危化品库门口应急柜",
        "2028-05-31",
        "洗眼液",
        "已过期",
        "逾期未清点",
    ):
        shown = view.get_by_text(text, exact=False).first
        assert shown.is_visible(), text
        box = shown.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"], text
    # The spill pads' gaps are said in words, not left blank.
    assert "吸附棉" in view.locator("article").inner_text()
    assert "未写明" in view.locator("article").inner_text()


def test_the_risk_matrix_fits_a_desk_and_a_phone(offline: BrowserContext, second_site: Path) -> None:
    _fits(offline, second_site, "risks.html", DESK)
    _fits(offline, second_site, "risks.html", PHONE)


@pytest.mark.parametrize("name", ["risks.md", "insurance.md", "strategies.md", "supplies.md"])
def test_the_pages_speak_english(name: str) -> None:
    plan = load_plan(SECOND)
    pages = {p.path: p.markdown for p in render_handbook(plan, validate(plan, today=TODAY), TODAY, "en")}
    for chinese in ("风险矩阵", "保险登记", "连续性策略", "应急物资", "建议", "未写明", "已过期"):
        assert chinese not in pages[name], (name, chinese)
    assert {
        "risks.md": "Risk matrix",
        "insurance.md": "Insurance register",
        "strategies.md": "Loss of a site",
        "supplies.md": "Use by",
    }[name] in pages[name]


def test_the_binders_print_the_matrix_for_the_desk_and_the_supplies_for_the_crisis(second_site: Path) -> None:
    def text(name: str) -> str:
        return "".join(page.extract_text() for page in pypdf.PdfReader(second_site / name).pages)

    admin, crisis = text(ADMIN_BINDER), text(BINDER)
    for words in ("风险矩阵", "6 分 · 建议投保转移", "保险登记", "财产一切险", "连续性策略", "委托同业代工"):
        assert words in admin, words
    for words in ("应急物资", "洗眼液", "已过期", "逾期未清点"):
        assert words in crisis, words
    assert "风险矩阵" not in crisis

"""The first minute: from the home page, on a phone at 390×844 opened from a share, a person finds the
first life-safety step, whom to call now with a number to tap, and whom to report to by when; each
scenario's checklist is on a time axis, and each person's runbook opens with what to do.

The company's plan has no phone numbers (they live in SOP-28 §7); the `stepped_site` plan gets invented
ones, so every `tel:` path is exercised.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import BrowserContext, Page

from bcmlib import load_plan, validate
from bcmlib.incident.recovery import RecoveryItem
from bcmlib.models import Plan
from bcmlib.response.checklists import banded, checklist, scenarios
from tests.browser import PHONE, open_page
from tests.handbook_site import PHONES, UNDIALABLE, page

TODAY = date(2026, 12, 1)


def _tel(number: str) -> str:
    main, _, extension = number.partition("转")
    pause = f",{extension.strip()}" if extension else ""  # an extension is dialled once the call connects
    return "tel:" + ("+" if number.startswith("+") else "") + re.sub(r"\D", "", main) + pause


def test_a_warehouse_fire_recovers_what_the_warehouse_carries_in_recovery_order(company_plan: Plan) -> None:
    fire = next(s for s in scenarios(company_plan) if s.drill and s.drill.id == "warehouse-fire")
    steps = checklist(company_plan, fire)
    recovered = [step.subject.name for step in steps if isinstance(step.subject, RecoveryItem)]
    assert recovered == ["仓库", "危化品仓储安全", "客户出货"]
    bands = [band for band, _ in banded(steps)]
    assert bands[0] == "first_15m"  # the first call comes first
    assert bands == sorted(bands, key=["first_15m", "first_hour", "first_day", "later", "untimed"].index)


def test_scenarios_the_procedures_leave_thin_are_findings_not_invented_steps(company_plan: Plan) -> None:
    thin = {f.item for f in validate(company_plan, today=TODAY) if f.code == "SCN001"}
    assert thin == {
        "risk_scenarios/public-health",
        "risk_scenarios/political",
        "drill_scenarios/lockdown-14d",
    }


def test_a_plan_without_life_safety_or_call_tree_is_reported(company_plan: Plan) -> None:
    bare = company_plan.model_copy(update={"life_safety": None, "call_tree": None})
    codes = {f.code for f in validate(bare, today=TODAY)}
    assert {"LIF001", "CAL001"} <= codes
    # Without life safety, a person with no role of their own has nothing to do first.
    runbooks = {f.item for f in validate(bare, today=TODAY) if f.code == "RUN001"}
    assert "people/miku" in runbooks
    assert "people/sheng-zhuanhong" not in runbooks  # she owns processes and fires triggers


def test_the_company_home_page_says_in_plain_words_that_a_number_is_missing(site: Path) -> None:
    box = page(site, "index.html").select_one(".admonition.danger")
    assert box is not None
    assert [a["href"] for a in box.select("a.bcm-call")] == ["tel:119", "tel:120", "tel:110"]
    assert "计划中没有电话" in box.get_text()
    assert box.select("a.bcm-tel") == []


def test_from_the_home_page_on_a_phone_the_first_minute_needs_no_tap(
    offline: BrowserContext, stepped_site: Path
) -> None:
    home = open_page(offline, stepped_site, "index.html")
    home.set_viewport_size(PHONE)
    # The first life-safety step: the fire brigade's number, on the first screen, big enough to tap.
    fire = home.locator(".admonition.danger a.bcm-call").first
    box = fire.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"]
    assert fire.get_attribute("href") == "tel:119"
    # Who commands now, with a number to tap: the BCM commander's chain, in the crisis box.
    commander = home.locator(f".admonition.danger a.bcm-tel[href='{_tel(PHONES['kc'])}']")
    assert commander.count() == 1
    # Every link in the crisis box is a tap target of at least 44 px.
    heights = home.eval_on_selector_all(
        ".admonition.danger a", "links => links.map(a => a.getBoundingClientRect().height)"
    )
    assert heights
    assert min(heights) >= 44, heights
    # Each level's report recipient, a person with a number, and the deadline, on the same page.
    text = home.locator("article").inner_text()
    for level in ("III", "II", "I"):
        assert f"{level} 级" in text
    assert text.count("2 小时 内报告") == 2  # Ⅲ and Ⅱ have a 2-hour deadline
    assert "尽快报告（计划未定时限）" in text  # Ⅰ has none, and says so
    assert home.locator(f"a.bcm-tel[href='{_tel(PHONES['robert'])}']").count() >= 1


def test_one_tap_reaches_a_scenario_checklist_in_recovery_order(
    offline: BrowserContext, stepped_site: Path
) -> None:
    home = open_page(offline, stepped_site, "index.html")
    home.set_viewport_size(PHONE)
    home.get_by_role("link", name="模拟仓库火灾").click()
    home.wait_for_load_state("load")
    assert home.url.endswith("scenarios.html#drill-warehouse-fire")
    section = home.locator("#drill-warehouse-fire + *").evaluate(
        """first => { let text = ''; for (let e = first; e && e.tagName !== 'H2'; e = e.nextElementSibling)
        text += e.innerText + '\\n'; return text; }"""
    )
    assert section.index("危化品仓储安全") < section.index("客户出货")
    assert "前 15 分钟" in section
    assert "第 1 小时内" in section


def test_every_tel_link_dials_digits_only(stepped_site: Path) -> None:
    numbers = {_tel(number) for number in PHONES.values() if number != UNDIALABLE}
    found = set()
    for html in stepped_site.rglob("*.html"):
        for href in re.findall(r'href="(tel:[^"]*)"', html.read_text(encoding="utf-8")):
            assert re.fullmatch(r"tel:\+?\d+(,\d+)?", href), (html, href)
            found.add(href)
    assert numbers <= found


def test_every_person_s_runbook_opens_with_what_to_do(stepped_site: Path) -> None:
    for runbook in (stepped_site / "runbooks" / "people").glob("*.html"):
        if runbook.name == "index.html":
            continue
        soup = page(stepped_site, f"runbooks/people/{runbook.name}")
        first = soup.select_one("article h2")
        assert first is not None, runbook.name
        assert first.get_text(strip=True) == "警报响起时：先做这些", runbook.name
        assert soup.select_one("article a.bcm-call[href='tel:119']") is not None
    warehouse = page(stepped_site, "runbooks/people/sheng-zhuanhong.html").get_text()
    assert warehouse.index("危化品仓储安全") < warehouse.index("客户出货")
    assert "bcm incident" not in warehouse


def test_no_page_for_staff_shows_an_identifier_or_a_command(site: Path, company_plan: Plan) -> None:
    # Staff read names. Identifiers, the plan's spelling of durations and CLI commands are for those who
    # edit the YAML and run the tool, whose own docs (mkdocs.tool.yml) are not part of the handbook.
    # A crisis level's identifier is its numeral (III), which is what staff call it: Ⅲ 级.
    collections = company_plan.collections
    ids = {item for name, items in collections.items() if name != "crisis_levels" for item in items}
    words = re.compile(rf"(?<![\w.-])({'|'.join(map(re.escape, ids))}|immediate|bcm [a-z]+)(?![\w.@-])")
    shown: dict[str, set[str]] = {}
    for html in site.rglob("*.html"):
        name = html.relative_to(site).as_posix()
        article = page(site, name).select_one("article")
        if article is None:
            continue
        for tag in article.select("script, style, svg, code"):
            tag.decompose()
        if found := set(words.findall(article.get_text(" "))):
            shown[name] = found
    assert shown == {}


def _menu(page: Page, entry: str) -> None:
    """Two taps on a phone: open the menu, then one of its entries."""
    page.locator(".md-header label[for='__drawer']").click()
    page.locator("nav.md-nav--primary").get_by_text(entry, exact=True).click()
    page.wait_for_load_state("load")


def test_three_taps_from_the_home_page_reach_each_person_s_first_actions(
    offline: BrowserContext, stepped_site: Path
) -> None:
    plan = load_plan(stepped_site.parent / "project" / "plan")
    for person in plan.people:
        walk = open_page(offline, stepped_site, "index.html")
        walk.set_viewport_size(PHONE)
        _menu(walk, "我的手册")
        walk.locator("article").get_by_role("link", name=person.name, exact=True).click()
        walk.wait_for_load_state("load")
        assert walk.url.endswith(f"runbooks/people/{person.id}.html")
        first = walk.locator("article h2").first
        assert first.inner_text() == "警报响起时：先做这些"
        box = first.bounding_box()
        assert box is not None
        assert box["y"] < PHONE["height"], person.id
        walk.close()


def test_two_taps_reach_every_number_and_an_undialable_one_shows_as_written(
    offline: BrowserContext, stepped_site: Path
) -> None:
    walk = open_page(offline, stepped_site, "index.html")
    walk.set_viewport_size(PHONE)
    _menu(walk, "联络与通讯录")
    calls = walk.eval_on_selector_all("article a[href^='tel:']", "links => links.map(a => a.href)")
    assert {_tel(number) for number in PHONES.values() if number != UNDIALABLE} <= set(calls)
    assert UNDIALABLE in walk.locator("article").inner_text()
    assert walk.locator("article span.bcm-tel").filter(has_text=UNDIALABLE).count() >= 1
    assert walk.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _menu(walk, "危机分级与上报")
    levels = walk.locator("article").inner_text()
    assert "2 小时" in levels
    assert walk.locator(f"article a[href='{_tel(PHONES['robert'])}']").count() >= 1

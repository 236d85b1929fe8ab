"""Dependency chains: each path from a process timed to its end, the roll-up against the RTO, PRC004 and
DEP001 on small plans, and the graph on the handbook's page, on a phone, with a hostile name, and on paper."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import BrowserContext

from bcmlib import Plan, load_plan, validate
from bcmlib.analysis.chains import MAX_PATHS, Chain, chains
from bcmlib.analysis.items import ItemRef
from bcmlib.handbook.context.chains import chains_svg
from bcmlib.incident.diagram import workflow_svg
from bcmlib.validation.findings import RULES, Finding
from tests.browser import open_page
from tests.conftest import TODAY, WritePlan
from tests.handbook_site import build, copy_project, page

HOUR = timedelta(hours=1)


def _chained(
    plan_data: dict[str, Any], *, rto: str = "12h", work: str = "3h", wms: str | None = "5h"
) -> dict[str, Any]:
    """出货 (RTO `rto`, WRT `work`) needs the dock (4h) and 拣货 (RTO 6h, WRT 1h), which needs WMS (`wms`)."""
    base = plan_data["processes"][0]
    plan_data["systems"] = [
        {"id": "wms", "name": "WMS", "primary": "主", "fallback": "纸单"}
        | ({"recovery_time": wms} if wms else {})
    ]
    plan_data["sites"] = [{"id": "dock", "name": "码头", "recovery_time": "4h"}]
    plan_data["processes"] = [
        {**base, "rto": rto, "work_recovery": work, "depends_on": {"processes": ["pick"], "sites": ["dock"]}},
        {
            **base,
            "id": "pick",
            "name": "拣货",
            "rto": "6h",
            "work_recovery": "1h",
            "depends_on": {"systems": ["wms"]},
        },
    ]
    return plan_data


def _load(data: dict[str, Any], write_plan: WritePlan) -> Plan:
    return load_plan(write_plan(data))


def _paths(chain: Chain) -> list[tuple[list[str], timedelta, bool]]:
    return [([ref.id for ref in path.items], path.known, path.broken) for path in chain.paths]


def _found(plan: Plan, code: str) -> list[Finding]:
    return [finding for finding in validate(plan, today=TODAY) if finding.code == code]


def test_each_path_adds_the_work_recovery_of_its_processes_and_the_time_at_its_end(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    found = chains(_load(_chained(plan_data), write_plan))
    ship = found["ship"]
    assert _paths(ship) == [(["ship", "dock"], 7 * HOUR, False), (["ship", "pick", "wms"], 9 * HOUR, False)]
    assert ship.longest.items[-1] == ItemRef("system", "wms")
    assert ship.longest.total == 9 * HOUR
    assert ship.verdict == "meets"  # the dock and 拣货 recover side by side: the longer path decides
    assert _paths(found["pick"]) == [(["pick", "wms"], 6 * HOUR, False)]
    assert found["pick"].verdict == "meets"  # exactly the RTO is in time


def test_a_process_without_a_work_recovery_time_counts_as_none(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _chained(plan_data)
    del data["processes"][0]["work_recovery"]
    assert chains(_load(data, write_plan))["ship"].longest.known == 6 * HOUR


def test_a_chain_longer_than_the_rto_is_an_error_though_every_link_is_shorter(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    plan = _load(_chained(plan_data, rto="8h"), write_plan)
    # Each link alone is in time: the dock (4h), WMS (5h), and 拣货's own RTO (6h), all under 8h.
    assert chains(plan)["ship"].verdict == "exceeds"
    (finding,) = _found(plan, "PRC004")
    assert finding.item == "processes/ship"
    assert finding.field == "processes[0].depends_on.processes[0]"  # where the path's first step is named
    assert "出货 → 拣货 → WMS" in finding.message("zh")
    assert "合计 9 小时" in finding.message("zh")
    assert "8 小时" in finding.message("zh")
    assert "totals 9 h to recover" in finding.message("en")
    assert "chain" in RULES["PRC004"].summary
    drawn = BeautifulSoup(chains_svg(plan, chains(plan), "en"), "html.parser")
    ship = next(
        node for node in drawn.select("g.node") if node.title and node.title.get_text() == "processes/ship"
    )
    assert [text.get_text() for text in ship.find_all("text")] == [
        "出货",
        "RTO 8 h · WRT 3 h",
        "exceeds its RTO",
    ]


def test_a_repeated_process_identifier_is_checked_at_its_own_place(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _chained(plan_data, rto="8h")
    alone = {**data["processes"][1], "depends_on": {}}
    data["processes"][:0] = [alone, alone]  # 拣货 three times (REF002), the last as 出货 needs it
    (finding,) = _found(_load(data, write_plan), "PRC004")
    assert finding.field == "processes[2].depends_on.processes[0]"


def test_a_chain_within_the_rto_is_no_finding(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    plan = _load(_chained(plan_data), write_plan)
    assert _found(plan, "PRC004") == []
    assert _found(plan, "DEP001") == []


def test_a_missing_recovery_time_breaks_the_chain_with_its_known_part(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    plan = _load(_chained(plan_data, wms=None), write_plan)
    ship = chains(plan)["ship"]
    assert _paths(ship) == [(["ship", "dock"], 7 * HOUR, False), (["ship", "pick", "wms"], 4 * HOUR, True)]
    assert ship.paths[1].total is None
    # The path through the dock is known and longer, yet the one through WMS could be longer still.
    assert ship.verdict == "unknown"
    assert _found(plan, "PRC004") == []
    (finding,) = _found(plan, "DEP001")
    assert (finding.item, finding.field) == ("systems/wms", "systems[0]")
    assert "「WMS」" in finding.message("zh")
    assert "出货、拣货" in finding.message("zh")  # every process whose chain it breaks
    assert "recovery_time" in finding.message("en")


def test_a_link_without_a_recovery_time_is_found_where_the_plan_lists_it(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _chained(plan_data, wms=None)
    twice = {"id": "erp", "name": "ERP", "primary": "主", "fallback": "Excel", "recovery_time": "1h"}
    data["systems"][:0] = [twice, twice]  # a repeated identifier (REF002) before it
    (finding,) = _found(_load(data, write_plan), "DEP001")
    assert (finding.item, finding.field) == ("systems/wms", "systems[2]")


def test_a_broken_chain_whose_known_part_already_exceeds_the_rto_is_an_error(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    data = _chained(plan_data, wms=None)
    data["processes"][1]["work_recovery"] = "12h"  # 拣货 alone takes longer than either RTO
    plan = _load(data, write_plan)
    assert chains(plan)["ship"].verdict == "exceeds"
    finding, _ = _found(plan, "PRC004")  # 出货's, then 拣货's own
    assert finding.item == "processes/ship"
    assert "出货 → 拣货 → WMS" in finding.message("zh")
    assert "合计至少 15 小时" in finding.message("zh")
    assert "totals at least 15 h to recover" in finding.message("en")


def test_a_cycle_ends_the_path_that_comes_back(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    base = plan_data["processes"][0]
    plan_data["processes"] = [
        {**base, "id": "a", "name": "甲", "work_recovery": "1h", "depends_on": {"processes": ["b"]}},
        {**base, "id": "b", "name": "乙", "work_recovery": "2h", "depends_on": {"processes": ["a", "b"]}},
    ]
    plan = _load(plan_data, write_plan)
    found = chains(plan)
    (path,) = found["a"].paths
    assert ([ref.id for ref in path.items], path.loop, path.total) == (
        ["a", "b"],
        ItemRef("process", "a"),
        3 * HOUR,
    )
    assert found["b"].paths[0].loop == ItemRef("process", "b")
    assert found["a"].verdict == "meets"
    assert _found(plan, "PRC004") == _found(plan, "DEP001") == []


def test_a_plan_with_more_paths_than_are_followed_ends_soon_and_says_so(
    plan_data: dict[str, Any], write_plan: WritePlan
) -> None:
    # Twelve floors of two processes, each needing both of the floor below: 4,096 paths from the top.
    base = plan_data["processes"][0]
    floors = 12
    plan_data["processes"] = [
        {
            **base,
            "id": f"p{floor}-{side}",
            "name": f"业务{floor}{side}",
            "depends_on": {"processes": [f"p{floor + 1}-a", f"p{floor + 1}-b"]} if floor < floors else {},
        }
        for floor in range(1, floors + 1)
        for side in "ab"
    ]
    plan = _load(plan_data, write_plan)
    started = time.monotonic()
    top = chains(plan)["p1-a"]
    assert time.monotonic() - started < 10
    assert (len(top.paths), top.cut, top.verdict) == (MAX_PATHS, True, "unknown")
    assert chains(plan)[f"p{floors - 2}-a"].cut is False  # 4 paths from the third floor from the bottom


HOSTILE = (
    "<script>window.__xss(1)</script> \"双\" '单' \\N \\l <b>粗</b> &amp; "
    "<<img src=x onerror=window.__xss(2)>>"
)
"""A name aimed at the SVG and at Graphviz: markup, quotes, Graphviz's escapes and an HTML-like label."""


def test_the_drawing_shows_hostile_names_as_their_text(company_plan: Plan) -> None:
    # Built in code, past the loader that keeps a name to one line: a line break in a label stays text too.
    systems = [s.model_copy(update={"name": HOSTILE + "\n第二行"}) for s in company_plan.systems]
    plan = company_plan.model_copy(update={"systems": systems})
    svg = BeautifulSoup(chains_svg(plan, chains(plan), "zh"), "html.parser")
    assert svg.find(["script", "b", "img", "a", "image"]) is None
    texts = [text.get_text() for text in svg.find_all("text")]
    assert HOSTILE in texts
    assert "第二行" in texts


def test_the_workflow_diagram_shares_the_escaping(company_plan: Plan) -> None:
    assert company_plan.incident_workflow is not None
    states = list(company_plan.incident_workflow.states)
    states[0] = states[0].model_copy(update={"name": "&amp; &lt;b&gt; \\N"})
    workflow = company_plan.incident_workflow.model_copy(update={"states": states})
    svg = BeautifulSoup(
        workflow_svg(company_plan.model_copy(update={"incident_workflow": workflow})), "html.parser"
    )
    assert "&amp; &lt;b&gt; \\N" in [text.get_text() for text in svg.find_all("text")]


def test_the_page_draws_every_process_and_what_it_needs(site: Path, company_plan: Plan) -> None:
    soup = page(site, "dependencies.html")
    figure = soup.select_one("figure.bcm-diagram svg")
    assert figure is not None
    # Graphviz titles each node's group with the node's own name, which is the item's qualified id.
    nodes = {
        node.title.get_text() if node.title else "": [text.get_text() for text in node.find_all("text")]
        for node in figure.select("g.node")
    }
    for process in company_plan.processes:
        assert nodes[f"processes/{process.id}"][0] == process.name
    # The company's plan gives no recovery time: each resource on a chain is drawn as having none.
    for ref in (
        "sites/warehouse",
        "suppliers/contract-manufacturer",
        "systems/lithera",
        "systems/bank-token",
    ):
        assert nodes[ref][-1].endswith("无恢复时间"), ref
    dashed = [node for node in figure.select("g.node") if node.select_one("[stroke-dasharray]")]
    assert len(dashed) == 6
    # Each process's section is where the processes page sends its reader.
    anchors = {
        str(link["href"]) for link in page(site, "processes.html").select("article a[href*='dependencies']")
    }
    assert anchors == {f"dependencies.html#chain-{process.id}" for process in company_plan.processes}
    for process in company_plan.processes:
        assert soup.find(id=f"chain-{process.id}") is not None


def test_the_page_lists_each_path_broken_ones_marked(site: Path) -> None:
    article = page(site, "dependencies.html").find("article")
    assert article is not None
    text = " ".join(article.get_text().split())
    assert "客户出货 → Lithera 平台 → Lithera 平台（系统，无恢复时间） 未知（已知部分 0 分钟） 未知" in text
    assert "派员任务执行 0 分钟 符合" in text  # needs nothing: a path of its own, its WRT (none) in time
    assert "仓库（场所）：客户出货、危化品仓储安全 的依赖链因此不完整" in text


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}])
def test_the_graph_fits_its_box_on_a_phone_and_a_desk(
    offline: BrowserContext, site: Path, viewport: dict[str, int]
) -> None:
    page_ = open_page(offline, site, "dependencies.html")
    page_.set_viewport_size({"width": viewport["width"], "height": viewport["height"]})
    assert page_.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    figure = page_.locator("figure.bcm-diagram")
    box = figure.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= viewport["width"]
    assert page_.locator("figure.bcm-diagram svg text", has_text="银行 U 盾").first.is_visible()
    # Too wide for a phone, the graph scrolls inside its box at a size its labels can be read at.
    font = page_.evaluate(
        "document.querySelector('figure.bcm-diagram svg text').getBoundingClientRect().height"
    )
    assert font >= 10


_CATCH = """
window.__hits = [];
window.__xss = n => window.__hits.push(n);
window.alert = window.confirm = window.prompt = () => window.__hits.push("dialog");
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The company's handbook, without PDFs, its Lithera system and warehouse named `HOSTILE`."""

    def rename(files: dict[str, dict[str, Any]]) -> None:
        for item in [*files["systems.yaml"]["systems"], *files["systems.yaml"]["sites"]]:
            if item["id"] in ("lithera", "warehouse"):
                item["name"] = f"{HOSTILE} {item['id']}"

    project = copy_project(tmp_path_factory.mktemp("hostile-chains") / "project", rename)
    site = project.parent / "site"
    result = build(project, site, BCM_PDF="false")
    assert result.returncode == 0, result.stderr
    return site


def test_a_hostile_name_in_the_graph_shows_literally_and_runs_nothing(
    offline: BrowserContext, hostile_site: Path
) -> None:
    page_ = offline.new_page()
    page_.add_init_script(_CATCH)
    page_.goto((hostile_site / "dependencies.html").as_uri())
    page_.wait_for_load_state("load")
    figure = page_.locator("figure.bcm-diagram")
    assert figure.locator("script, img, a, image, b").count() == 0
    assert f"{HOSTILE} lithera" in figure.inner_text()
    assert f"{HOSTILE} warehouse" in page_.locator("article").inner_text()  # in the paths' tables too
    address = page_.url
    for node in figure.locator("g.node").all():
        node.hover()
        node.click(force=True)
    assert page_.url == address
    assert page_.evaluate("window.__hits") == []


def test_the_page_s_pdf_draws_the_graph(site: Path, company_plan: Plan) -> None:
    pdf = site / "dependencies.pdf"
    sheets = ["".join(sheet.extract_text().split()) for sheet in pypdf.PdfReader(pdf).pages]
    assert sheets[0].startswith("依赖链")
    drawn = sheets[0]  # the graph, as text on the first sheet, before the paths' tables
    for name in [
        *(process.name for process in company_plan.processes),
        "仓库",
        "代工",
        "银行U盾",
        "微信",
        "邮件",
    ]:
        assert re.sub(r"\s", "", name) in drawn, name
    assert drawn.count("无恢复时间") >= 6
    assert "未知（已知部分0分钟）" in "".join(sheets)

"""The real handbook built from plan/: every page holds the seeds' values, and plan text is only text."""

import json
import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from bcmlib import Plan, load_plan, validate
from bcmlib.handbook import render_handbook
from bcmlib.handbook.search import dictionary_words
from bcmlib.i18n import Lang
from tests.conftest import REPO_URL, TODAY, WritePlan
from tests.handbook_site import RECOVERY_STEPS, ROOT, build, copy_project, page, rows


@pytest.mark.parametrize(
    "name",
    ["index.html", "organisation.html", "crisis-levels.html", "processes.html", "incident-flow.html",
     "forms.html", "plan-health.html"],
)  # fmt: skip
def test_every_page_is_built(site: Path, name: str) -> None:
    assert page(site, name).find("article") is not None


def test_processes_in_recovery_order_with_rto_and_rpo(site: Path, company_plan: Plan) -> None:
    table = rows(page(site, "processes.html"))
    assert table[0][:6] == ["#", "关键业务", "优先级", "RTO", "RPO", "MAO"]
    by_name = {row[1]: row for row in table[1:]}
    assert by_name["客户出货"][3:5] == ["24 小时", "4 小时"]
    assert [row[1] for row in table[1:]] == [
        "危化品仓储安全",
        "Lithera 平台",  # 客户响应 and 客户出货 depend on it: recovered before them, in their class
        "客户响应",
        "客户出货",
        "财务付款",
        "派员任务执行",
    ]
    assert len(table) - 1 == len(company_plan.processes)


def test_every_role_with_its_backups_in_order(site: Path, company_plan: Plan) -> None:
    table = {row[0]: row[1:] for row in rows(page(site, "organisation.html"))}
    for role in company_plan.roles:
        names = [company_plan.person(person).name for person in company_plan.holders(role)]
        assert [cell for cell in table[role.name] if cell != "—"] == names, role.id
    assert table["BCM 总指挥"][:2] == ["KC", "Charles"]
    assert table["总经理"][:3] == ["KC", "Charles", "Robert"]


def test_every_form_with_its_retention(site: Path, company_plan: Plan) -> None:
    shown = {"permanent": "永久", "while-current": "持续", "5y": "5 年"}
    table = [row[:3] for row in rows(page(site, "forms.html"))[1:]]
    assert table == [[form.number, form.name, shown[str(form.retention)]] for form in company_plan.forms]


def test_crisis_levels_with_reporting(site: Path) -> None:
    table = {row[0]: row for row in rows(page(site, "crisis-levels.html"))[1:]}
    assert table["II"][1:6] == [
        "较大危机",
        "部门主管（部门经理）：受影响关键业务的负责人",
        "最高管理者（总经理）：KC 计划中没有电话 → Charles 计划中没有电话 → Robert 计划中没有电话",
        "2 小时",
        "质量负责人：Robert 计划中没有电话 → KC 计划中没有电话 → 外聘技术顾问 计划中没有电话",
    ]


def test_the_site_and_its_footer_name_the_company(site: Path) -> None:
    home = page(site, "index.html")
    assert home.title is not None
    assert home.title.get_text() == "Lithera 业务连续性管理手册"
    footer = home.find(class_="md-copyright")
    assert footer is not None
    assert footer.get_text(" ", strip=True).startswith("Lithera · SOP-19 业务连续性管理程序")


def test_departments_with_their_heads(site: Path) -> None:
    table = {row[0]: row[1:] for row in rows(page(site, "organisation.html"))}
    assert table["管理部"][0] == "管理部负责人"
    assert table["采购认证部"][0] == "采购认证部负责人"


def test_each_generated_page_knows_the_yaml_file_it_comes_from(company_plan: Plan) -> None:
    report = validate(company_plan, today=date(2026, 11, 24))
    sources = {p.path: p.source for p in render_handbook(company_plan, report, date(2026, 11, 24))}
    assert sources["processes.md"] == ROOT / "plan" / "processes.yaml"
    assert sources["organisation.md"] == ROOT / "plan" / "roles.yaml"


_PAYLOADS = {
    "name": "<script>alert(1)</script>",
    "duty": "[x](javascript:alert(1))",
    "fallback": "<img src=x onerror=alert(1)>",
}


def _poison(files: dict[str, dict[str, Any]]) -> None:
    files["people.yaml"]["people"][0]["name"] = _PAYLOADS["name"]
    files["roles.yaml"]["roles"][0]["duties"] = [_PAYLOADS["duty"]]
    files["processes.yaml"]["processes"][0]["fallback"] = _PAYLOADS["fallback"]


def test_plan_text_is_escaped_wherever_it_lands(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", _poison)
    site = tmp_path / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr
    html = "".join(path.read_text(encoding="utf-8") for path in site.glob("*.html"))
    assert "<script>alert(1)</script>" not in html
    assert "<img src" not in html
    assert 'href="javascript:' not in html
    organisation = page(site, "organisation.html").get_text()
    assert _PAYLOADS["name"] in organisation
    assert _PAYLOADS["duty"] in organisation
    assert _PAYLOADS["fallback"] in page(site, "processes.html").get_text()


def test_a_broken_plan_stops_the_build_with_the_validator_s_messages(tmp_path: Path) -> None:
    def dangle(files: dict[str, dict[str, Any]]) -> None:
        files["roles.yaml"]["roles"][0]["backups"] = ["chalres"]

    project = copy_project(tmp_path / "project", dangle)
    site = tmp_path / "site"
    result = build(project, site)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "REF001" in output
    assert "roles.yaml:" in output
    assert "chalres" in output
    assert not site.exists()


def test_person_runbook_says_what_i_do(site: Path) -> None:
    soup = page(site, "runbooks/people/wang-jing.html")
    text = soup.get_text()
    title = soup.find("h1")
    assert title is not None
    assert title.get_text(strip=True) == "我是王婧：出事时我做什么"
    assert "资源调度：我不在时由 KC 接手" in text
    assert "财务 / 行政：我不在时由 KC、外包会计 接手" in text
    assert ["财务付款", "48 小时", "24 小时", "银行 U 盾备份 + 双签"] in rows(soup)
    assert "KC：计划中没有电话、邮件 kc@twcio.com" in text  # no number in the plan, said in plain words
    duties = [item.get_text(strip=True) for item in soup.select("#我的职责 + ul > li")]
    assert "人才危机进行预测（管理部负责人）" in duties
    assert len(duties) == len(set(duties))  # a role she holds and also carries is listed once


def test_role_runbook_has_holders_first_actions_and_reporting(site: Path) -> None:
    soup = page(site, "runbooks/roles/quality-head.html")
    table = rows(soup)
    assert table[:2] == [["主责人", "备援 1", "备援 2"], ["Robert", "KC", "外聘技术顾问"]]
    tasks = [item.get_text(" ", strip=True) for item in soup.select("li.task-list-item, article li")]
    assert any(task.startswith("启动 BCM") and "II/III 级时" in task for task in tasks)
    assert ["I 特别重大危机", "确认危机", "最高管理者（总经理）", "—"] in table
    commander = rows(page(site, "runbooks/roles/bcm-commander.html"))
    assert commander[1] == ["KC", "Charles"]


def test_search_index_finds_chinese_words_and_latin_names(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])

    def found(word: str) -> set[str]:
        return {
            doc["location"].split("#")[0]
            for doc in index["docs"]
            if word in (token.lower() for token in separator.split(f"{doc['title']} {doc['text']}"))
        }

    assert "processes.html" in found("出货")
    assert "organisation.html" in found("备援")
    assert "exercises.html" in found("演练")
    assert "organisation.html" in found("总指挥")
    assert "runbooks/people/wang-jing.html" in found("王婧")
    assert "runbooks/people/charles.html" in found("charles")
    assert "runbooks/people/kc.html" in found("kc")


def test_the_plan_s_names_segment_one_way_everywhere_in_the_search_index(
    site: Path, company_plan: Plan
) -> None:
    # Without the plan's jieba dictionary, 盛转红 was 盛转/红 on one page and 盛/转红 on another.
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = "\n".join(f"{doc['title']}\n{doc['text']}" for doc in index["docs"])
    roles = [name for role in company_plan.roles for name in [role.name, *role.aliases]]
    names = [
        *[person.name for person in company_plan.people],
        *roles,
        *[process.name for process in company_plan.processes],
        *[system.name for system in company_plan.systems],
        *[site.name for site in company_plan.sites],
    ]
    runs = {run for name in names for run in re.findall(r"[\u4e00-\u9fff]{2,}", name)}
    for run in runs:
        found = {match.replace("\u200b", "/") for match in re.findall("\u200b?".join(run), text)}
        assert len(found) <= 1, found
    assert "盛转红" in re.split("\u200b", text)


def test_the_search_dictionary_holds_the_words_jieba_does_not_know(company_plan: Plan, site: Path) -> None:
    words = dictionary_words(company_plan)
    assert {"盛转红", "王婧", "备援", "危化品"} <= set(words)
    # Words jieba knows stay apart, so 火灾 still finds 模拟仓库火灾.
    assert not {"模拟仓库火灾", "火灾", "仓库"} & set(words)
    assert not [path for path in site.rglob("*") if path.suffix == ".txt" and "jieba" in path.name]


def test_the_handbook_holds_none_of_the_tool_s_own_docs(site: Path) -> None:
    # The API reference and the coordinator's guide are this repository's docs (mkdocs.tool.yml), not
    # pages of a company's staff handbook.
    # Their home page aside: the handbook has its own index.html.
    tool_pages = {
        path.with_suffix(".html").name for path in (ROOT / "docs").glob("*.md") if path.stem != "index"
    }
    assert "reference.html" in tool_pages
    assert not [name for name in tool_pages if (site / name).exists()]
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not {doc["location"].split("#")[0] for doc in index["docs"]} & tool_pages
    assert "bcmlib.models" not in json.dumps(index, ensure_ascii=False)


def test_crisis_pages_rank_above_the_coordinator_s_in_search(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    boost = {doc["location"]: doc.get("boost", 1) for doc in index["docs"]}
    crisis = {boost[name] for name in ("index.html", "crisis-levels.html", "runbooks/people/kc.html")}
    coordinator = {boost[name] for name in ("dashboard.html", "plan-health.html", "coverage.html")}
    assert min(crisis) > 1 > max(coordinator)


def test_heading_anchors_are_readable_chinese(site: Path) -> None:
    ids = [str(tag["id"]) for tag in page(site, "processes.html").select("article h2[id]")]
    assert "客户出货" in ids
    assert not any(re.fullmatch(r"_\d+", anchor) for anchor in ids)


def test_the_built_pages_load_nothing_from_outside(site: Path) -> None:
    outside = set()
    for html in site.rglob("*.html"):
        for tag in page(site, str(html.relative_to(site))).select("script[src], link[href], img[src]"):
            url = tag.get("src") or tag.get("href")
            if re.match(r"(https?:)?//", str(url)):
                outside.add(url)
    assert outside == set()


@pytest.mark.parametrize("built", ["site", "stepped_site"])
def test_every_link_stays_inside_the_site_and_finds_its_page(
    request: pytest.FixtureRequest, built: str
) -> None:
    # Read from a NAS share with no internet, a link that leaves the site or misses its page is a dead end.
    # Phone and mail links dial out on purpose; the edit links go to the repository only when one is set.
    site: Path = request.getfixturevalue(built)
    broken = set()
    followed = 0
    for html in site.rglob("*.html"):
        for link in page(site, str(html.relative_to(site))).select("a[href]"):
            address = urlsplit(str(link["href"]))
            if address.scheme in ("tel", "mailto") or str(link["href"]).startswith(REPO_URL):
                continue
            target = (html.parent / unquote(address.path)).resolve()
            if address.scheme or address.netloc or not target.is_relative_to(site.resolve()):
                broken.add((str(html.relative_to(site)), str(link["href"])))
            elif address.path:
                followed += 1
                if not (target / "index.html" if target.is_dir() else target).is_file():
                    broken.add((str(html.relative_to(site)), str(link["href"])))
    assert broken == set()
    assert followed > 1000


def test_risk_register_with_heat_map(site: Path, company_plan: Plan) -> None:
    table = rows(page(site, "risks.html"))
    scenarios = {row[0]: row for row in table[1 : len(company_plan.risk_scenarios) + 1]}
    assert scenarios["关键人员失能"][3:5] == ["● 高", "5-10 年"]
    assert scenarios["系统故障"][3:5] == ["◐ 中", "6 个月"]
    heat = {row[0]: row[1:] for row in table if row and row[0] in ("● 高", "◐ 中", "○ 低")}
    assert heat["◐ 中"] == ["系统故障", "—", "物理灾害、公共卫生事件", "—"]


def test_backups_show_their_3_2_1_status(site: Path) -> None:
    text = page(site, "systems.html").get_text()
    assert "3 份（需 3 份）、2 种媒介（需 2 种）、1 处异地（需 1 处）： 符合 3-2-1" in text


def test_exercises_with_next_due_dates(site: Path) -> None:
    table = {row[0]: row for row in rows(page(site, "exercises.html"))}
    assert table["桌上演练"][1:] == ["6 个月", "1", "是", "2026-10-26"]
    assert table["不通知演练"][2] == "1–2"


def test_kpis_training_total_and_revisions(site: Path) -> None:
    table = {row[0]: row for row in rows(page(site, "governance.html"))}
    assert table["关键业务 RTO 达成率"][1] == "100%"
    assert table["合计"][1] == "20.0 小时"
    assert table["v2"][1] == "2026-04-29"
    assert table["RTO"][1:] == ["Recovery Time Objective", "最大恢复时间"]


def test_acronyms_have_tooltips_from_the_glossary(site: Path) -> None:
    abbreviations = page(site, "processes.html").select("article abbr")
    titles = {tag.get_text(): tag["title"] for tag in abbreviations}
    assert titles["RTO"] == "Recovery Time Objective 最大恢复时间"
    assert titles["RPO"] == "Recovery Point Objective 最大数据丢失容忍"


def test_edit_links_point_at_the_yaml_file_each_page_comes_from(tmp_path: Path) -> None:
    # A company's own hand-written page, in the docs folder and its nav, links to its Markdown file.
    project = copy_project(tmp_path / "project")
    (project / "pages" / "site-map.md").write_text("# 厂区平面图\n", encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("nav:\n  - 厂区平面图: site-map.md\n")
    site = tmp_path / "site"
    result = build(project, site, BCM_REPO_URL="https://git.example.com/acme/bcm")
    assert result.returncode == 0, result.stderr
    expected = {
        "processes.html": "plan/processes.yaml",
        "organisation.html": "plan/roles.yaml",
        "runbooks/people/wang-jing.html": "plan/people.yaml",
        "runbooks/roles/it-recovery.html": "plan/roles.yaml",
        "site-map.html": "pages/site-map.md",
    }
    for name, source in expected.items():
        edit = page(site, name).select_one("a.md-content__button[href*='/edit/']")
        assert edit is not None, name
        assert edit["href"] == f"https://git.example.com/acme/bcm/edit/main/{source}", name
    # After the generated pages, in a section of their own.
    nav = page(site, "index.html").select_one("nav.md-nav--primary")
    assert nav is not None
    assert "本公司的其他页面" in nav.get_text()


def test_the_strict_build_shows_no_warning(tmp_path: Path) -> None:
    result = build(ROOT, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr


def test_crisis_management_before_during_after_is_in_the_handbook(site: Path, company_plan: Plan) -> None:
    text = page(site, "crisis-levels.html").get_text()
    for phase in company_plan.crisis_management:
        assert phase.name in text
        for section in phase.sections:
            assert all(step in text for step in section.steps), section.ref


def test_processes_name_what_they_depend_on(site: Path) -> None:
    text = page(site, "processes.html").get_text()
    assert "依赖系统：微信、邮件" in text
    assert "依赖业务：Lithera 平台" in text


@pytest.mark.parametrize(
    ("lang", "written", "shown"),
    [("zh", "immediate", "即时"), ("zh", "6mo", "6 个月"), ("zh", "24h", "24 小时"), ("zh", "7d", "7 天"),
     ("zh", "2w", "2 周"), ("zh", "1y", "1 年"), ("zh", "1h30m", "1 小时 30 分钟"),
     ("en", "1h30m", "1 h 30 min"), ("en", "immediate", "immediate")],
)  # fmt: skip
def test_durations_read_in_the_page_s_language(
    plan_data: dict[str, Any], write_plan: WritePlan, lang: Lang, written: str, shown: str
) -> None:
    plan_data["processes"][0]["mao"] = written
    plan = load_plan(write_plan(plan_data))
    pages = {p.path: p.markdown for p in render_handbook(plan, validate(plan, today=TODAY), TODAY, lang)}
    assert f"/ {shown}\n" in pages["processes.md"]
    assert str(plan.processes[0].mao) == written  # the plan's own spelling, for YAML and the CLI


def test_processes_show_their_recovery_steps_and_who_holds_each_role_now(stepped_site: Path) -> None:
    soup = page(stepped_site, "processes.html")
    table = rows(soup)
    assert ["#", "步骤", "由谁做", "中断后多久内完成"] in table
    shipping = [
        ["1", "改由备援仓 stand-down 出货", "业务 / 仓储（现由 盛转红 担任）", "1 小时 30 分钟"],
        ["2", "通知受影响客户 kc@example.com", "现场指挥（现由 Robert 担任）", "即时"],
        ["3", "清点在途订单", "—", "—"],
    ]
    first = table.index(shipping[0])
    assert table[first : first + 3] == shipping
    without = len(soup.select("article h2")) - len(RECOVERY_STEPS)  # a section for each process
    assert soup.get_text().count("计划尚未写出本业务的恢复步骤（关键业务恢复计划表）。") == without


@pytest.mark.parametrize("name", ["roles/business-warehouse.html", "people/sheng-zhuanhong.html"])
def test_the_owner_s_runbooks_give_recovery_steps_in_recovery_order(stepped_site: Path, name: str) -> None:
    soup = page(stepped_site, f"runbooks/{name}")
    text, table, owner = soup.get_text(), rows(soup), "业务 / 仓储（现由 盛转红 担任）"
    hazmat = table.index(["1", "封锁危化品仓区", owner, "2 周"])
    shipping = table.index(["1", "改由备援仓 stand-down 出货", owner, "1 小时 30 分钟"])
    # 危化品仓储安全 is recovered first, though the plan lists it after 客户出货.
    assert hazmat < shipping
    assert text.index("危化品仓储安全的恢复步骤") < text.index("客户出货的恢复步骤")


def test_plan_health_names_plan_files_as_the_repository_does(site: Path, stepped_site: Path) -> None:
    where = [row[2] for row in rows(page(site, "plan-health.html"))[1:]]
    assert any(re.fullmatch(r"plan/processes\.yaml:\d+:\d+", place) for place in where)
    assert not [place for place in where if place.startswith("/")]
    assert page(site, "plan-health.html").select("article td a") == []  # no repository, no links
    links = page(stepped_site, "plan-health.html").select("article td a")
    shown = {link.get_text(): link["href"] for link in links}
    processes = [text for text in shown if text.startswith("plan/processes.yaml:")]
    assert processes
    assert shown[processes[0]] == f"{REPO_URL}/edit/main/plan/processes.yaml"


def test_no_file_in_the_site_names_the_folders_it_was_built_in(site: Path, stepped_site: Path) -> None:
    for folder, project in [(site, ROOT), (stepped_site, stepped_site.parent / "project")]:
        machine = [str(project).encode(), str(folder).encode()]
        # PDFs are compressed: test_handbook_pdf reads their text.
        files = [path for path in folder.rglob("*") if path.is_file() and path.suffix not in (".pdf", ".gz")]
        assert {path.suffix for path in files} >= {".html", ".js", ".json", ".xml"}
        leaks = [path for path in files if any(name in path.read_bytes() for name in machine)]
        assert leaks == []


@pytest.mark.parametrize("built", ["site", "stepped_site"])
def test_plan_text_shows_as_typed_without_escapes(request: pytest.FixtureRequest, built: str) -> None:
    folder: Path = request.getfixturevalue(built)
    escaped = re.compile(r".{0,20}\\[-/@.].{0,20}")
    found = []
    for html in folder.rglob("*.html"):
        for tag in page(folder, str(html.relative_to(folder))).select("title, nav, article"):
            found += [(html.name, text) for text in escaped.findall(tag.get_text())]
    index = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        text = BeautifulSoup(f"{doc['title']} {doc['text']}", "html.parser").get_text()
        found += [(doc["location"], text) for text in escaped.findall(text)]
    assert found == []
    flow = page(folder, "incident-flow.html").get_text()
    assert "解除：未构成危机" in flow
    assert "stand-down" not in flow  # triggers go by their names on a Chinese page, not their ids

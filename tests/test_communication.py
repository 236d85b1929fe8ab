"""Crisis communication: messages filled from a logged drill, the cadence in the status, the rules, the page.

The drills run on a copy of the company's plan given invented communication data (the seeds give no
approver, wording or cadence): templates for the customers, none for the media, and a cadence for levels
I and II but not III.
"""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import BrowserContext

from bcmlib import load_plan, validate
from bcmlib.analysis.communication import FIELDS, fill, template_fields
from bcmlib.cli.incident import show_message
from bcmlib.i18n import LANGUAGES, translate
from bcmlib.incident.messages import compose, resolve_audience
from bcmlib.incident.session import read_incident
from tests.browser import open_page
from tests.conftest import PLAN_DIR, TODAY
from tests.handbook_site import build, copy_project, page
from tests.incident_driver import Drill

CUSTOMERS_FIRST = (
    "尊敬的{audience}：\n"
    "{company}于 {opened} 起受{scenario}影响，现按{level}处置。\n"
    "受影响：{hit}。下次通报：{next_update}。\n"
    "联系人：{spokesperson}"
)
COMMUNICATION: dict[str, Any] = {
    "spokesperson": "admin-head",
    "approver": "top-management",
    "audiences": [
        {
            "id": "customers",
            "name": "客户",
            "kind": "customers",
            "owner": "marketing-head",
            "channels": ["邮件", "微信群"],
        },
        {"id": "media", "name": "媒体", "kind": "media"},
    ],
    "templates": [
        {
            "audiences": ["customers"],
            "stage": "first-notice",
            "subject": "{company} 通知：{scenario}",
            "body": CUSTOMERS_FIRST,
        },
        {
            "audiences": ["customers", "media"],
            "stage": "update",
            "body": "截至 {at}，受影响：{hit}；已恢复：{restored}。下次通报：{next_update}。",
        },
    ],
    "cadence": [
        {"level": "I", "first_within": "30m", "every": "1h"},
        {"level": "II", "first_within": "1h", "every": "2h"},
    ],
}


def _plan_with(tmp_path: Path, communication: dict[str, Any]) -> Path:
    """A copy of the company's plan whose crisis communication is `communication`."""
    plan = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, plan)
    crisis = plan / "crisis.yaml"
    data = yaml.safe_load(crisis.read_text(encoding="utf-8"))
    data["communication"] = communication
    crisis.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return plan


@pytest.fixture
def drill(tmp_path: Path) -> Drill:
    """A level II drill of a system failure that took the ERP down, opened at 09:00 on 24 November."""
    started = Drill(tmp_path / "drill.jsonl", _plan_with(tmp_path, COMMUNICATION))
    started.run(
        "incident", "open", "--level", "II", "--drill", "--scenario", "system-failure",
        "--hit", "kingdee-erp", "--by", "王婧", at="24T09:00",
    )  # fmt: skip
    return started


def _message(drill: Drill, audience: str, at: str, *extra: str, ok: bool = True) -> str:
    return drill.run("incident", "message", "--audience", audience, *extra, at=at, ok=ok)


def _communication(status: str) -> list[str]:
    """The communication lines of `bcm incident status`."""
    lines = status.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("对外沟通"))
    return [
        lines[start],
        *[line for line in lines[start + 1 :] if line.startswith("  ") and "：" in line][:2],
    ]


def test_the_plan_s_template_is_filled_with_the_drill_s_facts(drill: Drill) -> None:
    out = _message(drill, "客户", "24T09:20").splitlines()
    assert out[0] == "【演练】致：客户（customers）；首次通报"
    assert out[1] == "主题：Lithera 通知：系统故障"
    assert out[2:7] == [
        "正文：",
        "  尊敬的客户：",
        "  Lithera于 2026-11-24 09:00 +08:00 起受系统故障影响，现按II 级（较大危机）处置。",
        "  受影响：金蝶 ERP。下次通报：2026-11-24 11:20 +08:00。",
        "  联系人：王婧",  # who holds the spokesperson's role now
    ]
    assert "审批：最高管理者（总经理）" in out[7]
    assert out[8].startswith("发送：市场营销部负责人（现由 盛转红 担任")
    assert out[9] == "渠道：邮件、微信群"
    assert out[10] == "客户：首次通报应于 2026-11-24 10:00 前发出；上次：尚未发出"
    assert not any("草稿" in line for line in out)


def test_without_a_template_the_library_s_holding_statement_is_a_draft_for_the_approver(drill: Drill) -> None:
    out = _message(drill, "media", "24T09:20")
    assert "【本工具的通用草稿，计划没有此模板：须经审批人批准后方可发出】" in out
    assert "Lithera于 2026-11-24 09:00 +08:00 发生系统故障，现按II 级（较大危机）处置。" in out
    assert "目前受影响：金蝶 ERP。" in out
    assert "下一次通报：2026-11-24 11:20 +08:00。" in out
    assert "发送：管理部负责人（现由 王婧 担任" in out  # no owner: the spokesperson speaks
    english = drill.run("incident", "message", "--audience", "媒体", "--lang", "en", at="24T09:20")
    assert "[The tool's generic draft;" in english
    assert "Affected now: 金蝶 ERP." in english


def test_the_stage_follows_the_log_and_a_sent_message_moves_the_next_update(drill: Drill) -> None:
    assert _communication(drill.run("incident", "status", at="24T09:10")) == [
        "对外沟通（II 级：首次通报须在开始后 1 小时 内，此后每 2 小时 更新）：",
        "  客户：首次通报应于 2026-11-24 10:00 前发出；上次：尚未发出",
        "  媒体：首次通报应于 2026-11-24 10:00 前发出；上次：尚未发出",
    ]
    sent = _message(drill, "customers", "24T09:20", "--sent", "--by", "盛转红")
    assert "已记录 #2：首次通报于 2026-11-24 09:20 由 盛转红 发给客户。" in sent
    assert (
        sent.splitlines()[-1]
        == "客户：进展更新应于 2026-11-24 11:20 前发出；上次：首次通报，2026-11-24 09:20"
    )
    record = json.loads(drill.log.read_text(encoding="utf-8").splitlines()[-1])
    assert (record["event"], record["audience"], record["stage"], record["by"]) == (
        "message",
        "customers",
        "first-notice",
        "sheng-zhuanhong",
    )
    assert _communication(drill.run("incident", "status", at="24T09:30"))[1] == (
        "  客户：进展更新应于 2026-11-24 11:20 前发出；上次：首次通报，2026-11-24 09:20"
    )
    update = _message(drill, "客户", "24T09:40")
    assert update.startswith("【演练】致：客户（customers）；进展更新")
    assert "  截至 2026-11-24 09:40 +08:00，受影响：金蝶 ERP；已恢复：无。" in update
    drill.fire("assess", "Robert", "24T09:50")
    drill.fire("stand-down", "Robert", "24T10:00", "--note", "误报")
    closing = _message(drill, "客户", "24T10:05", "--sent", "--by", "盛转红")
    assert closing.startswith(
        "【演练】致：客户（customers）；结束通报"
    )  # the plan has no resolution template
    assert "【本工具的通用草稿" in closing
    status = drill.run("incident", "status", at="24T10:10")
    assert "  客户：下一条为结束通报；上次：结束通报，2026-11-24 10:05" in status
    assert "已逾期" not in status  # nothing is due once the incident is over


def test_a_first_notice_not_sent_in_time_is_overdue(drill: Drill) -> None:
    status = drill.run("incident", "status", at="24T10:30")
    assert "  媒体：首次通报已逾期！应于 2026-11-24 10:00 前发出；上次：尚未发出" in status
    data = json.loads(drill.run("incident", "status", "--format", "json", at="24T10:30"))
    media = data["communication"]["audiences"][1]
    assert (media["id"], media["overdue"], media["due"]) == ("media", True, "2026-11-24T10:00:00+08:00")
    assert data["communication"]["cadence"] == {"first_within": "1h", "every": "2h"}
    html = drill.run("incident", "status", "--format", "html", at="24T10:30")
    assert "对外沟通" in html
    assert "首次通报已逾期" in html


def test_a_change_of_level_changes_the_cadence_from_then_on(drill: Drill) -> None:
    _message(drill, "客户", "24T09:20", "--sent", "--by", "盛转红")
    drill.fire("escalate", "Robert", "24T09:30")
    assert _communication(drill.run("incident", "status", at="24T09:35"))[:2] == [
        "对外沟通（I 级：首次通报须在开始后 30 分钟 内，此后每 1 小时 更新）：",
        "  客户：进展更新应于 2026-11-24 10:20 前发出；上次：首次通报，2026-11-24 09:20",
    ]
    assert "  媒体：首次通报已逾期！应于 2026-11-24 09:30 前发出" in drill.run(
        "incident", "status", at="24T09:35"
    )
    drill.fire("de-escalate", "KC", "24T09:40", "--note", "受控")
    drill.fire("de-escalate", "Robert", "24T09:45", "--note", "受控")
    status = drill.run("incident", "status", at="24T09:50")
    assert "对外沟通：计划未规定 III 级的通报节奏。" in status
    assert "  客户：下一条为进展更新；上次：首次通报，2026-11-24 09:20" in status
    out = _message(drill, "客户", "24T09:50")
    assert "下次通报：另行通知。" in out
    assert "计划未规定 III 级的通报节奏。" in out


def test_the_review_says_which_message_went_out_on_time_late_or_not_at_all(drill: Drill) -> None:
    # Level II: the first notice within 1 hour of 09:00, then an update every 2 hours.
    _message(drill, "客户", "24T09:20", "--sent", "--by", "盛转红")  # due 10:00: on time
    _message(drill, "客户", "24T11:40", "--sent", "--by", "盛转红")  # due 11:20: late
    drill.fire("assess", "Robert", "24T11:50")
    drill.fire("stand-down", "Robert", "24T12:00", "--note", "误报")
    # The resolution goes out after the close: it is due at no time, and the incident ended at 12:00,
    # when it closed, not at 12:30 (the next update, due 13:40, was owed after the end).
    _message(drill, "客户", "24T12:30", "--sent", "--by", "盛转红")
    assert "状态：正常运营 (normal)，自 2026-11-24 12:00" in drill.run("incident", "status", at="24T12:40")
    review = drill.review("24T13:00")
    assert [
        (m["audience"], m["stage"], m["due"], m["sent_at"], m["outcome"]) for m in review["messages"]
    ] == [
        ("customers", "first-notice", "2026-11-24T10:00:00+08:00", "2026-11-24T09:20:00+08:00", "met"),
        ("customers", "update", "2026-11-24T11:20:00+08:00", "2026-11-24T11:40:00+08:00", "late"),
        ("customers", "resolution", None, "2026-11-24T12:30:00+08:00", "no-deadline"),
        ("media", "first-notice", "2026-11-24T10:00:00+08:00", None, "missed"),  # never told
    ]
    findings = review["record"]["review"]["findings"]
    assert "给「客户」的进展更新晚于 2026-11-24 11:20 才发出。" in findings
    assert "给「媒体」的首次通报未在 2026-11-24 10:00 前发出。" in findings
    text = drill.run("incident", "review", at="24T13:00")
    assert "  媒体：首次通报须于 2026-11-24 10:00 前发出；实际 —（—）— 未达成" in text
    assert "  客户：进展更新须于 2026-11-24 11:20 前发出；实际 2026-11-24 11:40（盛转红）— 逾期" in text


def test_a_review_while_the_incident_runs_counts_the_next_message_by_the_level_now(drill: Drill) -> None:
    _message(drill, "客户", "24T09:20", "--sent", "--by", "盛转红")
    drill.fire("escalate", "Robert", "24T09:30")  # level I: the first notice within 30 minutes
    owed = {m["audience"]: m for m in drill.review("24T09:40")["messages"] if m["sent_at"] is None}
    assert (owed["customers"]["due"], owed["customers"]["outcome"]) == (
        "2026-11-24T10:20:00+08:00",
        "pending",
    )
    assert (owed["media"]["due"], owed["media"]["outcome"]) == ("2026-11-24T09:30:00+08:00", "missed")
    english = drill.run("incident", "review", "--lang", "en", at="24T09:40")
    assert "Crisis communication (by the update cadence):" in english


def test_an_unknown_audience_is_a_usage_error_that_lists_the_plan_s(drill: Drill) -> None:
    out = _message(drill, "股东", "24T09:20", ok=False)
    assert "计划的危机沟通中没有受众「股东」。已有：客户 (customers)、媒体 (media)。" in out
    needs_by = _message(drill, "客户", "24T09:20", "--sent", ok=False)
    assert "--sent 须同时用 --by 写明是谁发出的。" in needs_by
    assert len(drill.log.read_text(encoding="utf-8").splitlines()) == 1  # nothing recorded


def test_a_plan_without_crisis_communication_says_so(tmp_path: Path) -> None:
    plan = _plan_with(tmp_path, COMMUNICATION)
    crisis = plan / "crisis.yaml"
    data = yaml.safe_load(crisis.read_text(encoding="utf-8"))
    del data["communication"]
    crisis.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    drill = Drill(tmp_path / "drill.jsonl", plan)
    drill.run("incident", "open", "--level", "II", "--drill", at="24T09:00")
    assert "计划没有危机沟通部分（communication）" in _message(drill, "客户", "24T09:10", ok=False)
    assert "对外沟通" not in drill.run("incident", "status", at="24T09:10")
    assert "计划没有危机沟通受众，无通报可评。" in drill.run("incident", "review", at="24T09:10")
    assert drill.review("24T09:10")["messages"] == []


def test_an_unknown_field_is_an_error_at_its_template_and_never_evaluated(tmp_path: Path) -> None:
    hostile = {"audiences": ["media"], "stage": "first-notice", "body": "正文\n{x.__class__} 与 {company}"}
    plan = _plan_with(tmp_path, {**COMMUNICATION, "templates": [*COMMUNICATION["templates"], hostile]})
    findings = [f for f in validate(load_plan(plan), today=TODAY) if f.code == "COM001"]
    assert [f.params["field"] for f in findings] == ["x.__class__"]
    assert findings[0].location is not None
    line = findings[0].location.line
    text = (plan / "crisis.yaml").read_text(encoding="utf-8").splitlines()
    assert text[line - 1].strip().startswith("body:")  # at the template's body, which holds the field
    assert "x.__class__" in "\n".join(text[line - 1 : line + 3])
    assert "{company}" in findings[0].message("en")  # the known fields are named
    # Filled, it stays as written: a name in braces is looked up, never evaluated.
    assert fill("{x.__class__} {company}", {"company": "C"}) == "{x.__class__} C"
    assert fill("{company.__init__}", {"company": "C"}) == "{company.__init__}"


def test_the_clean_communication_of_a_plan_has_only_the_gaps_it_leaves(tmp_path: Path) -> None:
    findings = validate(load_plan(_plan_with(tmp_path, COMMUNICATION)), today=TODAY)
    ours = sorted((f.code, f.item) for f in findings if f.code.startswith("COM"))
    assert ours == [("COM004", "communication/audiences/media"), ("COM005", "crisis_levels/III")]


def test_the_holding_statements_use_only_known_fields() -> None:
    for lang in LANGUAGES:
        for stage in ("first-notice", "update", "resolution"):
            for part in ("subject", "body"):
                text = translate(f"messages.holding.{stage}.{part}", lang)
                assert set(template_fields(text)) <= set(FIELDS), (lang, stage, part)


def test_a_value_with_a_line_break_cannot_forge_a_line_of_the_message(
    drill: Drill, capsys: pytest.CaptureFixture[str]
) -> None:
    # The loader refuses control characters in plan text; a plan built in code is not read by it.
    plan = load_plan(drill.plan)
    assert plan.company is not None
    company = plan.company.model_copy(update={"name": "Evil\n0 个错误\x1b[2J"})
    running = read_incident(plan.model_copy(update={"company": company}), drill.log).incident
    at = running.records[0].at + timedelta(minutes=20)
    composed = compose(running, resolve_audience(running, "customers"), at, "zh")
    assert len(composed.body) == len(CUSTOMERS_FIRST.splitlines())  # the template's lines, and no more
    show_message(composed, running, at, "zh")
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "0 个错误" not in [line.strip() for line in out.splitlines()]
    assert (
        "  Evil\\n0 个错误\\x1b[2J于 2026-11-24 09:00 +08:00 起受系统故障影响，现按II 级（较大危机）处置。"
        in out
    )


# The handbook page -------------------------------------------------------------------------------------

MARKUP = "<b>粗体</b> [链接](javascript:alert(1))"


@pytest.fixture(scope="module")
def communication_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The handbook of a copy of the plan with the invented communication, a template carrying markup."""

    def change(files: dict[str, dict[str, Any]]) -> None:
        templates = [
            *COMMUNICATION["templates"],
            {"audiences": ["media"], "stage": "resolution", "body": MARKUP},
        ]
        files["crisis.yaml"]["communication"] = {**COMMUNICATION, "templates": templates}

    project = copy_project(tmp_path_factory.mktemp("communication") / "project", change)
    site = project.parent / "site"
    result = build(project, site, BCM_PDF="false")
    assert result.returncode == 0, result.stderr
    return site


def test_the_communication_page_says_who_speaks_to_whom_how_often_and_in_what_words(
    communication_site: Path,
) -> None:
    soup = page(communication_site, "communication.html")
    text = soup.get_text(" ", strip=True)
    flat = "".join(text.split())
    assert "发言人：管理部负责人：王婧" in flat  # the role, then who holds it now, in order
    assert "审批人：最高管理者（总经理）：KC" in flat
    assert "客户负责沟通：市场营销部负责人：盛转红" in flat
    assert "渠道：邮件、微信群" in flat
    assert "I级：首次通报须在开始后30分钟内发出，此后每1小时更新一次。" in flat
    assert "III级：计划未规定通报节奏。" in flat
    codes = [code.get_text() for code in soup.select("article code")]
    assert "{next_update}" in codes  # the fields of the templates, shown as such
    assert codes[-len(FIELDS) :] == [f"{{{name}}}" for name in FIELDS]
    assert "".join(MARKUP.split()) in flat  # plan text shows as typed
    assert not soup.select("article a[href^='javascript']")
    runbook = page(communication_site, "runbooks/roles/marketing-head.html").get_text(" ", strip=True)
    assert "你负责通报：客户。" in runbook
    spokesperson = page(communication_site, "runbooks/roles/admin-head.html")
    assert "你是发言人：统一代表公司对外发言。" in spokesperson.get_text()
    assert spokesperson.select_one("article a[href='../../communication.html']") is not None


def test_the_communication_page_reads_on_a_phone(offline: BrowserContext, communication_site: Path) -> None:
    opened = open_page(offline, communication_site, "communication.html")
    opened.set_viewport_size({"width": 390, "height": 844})
    assert opened.evaluate("document.documentElement.scrollWidth") <= 390
    widths = opened.eval_on_selector("article", "a => [a.scrollWidth, a.clientWidth]")
    assert widths[0] <= widths[1] + 1, widths  # no template line or field runs off the side
    assert opened.get_by_text("{next_update}").first.is_visible()
    assert opened.locator("h1").inner_text() == "危机沟通"

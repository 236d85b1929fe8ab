"""What a BCM practitioner saw go wrong in three drills, each as a test (issue 11, "What was seen")."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from bcmlib import Plan
from bcmlib.cli import cli
from bcmlib.clock import AS_OF
from bcmlib.handbook.build import prepare_handbook
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.log import LogRecord
from bcmlib.incident.review import Action, review_incident
from bcmlib.incident.workflow import Attempt, Incident
from bcmlib.models import AfterActionReview, ExerciseRecord, ProcessResult
from bcmlib.models.values import Duration
from bcmlib.monitoring.kpis import kpi_value
from tests.conftest import PLAN_DIR
from tests.incident_driver import START


def _at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def _open(plan: Plan, level: str, *hit: str, by: str | None = "sheng-zhuanhong") -> Incident:
    incident = Incident(plan)
    incident.fire(Attempt("alert", by, START, level=level, processes=hit))
    return incident


def _bcm(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, "--plan", str(PLAN_DIR)])
    return result.exit_code, result.stdout, result.stderr


# 1. It stops working on a date ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2027-06-01T10:00:00+08:00", "2031-01-01T10:00:00+08:00"])
def test_expired_waivers_never_stop_an_incident_command(
    day: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(AS_OF, day)
    log = str(tmp_path / "fire.jsonl")
    code, out, err = _bcm("incident", "open", "--level", "Ⅱ", "--hit", "仓库", "--log", log)
    assert code == 0, err
    assert "WAI001" in err
    assert err.count("\n") == 1  # one warning line, and the command ran
    assert "危化品仓储安全" in out
    for args in (("who-is-in-charge",), ("recovery-order", "--hit", "warehouse")):
        code, _, err = _bcm(*args)
        assert code == 0, err
    # The maintainers' gate still fails on them.
    assert CliRunner().invoke(cli, ["check", str(PLAN_DIR)]).exit_code == 1


def test_an_unusable_plan_is_still_refused_naming_what_is_broken(tmp_path: Path) -> None:
    broken = tmp_path / "plan"
    broken.mkdir()
    for source in PLAN_DIR.glob("*.yaml"):
        text = source.read_text(encoding="utf-8")
        (broken / source.name).write_text(text.replace("backups: [charles]", "backups: [chalres]"), "utf-8")
    result = CliRunner().invoke(cli, ["who-is-in-charge", "--plan", str(broken)])
    assert result.exit_code == 1
    assert "REF001" in result.stderr


def test_the_handbook_builds_after_the_waivers_expire() -> None:
    handbook = prepare_handbook(PLAN_DIR, date(2031, 1, 1))
    assert any(page.path == "plan-health.md" for page in handbook.pages)


# 2. Escalating erases the duty to report -----------------------------------------------------------------


def test_an_owed_report_survives_escalation_and_stand_down(company_plan: Plan) -> None:
    incident = _open(company_plan, "II", by=None)
    incident.fire(Attempt("assess", "robert", _at(5)))
    incident.fire(Attempt("escalate", "robert", _at(119)))
    incident.fire(Attempt("stand-down", "kc", _at(130), note="误报"))
    review = review_incident(incident, _at(24 * 60))
    assert [(r.duty.level.id, r.outcome) for r in review.reports] == [("II", "missed"), ("I", "no-deadline")]
    assert review.record.review is not None
    assert any("II 级" in finding for finding in review.record.review.findings)


# 3. Reporting to oneself; a de-escalation by the recipient -----------------------------------------------


def test_a_report_to_oneself_goes_up_the_chain(company_plan: Plan) -> None:
    incident = _open(company_plan, "III", "customer-shipping")
    incident.fire(Attempt("assess", "robert", _at(5)))
    record = incident.fire(Attempt("report", "robert", _at(10)))
    assert record.recipient == "kc"  # the 质量负责人 is the Ⅲ recipient himself: it goes to the top manager


def test_a_de_escalation_by_the_recipient_owes_nothing(company_plan: Plan) -> None:
    incident = _open(company_plan, "I", by="robert")
    incident.fire(Attempt("de-escalate", "kc", _at(20), note="已控制"))
    duties = incident.reports()
    assert [(d.level.id, d.outcome(_at(24 * 60))) for d in duties] == [
        ("I", "no-deadline"),
        ("II", "not-owed"),
    ]
    assert not review_incident(incident, _at(24 * 60)).record.review.findings  # type: ignore[union-attr]


# 4. Level I stood down by the wrong person with hazmat still down ----------------------------------------


def test_level_one_is_stood_down_by_its_decider_with_a_reason_for_what_is_down(company_plan: Plan) -> None:
    incident = _open(company_plan, "I", "hazmat-storage-safety")
    incident.fire(Attempt("assess", "robert", _at(5)))
    with pytest.raises(IncidentError) as refused:
        incident.fire(Attempt("stand-down", "robert", _at(10), note="没事"))
    assert refused.value.msg.key == "incident.not_authorised"
    record = incident.fire(Attempt("stand-down", "kc", _at(10), note="仓库确认无泄漏"))
    assert record.processes == ["hazmat-storage-safety"]
    review = review_incident(incident, _at(60))
    assert [item.outcome for item in review.processes] == ["not-restored"]


# 5. Restoring a dependent while its dependency is down warns ---------------------------------------------


def test_restoring_what_depends_on_a_system_still_down_warns(company_plan: Plan) -> None:
    incident = _open(company_plan, "III", "systems/lithera", "lithera-platform")
    incident.fire(Attempt("restore-process", "robert", _at(30), processes=("lithera-platform",)))
    assert [notice.key for notice in incident.notices] == ["incident.dependency_down"]


# 6. The RTO KPI can be fooled ----------------------------------------------------------------------------


def test_the_rto_kpi_counts_every_result_and_a_never_restored_process_as_a_miss(company_plan: Plan) -> None:
    def record(day: int, drill: bool, results: list[ProcessResult]) -> ExerciseRecord:
        return ExerciseRecord(
            id=f"r{day}", date=date(2026, 3, day), drill=drill, review=AfterActionReview(results=results)
        )

    records = [
        record(1, False, [ProcessResult(process="payments", rto_actual=Duration.of(timedelta(hours=60)))]),
        record(2, False, [ProcessResult(process="customer-shipping", restored=False)]),
        record(3, True, [ProcessResult(process="payments", rto_actual=Duration.of(timedelta(hours=1)))]),
        record(
            4, True, [ProcessResult(process="customer-shipping", rto_actual=Duration.of(timedelta(hours=2)))]
        ),
    ]
    plan = company_plan.model_copy(
        update={"exercises": company_plan.exercises.model_copy(update={"records": records})}
    )
    kpi = next(kpi for kpi in plan.kpis if kpi.id == "rto-achievement")
    value = kpi_value(plan, kpi, date(2026, 12, 1))
    assert (value.met, value.total) == (2, 4)  # not 100%: the drills do not erase the real misses
    assert value.breakdown is not None
    assert value.breakdown.params == {"real_met": 0, "real": 2, "drill_met": 2, "drills": 2}


# 7. One wrong --at; after the fact; restore before recovery ----------------------------------------------


def test_a_fallback_restores_a_process_before_recovery_starts(company_plan: Plan) -> None:
    incident = _open(company_plan, "II", "customer-response")
    incident.fire(Attempt("assess", "robert", _at(5)))
    incident.fire(Attempt("restore-process", "sheng-zhuanhong", _at(20), processes=("customer-response",)))
    assert incident.restored == {"customer-response": _at(20)}


# 8. Two responders, one log ------------------------------------------------------------------------------


def test_a_sequence_clash_keeps_both_records_and_is_named(company_plan: Plan) -> None:
    incident = _open(company_plan, "II")
    incident.fire(Attempt("assess", "robert", _at(5)))
    incident.fire(Attempt("report", "robert", _at(6)))
    first = incident.fire(Attempt("activate", "kc", _at(10)))
    second = first.model_copy(update={"by": "robert", "acting_as": "quality-head", "at": _at(11)})
    rebuilt = Incident(company_plan, [*incident.records, second])
    assert rebuilt.clashes == [first.seq]
    assert rebuilt.state == "activated"
    after = rebuilt.fire(Attempt("mobilise", "kc", _at(12)))
    assert after.seq == first.seq + 1
    assert rebuilt.status(_at(13)).clashes == (first.seq,)


# 9. Authority gaps ---------------------------------------------------------------------------------------


def test_the_department_head_is_the_owner_of_a_hit_process(company_plan: Plan) -> None:
    incident = _open(company_plan, "III", "customer-shipping", by=None)
    record = incident.fire(Attempt("assess", "sheng-zhuanhong", _at(5)))
    assert record.acting_as == "business-warehouse"


def test_only_the_bcm_organisation_or_the_person_marks_people_out_and_back(company_plan: Plan) -> None:
    incident = _open(company_plan, "II")
    with pytest.raises(IncidentError) as refused:
        incident.mark(["kc"], available=False, by="outsourced-accountant", at=_at(5))
    assert refused.value.msg.key == "incident.mark_not_authorised"
    incident.mark(["kc"], available=False, by="robert", at=_at(5))
    incident.mark(["kc"], available=True, by="kc", at=_at(60))  # back, and says so themself
    assert incident.unavailable(_at(61)) == set()


def test_with_every_chain_out_someone_still_takes_command(company_plan: Plan) -> None:
    incident = _open(company_plan, "I", "customer-shipping", by=None)
    incident.mark(["kc", "charles", "robert"], available=False, by="sheng-zhuanhong", at=_at(1))
    incident.fire(Attempt("assess", "external-tech-consultant", _at(2)))
    incident.fire(Attempt("report", "external-tech-consultant", _at(3)))
    # The top manager's chain and the BCM commander's are all out, and so is the decision chain:
    # the BCM organisation in the plan's order gives the field commander's backup.
    record = incident.fire(Attempt("activate", "sheng-zhuanhong", _at(4)))
    assert record.fallback == "bcm-organisation"
    status = incident.status(_at(5))
    assert (status.commander.person, status.commander.fallback) == ("sheng-zhuanhong", "bcm-organisation")
    assert [held.person for held in status.outsiders] == ["external-tech-consultant"]
    assert any(overload.person == "sheng-zhuanhong" for overload in status.overloads)


# 10. Status and review -----------------------------------------------------------------------------------


def test_status_marks_what_is_overdue_and_names_the_recipient(company_plan: Plan) -> None:
    incident = _open(company_plan, "II", "hazmat-storage-safety", by=None)
    incident.mark(["kc"], available=False, by="robert", at=_at(1))
    status = incident.status(_at(180))
    (report,) = status.reports
    assert (report.outcome, report.recipient_now) == ("missed", "charles")
    assert [(state.item.id, state.late) for state in status.recovery] == [("hazmat-storage-safety", True)]
    assert status.overdue
    assert [access.opens_at for access in status.accesses if access.opens_at] == [_at(1) + timedelta(days=7)]
    data = status.as_data()
    assert data["reports"][0]["recipient"] == {"id": "charles", "name": "Charles"}


def test_the_review_has_rpo_levels_coordination_actions_and_every_backup_used(company_plan: Plan) -> None:
    incident = _open(company_plan, "III", "lithera-platform", by=None)
    incident.mark(["kc"], available=False, by="robert", at=_at(1))
    incident.fire(Attempt("escalate", "robert", _at(10)))
    restore = Attempt("restore-process", "robert", _at(100), processes=("lithera-platform",))
    restore.data_as_of = _at(-30)
    incident.fire(restore)
    review = review_incident(
        incident, _at(200), coordination="顺畅", actions=[Action("补充备援", "robert", date(2027, 1, 31))]
    )
    items = {item.key: item for item in review.processes}
    assert (items["lithera-platform"].actual_text, items["lithera-platform"].rpo_actual_text) == (
        "1h40m",
        "30m",
    )
    assert [stretch.level.id for stretch in review.timeline] == ["III", "II"]
    assert review.highest_level == "II"
    record = review.record.review
    assert record is not None
    assert record.coordination == "顺畅"
    assert [(a.owner, a.due) for a in record.actions] == [("robert", date(2027, 1, 31))]
    assert "蔡坤旺律师" in (record.backup_availability or "")  # 对外联络 passed to the counsel


# 11. CLI friction ----------------------------------------------------------------------------------------


def test_every_argument_takes_a_name(tmp_path: Path) -> None:
    log = str(tmp_path / "drill.jsonl")
    code, _, err = _bcm(
        "incident", "open", "--level", "Ⅱ", "--scenario", "系统故障", "--drill", "--kind", "桌上演练",
        "--hit", "客户响应", "--at", "2026-11-24T09:00+08:00", "--log", log,
    )  # fmt: skip
    assert code == 0, err
    code, _, err = _bcm(
        "incident", "fire", "开始确认危机", "--by", "Robert", "--at", "2026-11-24T09:05+08:00", "--log", log
    )
    assert code == 0, err
    first = LogRecord.model_validate_json(Path(log).read_text(encoding="utf-8").splitlines()[0])
    assert (first.level, first.scenario, first.exercise_kind, first.processes) == (
        "II", "system-failure", "tabletop", ["customer-response"],
    )  # fmt: skip
    code, _, err = _bcm(
        "incident", "open", "--level", "II", "--scenario", "meteor", "--log", str(tmp_path / "x")
    )
    assert code == 1
    assert "系统故障 (system-failure)" in err


def test_the_review_goes_into_the_plan_keeping_its_comments(tmp_path: Path) -> None:
    log = str(tmp_path / "drill.jsonl")
    assert (
        _bcm("incident", "open", "--level", "III", "--drill", "--at", "2026-11-24T09:00+08:00", "--log", log)[
            0
        ]
        == 0
    )
    plan = tmp_path / "exercises.yaml"
    original = (PLAN_DIR / "exercises.yaml").read_text(encoding="utf-8")
    plan.write_text(original, encoding="utf-8")
    code, _, err = _bcm("incident", "review", "--into", str(plan), "--log", log)
    assert code == 0, err
    updated = plan.read_text(encoding="utf-8")
    assert all(
        line in updated.splitlines() for line in original.splitlines() if line.strip() != "records: []"
    )
    assert "drill-20261124-0900" in updated
    assert _bcm("incident", "review", "--into", str(plan), "--log", log)[0] == 1  # not twice


def test_what_is_down_through_a_dependency_can_be_restored_and_is_reviewed(company_plan: Plan) -> None:
    incident = _open(company_plan, "III", "lithera-platform")
    incident.fire(Attempt("restore-process", "robert", _at(90), processes=("lithera-platform",)))
    incident.fire(Attempt("restore-process", "sheng-zhuanhong", _at(150), processes=("customer-response",)))
    review = review_incident(incident, _at(300))
    outcomes = {item.key: (item.actual_text, item.outcome) for item in review.processes}
    assert outcomes["customer-response"] == ("2h30m", "met")  # down from 09:00 through Lithera, RTO 4h


def test_who_is_in_charge_with_the_whole_decision_chain_out_says_who_stands_in() -> None:
    code, out, _ = _bcm(
        "who-is-in-charge", "--unavailable", "KC,Charles,Robert", "--as-of", "2026-11-24T10:00+08:00"
    )
    assert code == 0
    assert "None" not in out
    assert "整条授权链都不在；由 BCM 组织按顺序在岗的第一人代行" in out
    assert "外部人员 外聘技术顾问 现担任指挥角色「质量负责人」" in out

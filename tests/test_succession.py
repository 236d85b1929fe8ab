"""Who holds each role when people are out, and how that decides who may fire a trigger."""

from datetime import timedelta

import pytest

from bcmlib import Plan
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.succession import Absence, resolve_person, succession
from bcmlib.incident.workflow import Attempt, Incident
from tests.incident_driver import PATH_TO, START, drive


def _holders(plan: Plan, *out: str) -> dict[str, str | None]:
    result = succession(plan, [Absence(person, START) for person in out], START)
    return {held.role.id: held.person for held in result.holdings}


def test_primaries_hold_their_roles_when_everyone_is_in(company_plan: Plan) -> None:
    holders = _holders(company_plan)
    assert holders["bcm-commander"] == "kc"
    assert holders["quality-head"] == "robert"  # held by CTO / 品质
    assert holders["top-management"] == "kc"  # held by 总经理


def test_backups_take_over_in_order_with_several_people_out(company_plan: Plan) -> None:
    holders = _holders(company_plan, "kc", "robert")
    assert holders["bcm-commander"] == "charles"
    assert holders["general-manager"] == "charles"
    assert holders["cto-quality"] == "external-tech-consultant"
    assert holders["business-warehouse"] == "sheng-zhuanhong"
    assert holders["bcm-deputy"] is None
    holders = _holders(company_plan, "kc", "charles")
    assert holders["general-manager"] == "robert"
    assert holders["bcm-commander"] is None


def test_a_role_with_nobody_left_is_a_gap_with_its_name(company_plan: Plan) -> None:
    result = succession(company_plan, [Absence("kc", START), Absence("charles", START)], START)
    names = {held.role.name for held in result.gaps}
    assert "BCM 总指挥" in names
    assert "部门主管（部门经理）" in names  # nobody is named for it at all
    commander = next(held for held in result.gaps if held.role.id == "bcm-commander")
    assert commander.skipped == ("kc", "charles")


def test_absence_counts_only_from_its_start(company_plan: Plan) -> None:
    later = succession(company_plan, [Absence("kc", START + timedelta(hours=1))], START)
    assert later.absences == ()
    assert {held.role.id: held.person for held in later.holdings}["bcm-commander"] == "kc"


def test_emergency_access_opens_seven_days_after_kc_is_unreachable(company_plan: Plan) -> None:
    away = [Absence("kc", START), Absence("robert", START)]
    before = succession(company_plan, away, START + timedelta(days=7) - timedelta(minutes=1))
    after = succession(company_plan, away, START + timedelta(days=7))
    (closed,), (opened,) = before.accesses, after.accesses
    assert closed.opens_at == START + timedelta(days=7)
    assert not closed.open
    assert opened.open
    assert opened.grantees == ("charles", "wang-jing")  # Robert is out too
    nobody_out = succession(company_plan, [], START).accesses[0]
    assert nobody_out.opens_at is None
    assert not nobody_out.open


@pytest.mark.parametrize(
    ("out", "decides"),
    [((), "kc"), (("kc",), "charles"), (("kc", "charles"), "robert"), (("kc", "charles", "robert"), None)],
)
def test_decision_authority_passes_down_the_chain(
    company_plan: Plan, out: tuple[str, ...], decides: str
) -> None:
    (chain,) = succession(company_plan, [Absence(person, START) for person in out], START).chains
    assert chain.person == decides


def test_people_are_found_by_identifier_or_name(company_plan: Plan) -> None:
    assert resolve_person(company_plan, "KC") == "kc"
    assert resolve_person(company_plan, "charles") == "charles"
    assert resolve_person(company_plan, "王婧") == "wang-jing"
    with pytest.raises(IncidentError) as unknown:
        resolve_person(company_plan, "Zed")
    assert "王婧 (wang-jing)" in unknown.value.message("zh")


def _assessing(plan: Plan, *out: str) -> Incident:
    incident = drive(plan, PATH_TO["assessment"])
    incident.fire(Attempt("report", "robert", START + timedelta(minutes=5)))
    if out:
        incident.mark(list(out), available=False, by="wang-jing", at=START + timedelta(minutes=6))
    return incident


def test_only_the_holder_now_may_activate(company_plan: Plan) -> None:
    incident = _assessing(company_plan)
    at = START + timedelta(minutes=10)
    with pytest.raises(IncidentError) as refused:
        incident.fire(Attempt("activate", "charles", at))
    message = refused.value.message("zh")
    assert "Charles 现在无权触发" in message
    assert "质量负责人（现由 Robert 担任，主）" in message
    assert "BCM 总指挥（现由 KC 担任，主）" in message
    record = incident.fire(Attempt("activate", "robert", at))
    assert (record.acting_as, record.rank) == ("quality-head", 0)


def test_the_backup_may_activate_once_the_primary_is_out(company_plan: Plan) -> None:
    incident = _assessing(company_plan, "kc")
    record = incident.fire(Attempt("activate", "charles", START + timedelta(minutes=10)))
    assert (record.acting_as, record.rank) == ("bcm-commander", 1)


def test_second_backup_commands_with_two_people_out(company_plan: Plan) -> None:
    incident = _assessing(company_plan, "robert", "kc")
    at = START + timedelta(minutes=10)
    with pytest.raises(IncidentError) as refused:
        incident.fire(Attempt("activate", "wang-jing", at))
    assert "外聘技术顾问" in refused.value.message("zh")
    record = incident.fire(Attempt("activate", "external-tech-consultant", at))
    assert (record.acting_as, record.rank) == ("quality-head", 2)


def test_someone_out_cannot_act_until_back(company_plan: Plan) -> None:
    incident = _assessing(company_plan, "kc")
    at = START + timedelta(minutes=10)
    with pytest.raises(IncidentError) as refused:
        incident.fire(Attempt("activate", "kc", at))
    assert refused.value.msg.key == "incident.actor_unavailable"
    incident.mark(["kc"], available=True, by="robert", at=at)
    assert incident.fire(Attempt("activate", "kc", at)).acting_as == "bcm-commander"


def test_marking_twice_is_refused(company_plan: Plan) -> None:
    incident = _assessing(company_plan, "kc")
    at = START + timedelta(minutes=10)
    with pytest.raises(IncidentError) as refused:
        incident.mark(["kc"], available=False, by="robert", at=at)
    assert refused.value.msg.key == "incident.already_unavailable"
    with pytest.raises(IncidentError) as refused:
        incident.mark(["charles"], available=True, by="robert", at=at)
    assert refused.value.msg.key == "incident.not_unavailable"


def test_the_level_decides_the_commander(company_plan: Plan) -> None:
    incident = _assessing(company_plan, "kc", "charles")
    at = START + timedelta(minutes=10)
    incident.fire(Attempt("escalate", "robert", at))
    assert incident.level == "I"
    with pytest.raises(IncidentError) as refused:
        incident.fire(Attempt("report", "wang-jing", at))
    assert refused.value.msg.key == "incident.not_authorised"
    incident.fire(Attempt("report", "robert", at))
    # Level I is commanded by 最高管理者 (总经理: KC → Charles → Robert); with KC and Charles out, Robert.
    record = incident.fire(Attempt("activate", "robert", at))
    assert (record.acting_as, record.rank) == ("top-management", 2)
    assert [held.person for held in incident.holders_for(incident.transitions["mobilise"], at)] == [
        "robert",
        None,
    ]


def test_process_owner_restores_their_process(company_plan: Plan) -> None:
    incident = drive(company_plan, PATH_TO["recovery"])
    at = START + timedelta(hours=1)
    incident.fire(Attempt("hit", "kc", at, processes=("payments",)))
    record = incident.fire(Attempt("restore-process", "wang-jing", at, processes=("payments",)))
    assert record.acting_as == "finance-admin"
    with pytest.raises(IncidentError) as refused:
        incident.fire(Attempt("restore-process", "wang-jing", at, processes=("customer-shipping",)))
    assert refused.value.msg.key == "incident.not_authorised"

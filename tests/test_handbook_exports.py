"""What staff take away from the handbook: the drill calendar, and a build with personal contacts left out."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest
from icalendar import Calendar

from bcmlib import Plan
from bcmlib.models import ExerciseRecord
from bcmlib.monitoring.drill_calendar import planned_drills
from tests.conftest import PLAN_DIR
from tests.handbook_site import copy_project

START = date(2026, 11, 24)
PRIVATE_MOBILE = "13912345678"
OFFICE_LINE = "021-5555-0100"


def test_the_programme_dates_each_kind_by_its_period_and_rotates_the_scenarios(company_plan: Plan) -> None:
    drills = planned_drills(company_plan, START, date(2027, 11, 24))
    # The tabletop was due six months after v2's issue (2026-04-29), so it is overdue: today first.
    assert [(d.day.isoformat(), d.kind.id) for d in drills] == [
        ("2026-11-24", "tabletop"),
        ("2027-04-29", "live"),
        ("2027-05-23", "tabletop"),
        ("2027-11-19", "tabletop"),
    ]
    scenarios = [scenario.id for scenario in company_plan.exercises.scenarios]
    assert [d.scenario.id for d in drills if d.scenario] == scenarios[:4]


def test_unannounced_drills_are_left_out_unless_asked_for(company_plan: Plan) -> None:
    everything = planned_drills(company_plan, START, date(2027, 11, 24), unannounced=True)
    assert [d.kind.id for d in everything].count("unannounced") == 1
    assert "unannounced" not in [d.kind.id for d in planned_drills(company_plan, START, date(2027, 11, 24))]


def test_a_scenario_drilled_recently_waits_its_turn(company_plan: Plan) -> None:
    first = company_plan.exercises.scenarios[0].id
    record = ExerciseRecord(id="drill-1", date=date(2026, 11, 1), kind="live", scenario=first)
    exercises = company_plan.exercises.model_copy(update={"records": [record]})
    drilled = company_plan.model_copy(update={"exercises": exercises})
    drills = planned_drills(drilled, START, date(2027, 11, 24))
    assert drills[0].scenario is not None
    assert drills[0].scenario.id != first
    assert first not in [d.scenario.id for d in drills[:4] if d.scenario]


def test_bcm_calendar_writes_an_icalendar_file_with_one_event_per_drill(
    company_plan: Plan, tmp_path: Path
) -> None:
    output = tmp_path / "drills.ics"
    command = [sys.executable, "-m", "bcmlib", "calendar", "--plan", str(PLAN_DIR), "-o", str(output)]
    result = subprocess.run([*command, "--from", "2026-11-24"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    calendar = Calendar.from_ical(output.read_bytes())
    events = calendar.walk("VEVENT")
    drills = planned_drills(company_plan, START, date(2027, 11, 24))
    assert [event.decoded("dtstart") for event in events] == [drill.day for drill in drills]
    for event, drill in zip(events, drills, strict=True):
        assert drill.scenario is not None
        assert str(event["summary"]) == f"{drill.kind.name}：{drill.scenario.name}"
        assert drill.scenario.name in str(event["description"])
    assert len({str(event["uid"]) for event in events}) == len(events)


def test_the_handbook_serves_the_calendar(site: Path) -> None:
    calendar = Calendar.from_ical((site / "drills.ics").read_bytes())
    assert calendar.walk("VEVENT")
    assert 'href="drills.ics"' in (site / "exercises.html").read_text(encoding="utf-8")


def _contacts(files: dict[str, dict[str, Any]]) -> None:
    person = next(p for p in files["people.yaml"]["people"] if p["id"] == "wang-jing")
    person["contacts"] = [
        {"channel": "mobile", "value": PRIVATE_MOBILE, "personal": True},
        {"channel": "landline", "value": OFFICE_LINE, "personal": False},
    ]


def _texts(site: Path) -> tuple[str, str]:
    """All text of a built site: its files read as text (pages, search index, scripts), and its PDFs'."""
    files, pdfs = [], []
    for path in sorted(site.rglob("*")):
        if path.suffix == ".pdf":
            pdfs += ["".join(sheet.extract_text().split()) for sheet in pypdf.PdfReader(path).pages]
        elif path.is_file():
            files.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(files), "\n".join(pdfs)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("redact") / "project", _contacts)


def test_bcm_build_redact_builds_the_site_without_personal_contacts(project: Path, tmp_path: Path) -> None:
    site = tmp_path / "public"
    command = [sys.executable, "-m", "bcmlib", "build", "--redact", "--no-pdf", "--site-dir", str(site)]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    files, pdfs = _texts(site)
    assert OFFICE_LINE in files
    assert PRIVATE_MOBILE not in files
    assert pdfs == ""  # --no-pdf

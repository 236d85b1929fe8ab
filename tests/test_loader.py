"""Bad input gets a clear error naming file, line and field; good input in any UTF-8 form loads."""

import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from bcmlib import PlanLoadError, load_plan
from bcmlib.loading.loader import read_plan
from tests.conftest import PLAN_DIR, WritePlan

INVALID = Path(__file__).parent / "fixtures" / "invalid"

# fixture file -> (code, line, column, text in the English message)
CORPUS = {
    "malformed.yaml": ("L04", 5, 1, "not valid YAML"),
    "wrong-type.yaml": ("L20", 5, 5, "expected a list"),
    "unknown-key.yaml": ("L21", 5, 5, "did you mean 'contacts'?"),
    "duplicate-key.yaml": ("L03", 4, 5, "'name' appears twice"),
    "empty.yaml": ("L05", 0, 0, "empty"),
    "unsafe-tag.yaml": ("L09", 1, 9, "python/object/apply"),
    "recursive-alias.yaml": ("L07", 2, 5, "recursive alias"),
    "alias-bomb.yaml": ("L06", 0, 0, "alias bomb"),
    "gbk.yaml": ("L02", 3, 11, "GBK"),
    "utf16.yaml": ("L02", 1, 1, "UTF-16"),
    "unknown-section.yaml": ("L14a", 1, 1, "not a plan section"),
    "not-a-mapping.yaml": ("L13", 1, 1, "mapping of plan sections"),
    "merge-key.yaml": ("L10", 4, 5, "merge keys"),
    "two-documents.yaml": ("L04", 2, 1, "one YAML document"),
    "undefined-alias.yaml": ("L04", 2, 5, "undefined alias"),
}


def test_a_refused_file_does_not_also_report_its_sections_missing(tmp_path: Path) -> None:
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    shutil.copy(INVALID / "not-a-mapping.yaml", tmp_path / "plan" / "people.yaml")
    _, problems = read_plan(tmp_path / "plan")
    assert [(p.code, p.location.file.name) for p in problems] == [("L13", "people.yaml")]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_file_gets_a_clear_error(name: str) -> None:
    code, line, column, text = CORPUS[name]
    path = INVALID / name
    plan, problems = read_plan(path)
    assert plan is None
    # The fixtures hold one section, so the missing required sections (L16) are reported beside it.
    first = next(p for p in problems if p.code == code)
    assert first.location.file == path
    if line:
        assert (first.location.line, first.location.column) == (line, column)
    assert text in first.message("en")
    assert first.message("zh") != first.message("en")


def test_wrong_value_is_explained_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("processes:\n  - id: p\n    rto: 4 hours\n", encoding="utf-8")
    _, problems = read_plan(path)
    rto = next(p for p in problems if p.path == "processes[0].rto")
    assert (rto.code, rto.location.line, rto.location.column) == ("L20", 3, 5)
    assert "不是时间" in rto.message("zh")
    assert "not a duration" in rto.message("en")
    assert "'4 hours'" in rto.message("zh")


@pytest.mark.parametrize(
    ("yaml_text", "field", "zh"),
    [
        ("people:\n  - id: Wang Jing\n", "people[0].id", "小写拉丁字母"),
        ("people:\n  - id: kc\n    kind: robot\n", "people[0].kind", "应为以下之一"),
        ("people: {}\n", "people", "应为列表"),
        ("people: []\n", "people", "至少需要 1 项"),
        ("kpis:\n  - id: k\n    target: 120\n", "kpis[0].target", "超出允许范围"),
        ("forms:\n  - id: f\n    retention: forever\n", "forms[0].retention", "不是保存期限"),
        ("document:\n  revisions:\n    - date: 2026-13-01\n", "document.revisions[0].date", "应为日期"),
        ("risk_scenarios:\n  - id: r\n    frequency: 10-5y\n", "risk_scenarios[0].frequency", "下限大于上限"),
        (
            "risk_scenarios:\n  - id: r\n    responses:\n      - kind: prayer\n",
            "risk_scenarios[0].responses[0]",
            "应为以下之一",
        ),
    ],
)
def test_value_errors_read_in_chinese(tmp_path: Path, yaml_text: str, field: str, zh: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    _, problems = read_plan(path)
    messages = {p.path: p.message("zh") for p in problems}
    assert zh in messages[field], messages


# Values `bcm check` once passed and the build, the calendar or publishing then failed on (issue 13):
# yaml text -> (field, words of the Chinese reason, words of the English one).
ACCEPTED_THEN_FATAL = {
    "a NUL byte": ('people:\n  - id: a\n    name: "A\\0b"\n', "people[0].name", "U+0000", "U+0000"),
    "a raw ESC": ('people:\n  - id: a\n    name: "A\\e[2Jb"\n', "people[0].name", "U+001B", "U+001B"),
    "a bidi override": ('roles:\n  - id: r\n    name: "\\u202ebad"\n', "roles[0].name", "U+202E", "U+202E"),
    "a newline in a number": (
        'document:\n  number: "SOP-1\\nFAKE"\n',
        "document.number",
        "只能写一行",
        "one line",
    ),
    "a blank name": ("people:\n  - id: a\n    name: '   '\n", "people[0].name", "不能为空白", "blank"),
    "an id that names a page": ("people:\n  - id: index\n", "people[0].id", "保留名称", "reserved"),
    "an id Windows refuses": ("roles:\n  - id: con\n", "roles[0].id", "保留名称", "reserved"),
    "a 6,000-digit number": (
        "exercises:\n  kinds:\n    - id: k\n      min_times: " + "9" * 6000 + "\n",
        "exercises.kinds[0].min_times",
        "6000 位",
        "6000 digits",
    ),
    "a count past reason": (
        "exercises:\n  kinds:\n    - id: k\n      min_times: 100000\n",
        "exercises.kinds[0].min_times",
        "超出允许范围",
        "outside the allowed range",
    ),
    "an RTO past timedelta": (
        "processes:\n  - id: p\n    rto: 99999999999y\n",
        "processes[0].rto",
        "1000 年",
        "1000 years",
    ),
    "a drill every 12 hours": (
        "exercises:\n  kinds:\n    - id: k\n      every: 12h\n",
        "exercises.kinds[0].every",
        "至少 1 天",
        "at least a day",
    ),
    "a drill every moment": (
        "exercises:\n  kinds:\n    - id: k\n      every: immediate\n",
        "exercises.kinds[0].every",
        "至少 1 天",
        "at least a day",
    ),
    "a version that is a file": (
        "document:\n  revisions:\n    - version: index.html\n",
        "document.revisions[0].version",
        "保留名称",
        "reserved",
    ),
    "a version the selector reads as markup": (
        "document:\n  revisions:\n    - version: '\"><svg onload=alert(1)>'\n",
        "document.revisions[0].version",
        "版本名称",
        "version name",
    ),
    "a version of 300 characters": (
        "document:\n  revisions:\n    - version: " + "v" * 300 + "\n",
        "document.revisions[0].version",
        "最多 32 个字符",
        "at most 32",
    ),
    "the latest alias as a version": (
        "document:\n  revisions:\n    - version: Latest\n",
        "document.revisions[0].version",
        "保留名称",
        "reserved",
    ),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED_THEN_FATAL))
def test_a_value_that_would_break_a_later_step_is_refused_where_it_is_written(
    tmp_path: Path, case: str
) -> None:
    yaml_text, field, zh, en = ACCEPTED_THEN_FATAL[case]
    path = tmp_path / "plan.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    plan, problems = read_plan(path)
    assert plan is None
    wrong = next(p for p in problems if p.path == field)
    assert wrong.location.line > 0
    assert zh in wrong.message("zh")
    assert en in wrong.message("en")
    assert len(wrong.message("en")) < 400  # a long value is quoted short


def test_prose_keeps_its_line_breaks(plan_data: dict[str, Any], write_plan: WritePlan) -> None:
    plan_data["document"]["purpose"] = "第一行\n第二行\t缩进"
    assert load_plan(write_plan(plan_data)).document.purpose == "第一行\n第二行\t缩进"


def test_deep_nesting_is_refused_without_crashing(tmp_path: Path) -> None:
    # libyaml's own composer recurses in C and kills the process on this file.
    path = tmp_path / "deep.yaml"
    path.write_text("people: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    _, problems = read_plan(path)
    assert [p.code for p in problems] == ["L08"]


def test_a_key_that_is_no_calendar_day_is_a_bad_date(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("2026-13-01: x\n", encoding="utf-8")
    _, problems = read_plan(path)
    assert [(p.code, p.location.line) for p in problems] == [("L20", 1)]
    assert "日期" in problems[0].message("zh")


def test_alias_bomb_is_refused_fast() -> None:
    start = time.perf_counter()
    read_plan(INVALID / "alias-bomb.yaml")
    assert time.perf_counter() - start < 1.0  # a billion values would take hours if expanded


def test_unknown_key_names_the_field_path() -> None:
    _, problems = read_plan(INVALID / "unknown-key.yaml")
    assert "people[0].contcts" in [p.path for p in problems]


def test_every_duplicated_key_is_reported_and_no_value_wins() -> None:
    plan, problems = read_plan(INVALID / "duplicate-key.yaml")
    assert plan is None
    assert [(p.code, p.location.line) for p in problems] == [("L03", 4), ("L03", 8)]


def test_all_problems_of_all_files_in_one_run(tmp_path: Path) -> None:
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    plan_dir = tmp_path / "plan"
    roles = plan_dir / "roles.yaml"
    roles.write_text(roles.read_text(encoding="utf-8").replace("backups: [charles]", "bakups: [charles]"))
    processes = plan_dir / "processes.yaml"
    processes.write_text(processes.read_text(encoding="utf-8").replace("rto: 24h", "rto: 24 hours"))
    shutil.copy(INVALID / "gbk.yaml", plan_dir / "extra.yaml")
    with pytest.raises(PlanLoadError) as raised:
        load_plan(plan_dir)
    found = {(p.code, p.location.file.name) for p in raised.value.problems}
    assert found == {("L02", "extra.yaml"), ("L21", "roles.yaml"), ("L20", "processes.yaml")}


def test_section_in_two_files_is_an_error(tmp_path: Path) -> None:
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    (tmp_path / "plan" / "more.yaml").write_text("forms: []\n", encoding="utf-8")
    _, problems = read_plan(tmp_path / "plan")
    assert [(p.code, p.path) for p in problems] == [("L15", "forms")]
    assert "governance.yaml" in problems[0].message("en")


def test_missing_section_is_named(tmp_path: Path) -> None:
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    (tmp_path / "plan" / "people.yaml").unlink()
    _, problems = read_plan(tmp_path / "plan")
    assert ("L16", "people") in [(p.code, p.path) for p in problems]


def test_utf8_with_bom_loads(tmp_path: Path) -> None:
    shutil.copytree(PLAN_DIR, tmp_path / "plan")
    people = tmp_path / "plan" / "people.yaml"
    people.write_bytes(b"\xef\xbb\xbf" + people.read_bytes())
    assert load_plan(tmp_path / "plan").person("wang-jing").name == "王婧"


def test_one_file_plan_loads(tmp_path: Path) -> None:
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(PLAN_DIR.glob("*.yaml")))
    (tmp_path / "all.yaml").write_text(text, encoding="utf-8")
    assert len(load_plan(tmp_path / "all.yaml").processes) == 6


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    assert [p.code for p in read_plan(tmp_path / "nope")[1]] == ["L17"]
    assert [p.code for p in read_plan(tmp_path)[1]] == ["L12"]

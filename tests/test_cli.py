"""The `bcm` command as a user runs it: readable output, JSON for tools, exit codes, no tracebacks."""

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bcmlib import __version__, plan_file_schema
from bcmlib.cli import cli
from tests.conftest import PLAN_DIR

INVALID = Path(__file__).parent / "fixtures" / "invalid"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_company_plan_passes_and_shows_waivers_and_warnings() -> None:
    code, out, _ = run("check", str(PLAN_DIR), "--as-of", "2026-11-24")
    assert code == 0
    assert "ROL002 错误 [roles[5].backups]" in out
    assert "已豁免" in out
    assert "roles.yaml:41:5" in out
    assert out.strip().endswith("0 个错误，86 个警告，12 个已豁免。")


def test_check_in_english() -> None:
    code, out, _ = run("check", str(PLAN_DIR), "--as-of", "2026-11-24", "--lang", "en")
    assert code == 0
    assert "single point of failure" in out
    assert out.strip().endswith("0 error(s), 86 warning(s), 12 waived.")


def test_strict_fails_on_warnings_and_waivers() -> None:
    code, _, _ = run("check", str(PLAN_DIR), "--strict")
    assert code == 1


def test_json_output_for_tools() -> None:
    code, out, _ = run("check", str(PLAN_DIR), "--format", "json", "--as-of", "2026-11-24")
    report = json.loads(out)
    assert code == 0
    assert report["passed"] is True
    waived = [f for f in report["findings"] if f["waiver"]]
    assert {f["item"] for f in waived} >= {"roles/it-recovery", "crisis_levels/I"}
    assert all(f["file"] and f["line"] for f in report["findings"])


def test_load_failure_is_one_line_per_problem_and_exit_1() -> None:
    code, out, err = run("check", str(INVALID / "duplicate-key.yaml"))
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"{INVALID / 'duplicate-key.yaml'}:4:5: L03 [people[0].name]")
    assert "Traceback" not in err


def test_load_failure_as_json() -> None:
    code, out, _ = run("check", str(INVALID / "gbk.yaml"), "--format", "json", "--lang", "en")
    assert code == 1
    report = json.loads(out)
    assert report["loaded"] is False
    assert report["problems"][0]["code"] == "L02"
    assert "UTF-8" in report["problems"][0]["message"]


def test_errors_fail_the_check(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(PLAN_DIR.glob("*.yaml")))
    plan.write_text(text.replace("backups: [charles]", "backups: [nobody]"), encoding="utf-8")
    code, out, _ = run("check", str(plan))
    assert code == 1
    assert "REF001" in out


def test_schema_command(tmp_path: Path) -> None:
    code, out, _ = run("schema")
    assert code == 0
    assert json.loads(out) == plan_file_schema()
    assert run("schema", "-o", str(tmp_path / "s.json"))[0] == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == plan_file_schema()


def test_python_dash_m_and_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bcmlib", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"bcm, version {__version__}"


def test_terminal_escapes_in_plan_text_are_shown_not_obeyed(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(PLAN_DIR.glob("*.yaml")))
    plan.write_text(text.replace("name: IT 恢复", 'name: "IT \\e[2J恢复"'), encoding="utf-8")
    # Loaded, the name is in a finding on standard output; refused, in the load error on standard error.
    _, out, err = run("check", str(plan))
    assert "\x1b" not in out + err
    assert "IT \\x1b[2J恢复" in out + err


def test_the_command_loads_without_the_handbook_s_libraries() -> None:
    # `bcm check` and `bcm incident` run where no handbook is built (a responder's laptop, another
    # tool's CI): the handbook extra's libraries are imported by the commands that build, not by all.
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, bcmlib.cli; print(sorted({m.split('.')[0] for m in sys.modules}"
            " & {'mkdocs', 'material', 'weasyprint', 'jieba', 'matplotlib', 'mike'}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"

"""`bcm recovery-order` as a user runs it: what was hit, what it takes down, in order, with deadlines."""

from click.testing import CliRunner

from bcmlib.cli import cli
from bcmlib.clock import AS_OF
from tests.conftest import PLAN_DIR

START = ("--start", "2026-11-24T09:00+08:00")


def order(*args: str) -> tuple[int, list[str], str]:
    command = ["recovery-order", *args, "--plan", str(PLAN_DIR)]
    result = CliRunner().invoke(cli, command, env={AS_OF: "2026-12-01T12:00+08:00"})
    return result.exit_code, result.stdout.splitlines(), result.stderr


def test_processes_hit_in_order() -> None:
    code, lines, _ = order("--hit", "payments,hazmat-storage-safety", *START)
    assert code == 0
    assert lines == [
        "恢复顺序（中断开始于 2026-11-24 09:00）：",
        "1. [业务] 危化品仓储安全 (hazmat-storage-safety) — 人员安全；RTO 1h，RPO immediate；"
        "截止 2026-11-24 10:00",
        "2. [业务] 财务付款 (payments) — 财务付款；RTO 48h，RPO 24h；截止 2026-11-26 09:00",
    ]


def test_a_process_others_need_comes_before_them() -> None:
    code, lines, _ = order("--hit", "lithera-platform,customer-shipping,customer-response,payments", *START)
    assert code == 0
    assert lines[1:] == [
        "1. [业务] Lithera 平台 (lithera-platform) — 客户出货；RTO 4h，RPO 1h；截止 2026-11-24 13:00；"
        "为 客户响应、客户出货 所需",
        "2. [业务] 客户响应 (customer-response) — 客户出货；RTO 4h，RPO immediate；截止 2026-11-24 13:00",
        "3. [业务] 客户出货 (customer-shipping) — 客户出货；RTO 24h，RPO 4h；截止 2026-11-25 09:00",
        "4. [业务] 财务付款 (payments) — 财务付款；RTO 48h，RPO 24h；截止 2026-11-26 09:00",
    ]


def test_the_warehouse_burned() -> None:
    code, lines, _ = order("--hit", "warehouse", *START, "--lang", "en")
    assert code == 0
    assert lines == [
        "Recovery order (interruption began 2026-11-24 09:00):",
        "1. [site] 仓库 (warehouse) — 人员安全; recovery time —; due 2026-11-24 10:00; "
        "needed by 危化品仓储安全, 客户出货",
        "2. [process] 危化品仓储安全 (hazmat-storage-safety) — 人员安全; RTO 1h, RPO immediate; "
        "due 2026-11-24 10:00; affected through 仓库",
        "3. [process] 客户出货 (customer-shipping) — 客户出货; RTO 24h, RPO 4h; due 2026-11-25 09:00; "
        "affected through 仓库",
    ]


def test_names_with_full_width_commas_and_shared_names_told_apart() -> None:
    code, lines, _ = order("--hit", "Lithera 平台，财务付款", *START)
    assert code == 0
    assert lines[1] == (
        "1. [系统] Lithera 平台 (lithera) — 客户出货；恢复时间 —；截止 2026-11-24 13:00；"
        "为 Lithera 平台 (lithera-platform) 所需"
    )
    assert lines[3].startswith("3. [业务] 客户响应 (customer-response) — 客户出货；")
    assert lines[3].endswith("；经由 Lithera 平台 (lithera-platform) 受波及")
    assert lines[-1].startswith("5. [业务] 财务付款 (payments)")


def test_every_process_from_now_by_default() -> None:
    code, lines, _ = order()
    assert code == 0
    assert lines[0] == "恢复顺序（中断开始于 2026-12-01 12:00）："  # BCM_AS_OF
    assert len(lines) == 1 + 6
    assert lines[2].startswith("2. [业务] Lithera 平台 (lithera-platform)")


def test_an_unknown_item_is_refused_with_what_is_known() -> None:
    code, lines, err = order("--hit", "payroll")
    assert code == 1
    assert lines == []
    assert "payroll" in err
    assert "仓库 (warehouse)" in err
    assert "Lithera 平台 (lithera)" in err

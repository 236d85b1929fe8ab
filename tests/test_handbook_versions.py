"""The versioned handbook: two plan versions published with `bcm publish`, read from file:// in Chromium.

A git repository holds the company's plan (v2, tagged), published to a share; then a changed copy
(v3: a new backup, a shorter RTO, a new role), published again. Both versions stay browsable, the
selector moves between them from a file share, the changes page and `bcm diff` show what changed, and
a publish killed at any point leaves the share as it was or as it should become, never in between.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from bcmlib.handbook import publishing
from bcmlib.handbook.publishing import PublishError, publish_branch
from tests.browser import open_page
from tests.handbook_site import change_plan, copy_project, page, rows

NEW_ROLE = {
    "id": "data-officer",
    "name": "数据备份负责人",
    "group": "key-position",
    "primary": "charles",
    "backups": ["robert"],
    "duties": ["每周检查三处备份"],
}


def _git(repository: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repository, check=True, capture_output=True, text=True)
    return done.stdout


def _bcm(repository: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "bcmlib", *args]
    return subprocess.run(command, cwd=repository, capture_output=True, text=True, check=False, env=env)


def _next_version(files: dict[str, dict[str, Any]]) -> None:
    revisions = files["document.yaml"]["document"]["revisions"]
    revisions.append(
        {"version": "v3", "date": "2026-11-20", "summary": "副指挥备援改为 Charles；出货 RTO 缩短"}
    )
    roles = files["roles.yaml"]["roles"]
    next(role for role in roles if role["id"] == "bcm-deputy")["backups"] = ["charles"]
    roles.append(NEW_ROLE)
    next(p for p in files["processes.yaml"]["processes"] if p["id"] == "customer-shipping")["rto"] = "12h"


def _manifest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a digest of its content."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha1(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan repository with the company's plan committed and tagged v2."""
    repository = copy_project(tmp_path_factory.mktemp("repo") / "plan-repo")
    _git(repository, "init", "--quiet", "--initial-branch", "main")
    _git(repository, "config", "user.name", "BCM Coordinator")
    _git(repository, "config", "user.email", "bcm@example.com")
    _git(repository, "add", "--all")
    _git(repository, "commit", "--quiet", "--message", "Plan v2")
    _git(repository, "tag", "v2")
    return repository


@pytest.fixture(scope="module")
def shares(repository: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The share as v2's publish left it (a copy), and the share after v3's publish."""
    folder = tmp_path_factory.mktemp("shares")
    share = folder / "handbook"
    first = _bcm(repository, "publish", "--to", str(share))
    assert first.returncode == 0, first.stderr
    snapshot = shutil.copytree(share, folder / "as-v2-left-it", symlinks=True)
    change_plan(repository / "plan", _next_version)
    _git(repository, "commit", "--quiet", "--all", "--message", "Plan v3")
    _git(repository, "tag", "v3")
    second = _bcm(repository, "publish", "--to", str(share))
    assert second.returncode == 0, second.stderr
    assert "v3" in second.stdout
    return snapshot, share


def test_every_version_is_published_whole_with_latest_as_a_copy(shares: tuple[Path, Path]) -> None:
    before, share = shares
    assert sorted(path.name for path in share.iterdir() if path.is_dir()) == ["latest", "v2", "v3"]
    assert not [path for path in share.rglob("*") if path.is_symlink()]  # SMB shares have no symlinks
    assert _manifest(share / "latest") == _manifest(share / "v3")
    assert _manifest(share / "v2") == _manifest(before / "v2")  # publishing v3 leaves v2 as it was
    for version in ("v2", "v3"):
        assert (share / version / "handbook.pdf").is_file()
        footer = page(share / version, "index.html").select_one(".md-copyright__highlight")
        assert footer is not None
        assert f"版本 {version}" in footer.get_text()


def test_each_version_shows_its_own_plan(shares: tuple[Path, Path]) -> None:
    _, share = shares

    def shipping(version: str) -> list[str]:
        return next(
            row for row in rows(page(share / version, "processes.html")) if row[1:3] == ["客户出货"] * 2
        )

    assert "24 小时" in shipping("v2")
    assert "12 小时" in shipping("v3")
    assert "12 小时" not in shipping("v2")
    assert not (share / "v2" / "runbooks/roles/data-officer.html").exists()
    assert (share / "v3" / "runbooks/roles/data-officer.html").exists()


def test_the_changes_page_shows_what_changed_since_the_tagged_version(shares: tuple[Path, Path]) -> None:
    _, share = shares
    table = rows(page(share / "v3", "changes.html"))
    assert ["BCM 副指挥", "Robert → KC", "Robert → Charles"] in table
    assert ["客户出货", "RTO", "24 小时", "12 小时"] in table
    added = [row for row in table if row and row[0] == "roles.data-officer"]
    assert len(added) == 1
    assert "数据备份负责人" in added[0][2]
    first = page(share / "v2", "changes.html").find("article")
    assert first is not None
    assert "没有名为 v1 的 git 标签" in first.get_text()


def test_bcm_diff_lists_the_changes_between_two_tags_and_two_folders(
    repository: Path, shares: tuple[Path, Path], tmp_path: Path
) -> None:
    result = _bcm(repository, "diff", "v2", "v3")
    assert result.returncode == 1, result.stderr  # like diff: 1 when the versions differ
    assert "BCM 副指挥 (bcm-deputy): Robert → KC  ⇒  Robert → Charles" in result.stdout
    assert "客户出货 (customer-shipping) RTO: 24h ⇒ 12h" in result.stdout
    assert "roles.data-officer: " in result.stdout
    _git(repository, "worktree", "add", "--quiet", "--detach", str(tmp_path / "v2-tree"), "v2")
    folders = _bcm(repository, "diff", str(tmp_path / "v2-tree" / "plan"), "plan")
    assert folders.stdout == result.stdout
    same = _bcm(repository, "diff", "v3")
    assert (same.returncode, same.stdout.splitlines()[-1]) == (0, "两版计划数据完全相同。")


def test_the_version_selector_works_from_a_file_share(
    offline: BrowserContext, shares: tuple[Path, Path]
) -> None:
    _, share = shares
    latest = open_page(offline, share / "latest", "processes.html")
    current = latest.locator(".md-version__current")
    current.wait_for()
    assert current.inner_text().startswith("v3（2026-11-20）")
    assert current.locator(".md-version__alias").inner_text() == "latest"
    assert latest.locator("[data-md-component=outdated]").is_hidden()
    latest.hover(".md-version")
    latest.click(".md-version__list >> text=v2（2026-04-29）")
    latest.wait_for_url("**/v2/processes.html")
    latest.locator(".md-version__current").wait_for()
    assert latest.locator(".md-version__current").inner_text() == "v2（2026-04-29）"
    banner = latest.locator("[data-md-component=outdated]")
    assert banner.is_visible()
    assert "旧版本" in banner.inner_text()
    banner.locator("a").click()
    latest.wait_for_url("**/latest/index.html")


def test_a_page_missing_from_the_chosen_version_opens_its_home_page(
    offline: BrowserContext, shares: tuple[Path, Path]
) -> None:
    _, share = shares
    runbook = open_page(offline, share / "v3", "runbooks/roles/data-officer.html")
    runbook.locator(".md-version__current").wait_for()
    runbook.hover(".md-version")
    runbook.click(".md-version__list >> text=v2（2026-04-29）")
    runbook.wait_for_url("**/v2/index.html")


def test_the_start_page_opens_the_latest_version(offline: BrowserContext, shares: tuple[Path, Path]) -> None:
    _, share = shares
    start = open_page(offline, share, "index.html")
    start.wait_for_url("**/latest/index.html")
    assert start.locator("article h1").inner_text()


def _publish_killed(repository: Path, target: Path, after: float, *args: str) -> None:
    """Run `bcm publish` to `target`; if it is still running after `after` seconds, kill all it started."""
    command = [sys.executable, "-m", "bcmlib", "publish", "--to", str(target), *args]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    quiet = subprocess.DEVNULL
    process = subprocess.Popen(
        command, cwd=repository, env=env, start_new_session=True, stdout=quiet, stderr=quiet
    )
    try:
        process.wait(timeout=after)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_a_publish_killed_at_any_point_leaves_the_share_whole(
    repository: Path, shares: tuple[Path, Path], tmp_path: Path
) -> None:
    before, after = _manifest(shares[0]), _manifest(shares[1])
    target = tmp_path / "handbook"
    shutil.copytree(shares[0], target)
    started = time.monotonic()
    _publish_killed(repository, target, 60.0, "--no-deploy")
    whole = time.monotonic() - started
    assert _manifest(target) == after
    # Kills spread over a whole publish of the branch (export, start page, swap), and one in a deploy.
    kills: list[tuple[float, tuple[str, ...]]] = [
        (whole * share, ("--no-deploy",)) for share in (0.1, 0.3, 0.5, 0.7, 0.85, 0.95)
    ]
    for delay, args in [*kills, (3.0, ())]:
        shutil.rmtree(target)
        shutil.copytree(shares[0], target)
        _publish_killed(repository, target, delay, *args)
        assert _manifest(target) in (before, after), delay
    _publish_killed(repository, target, 60.0, "--no-deploy")
    assert _manifest(target) == after
    assert sorted(path.name for path in tmp_path.iterdir()) == [".handbook.lock", "handbook"]


def test_without_an_atomic_exchange_the_share_is_swapped_by_renames_and_a_kill_between_is_undone(
    repository: Path, shares: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publishing, "_exchange", lambda first, second: False)  # as on an SMB mount
    target = tmp_path / "handbook"
    shutil.copytree(shares[0], target)
    publish_branch("gh-pages", target, repository=repository, lang="zh")
    assert _manifest(target) == _manifest(shares[1])
    # Killed between the two renames: the old site is aside and the target missing. The next publish
    # puts it back first, so even one that then fails leaves the old site in place.
    target.rename(tmp_path / ".handbook.previous")
    with pytest.raises(PublishError, match="no branch nothing-here"):
        publish_branch("nothing-here", target, repository=repository, lang="zh")
    assert _manifest(target) == _manifest(shares[1])
    assert sorted(path.name for path in tmp_path.iterdir()) == [".handbook.lock", "handbook"]


def test_publishing_refuses_a_folder_that_is_not_a_published_handbook(
    repository: Path, shares: tuple[Path, Path], tmp_path: Path
) -> None:
    target = tmp_path / "nas"
    target.mkdir()
    (target / "budget.xlsx").write_bytes(b"the finance team's file")
    with pytest.raises(PublishError, match="not a published handbook"):
        publish_branch("gh-pages", target, repository=repository, lang="zh")
    assert [path.name for path in target.iterdir()] == ["budget.xlsx"]

"""Publish the versioned handbook to a folder (a NAS share or a web server's root) atomically.

Every deployed version is kept on a git branch, built from that version's own plan by any engine,
with `latest` as a real copy, laid out as mike lays it out. Publishing exports the branch into a
staging folder beside the target, adds what a file share needs (`versions.js` for the version
selector, a start page), and swaps the staging folder for the target in one step, so readers see the
old site or the new one, never a mix, and a publish killed midway leaves the target as it was.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import IO, cast

from filelock import FileLock
from jinja2 import Environment, PackageLoader, StrictUndefined

from bcmlib.handbook.build import PLAN_ENV, HandbookError
from bcmlib.handbook.engines import DEFAULT_ENGINE, Engine, build_site
from bcmlib.handbook.rendering import VERSION_ENV
from bcmlib.i18n import Lang, translate
from bcmlib.models import Plan
from bcmlib.models.document import publishable
from bcmlib.untrusted import json_text

__all__ = ["LATEST", "PublishError", "Release", "deploy", "publish_branch", "published_env", "release_of"]

LATEST = "latest"
"""The alias of the newest version: the start page opens it, older versions link to it."""
_STAGING = ".staging-"
_PREVIOUS = ".previous"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class PublishError(Exception):
    """Publishing failed; the published folder is as it was."""


@dataclass(frozen=True)
class Release:
    """A plan version as the version selector lists it."""

    version: str
    title: str


def release_of(plan: Plan, lang: Lang) -> Release:
    """The release of the plan's current revision: the last row of its revision history."""
    revision = plan.document.revisions[-1]
    title = translate("handbook.version.title", lang, version=revision.version, date=revision.date)
    return Release(revision.version, title)


def deploy(
    release: Release, *, config: Path, branch: str, plan: Path, engine: Engine = DEFAULT_ENGINE
) -> None:
    """Build the handbook of `plan` with `engine` and commit it to `branch` as `release`, and as `latest`.

    The branch keeps every version deployed before as it was, each in its own folder, and
    `versions.json` lists them newest first, as mike lays a branch out (so a branch mike deployed to
    goes on being published): the newest takes the `latest` alias, a real copy, as SMB shares have no
    symlinks. Done here rather than by mike, which runs only MkDocs, so every engine publishes.
    """
    repository = config.parent
    with TemporaryDirectory(prefix="bcm-deploy-") as folder:
        stage = Path(folder)
        # The plan that was checked is the one built, whatever mkdocs.yml's extra.plan says; the version
        # variable gives the site its version selector, as mike's does.
        env = {**os.environ, PLAN_ENV: str(plan.absolute()), VERSION_ENV: release.version}
        env.setdefault("NO_MKDOCS_2_WARNING", "1")
        try:
            built = build_site(engine, config, stage / release.version, env)
        except HandbookError as error:
            raise PublishError(str(error)) from error
        if built != 0:
            raise PublishError(f"the build of {release.version} failed: nothing is deployed")
        shutil.copytree(stage / release.version, stage / LATEST)
        versions = _versions_after(release, _branch_file(repository, branch, "versions.json"))
        (stage / "versions.json").write_text(json.dumps(versions, ensure_ascii=False), encoding="utf-8")
        _commit(repository, branch, stage, [release.version, LATEST, "versions.json"], release)


def _versions_after(release: Release, listed: bytes | None) -> list[dict[str, object]]:
    """`versions.json` with `release` first and alone in holding the `latest` alias."""
    versions = [entry for entry in json.loads(listed or b"[]") if entry.get("version") != release.version]
    for entry in versions:
        entry["aliases"] = [alias for alias in entry.get("aliases", []) if alias != LATEST]
    return [{"version": release.version, "title": release.title, "aliases": [LATEST]}, *versions]


def _branch_file(repository: Path, branch: str, name: str) -> bytes | None:
    """The file `name` as `branch` holds it, or None where the branch or the file is not there."""
    shown = subprocess.run(
        ["git", "show", f"{branch}:{name}"], cwd=repository, capture_output=True, check=False
    )
    return shown.stdout if shown.returncode == 0 else None


def _has_branch(repository: Path, branch: str) -> bool:
    command = ["git", "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}"]
    return subprocess.run(command, cwd=repository, capture_output=True, check=False).returncode == 0


def _commit(repository: Path, branch: str, stage: Path, paths: list[str], release: Release) -> None:
    """Commit `paths` of the folder `stage` onto `branch`, each replacing what the branch held there.

    Through an index of its own, so neither the repository's work tree nor its index is touched.
    """
    parent = _has_branch(repository, branch)
    index = stage.parent / f"{stage.name}.index"
    env = {**os.environ, "GIT_INDEX_FILE": str(index)}
    git = ["git", "--work-tree", str(stage)]
    if parent:
        _run([*git, "read-tree", branch], cwd=repository, env=env)
    _run([*git, "add", "--all", "--force", "--", *paths], cwd=repository, env=env)
    tree = _run([*git, "write-tree"], cwd=repository, env=env).decode().strip()
    message = f"Deployed {release.version} with the latest alias"
    command = [*git, "commit-tree", tree, "-m", message, *(["-p", branch] if parent else [])]
    commit = _run(command, cwd=repository, env=env).decode().strip()
    _run(["git", "update-ref", f"refs/heads/{branch}", commit], cwd=repository)


def publish_branch(branch: str, target: Path, *, repository: Path, lang: Lang) -> list[str]:
    """Replace the folder `target` with every version on `branch`, in one step; return the versions.

    Only one publish at a time may write to a target: a lock file beside it keeps others waiting.
    """
    target = target.absolute()
    lock = target.parent / f".{target.name}.lock"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Made here: where it cannot be, FileLock would wait for ever as if another publish held it.
        lock.touch(exist_ok=True)
    except OSError as error:
        raise PublishError(f"cannot write beside {target}: {error.strerror or error}") from error
    with FileLock(lock):
        _recover(target)
        if target.exists() and any(target.iterdir()) and not (target / "versions.json").is_file():
            # Publishing replaces the whole folder: never one that holds anything else.
            raise PublishError(f"{target} is not a published handbook: publish to a new or empty folder")
        staging = target.parent / f".{target.name}{_STAGING}{os.getpid()}"
        try:
            _export(branch, staging, repository)
            versions = _write_start(staging, lang)
            os.sync()  # the new site on disk before it is swapped in, so a power cut cannot half-write it
            _swap(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return versions


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> bytes:
    try:
        result = subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    except FileNotFoundError as error:
        raise PublishError(f"{command[0]} is not installed: install the handbook extra and git") from error
    except subprocess.CalledProcessError as error:
        name = " ".join([Path(command[0]).name, command[1]])
        detail = error.stderr.decode(errors="replace").strip() or str(error)
        raise PublishError(f"{name} failed:\n{detail}") from error
    return result.stdout


def _recover(target: Path) -> None:
    """Finish or undo what a killed publish left: the old site back in place, no staging folders."""
    previous = target.parent / f".{target.name}{_PREVIOUS}"
    if previous.exists():
        if target.exists():
            shutil.rmtree(previous)
        else:
            previous.rename(target)
    for stale in target.parent.glob(f".{target.name}{_STAGING}*"):
        shutil.rmtree(stale, ignore_errors=True)


def _export(branch: str, staging: Path, repository: Path) -> None:
    """Write the files of `branch` into `staging`, streamed: a site with its PDFs runs to hundreds of MB."""
    if not _has_branch(repository, branch):
        raise PublishError(f"{repository} has no branch {branch}: nothing is deployed to it yet")
    staging.mkdir()
    command = ["git", "archive", "--format=tar", branch]
    with (
        subprocess.Popen(command, cwd=repository, stdout=subprocess.PIPE) as archive,
        tarfile.open(fileobj=cast(IO[bytes], archive.stdout), mode="r|") as tar,
    ):
        tar.extractall(staging, filter="data")
    if archive.returncode:
        raise PublishError(f"git archive {branch} failed with exit status {archive.returncode}")


def _write_start(site: Path, lang: Lang) -> list[str]:
    """Write `versions.js` (the branch's list with each version's pages) and the start page; return them."""
    # A version deployed before its name was checked (`"><svg onload=…>`, `index.html`) is left out of
    # the selector and the start page, so it can neither run script nor stop every later publish.
    listing = [
        entry
        for entry in json.loads((site / "versions.json").read_text(encoding="utf-8"))
        if publishable(str(entry.get("version", "")))
    ]
    (site / "versions.json").write_text(json.dumps(listing, ensure_ascii=False), encoding="utf-8")
    for entry in listing:
        folder = site / entry["version"]
        entry["pages"] = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.html"))
    # JavaScript data: no character that ends a line or a string in a script engine reaches it raw.
    script = "window.bcmVersions = " + json_text(listing) + ";\n"
    (site / "versions.js").write_text(script, encoding="utf-8")
    page = (
        published_env()
        .get_template("index.html.j2")
        .render(
            lang_tag=translate("handbook.print.lang_tag", lang),
            title=translate("handbook.version.open", lang),
            latest=f"{LATEST}/index.html",
            versions=[(entry["title"], f"{entry['version']}/index.html") for entry in listing],
        )
    )
    (site / "index.html").write_text(page, encoding="utf-8")
    return [entry["version"] for entry in listing]


@cache
def published_env() -> Environment:
    """The environment of the pages written beside the handbook (start page, incident status)."""
    return Environment(
        loader=PackageLoader("bcmlib.handbook", "published"), autoescape=True, undefined=StrictUndefined
    )


def _swap(staging: Path, target: Path) -> None:
    """Put `staging` in `target`'s place; the old site ends up in `staging`, to be removed."""
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        return
    # Without an atomic exchange (SMB and NFS mounts), two renames: a publish killed between them
    # leaves the old site aside, and the next publish puts it back before anything else.
    previous = target.parent / f".{target.name}{_PREVIOUS}"
    target.rename(previous)
    staging.rename(target)
    previous.rename(staging)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2; False where the system or filesystem cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}:
        return False
    raise OSError(code, os.strerror(code), str(second))

"""What keeps the business going: critical processes, priorities, systems, sites, suppliers and backups."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from bcmlib.models.base import (
    DepartmentId,
    DocumentId,
    FormId,
    Id,
    PersonId,
    PlanModel,
    PriorityClassId,
    ProcessId,
    RoleId,
    SiteId,
    SupplierId,
    SystemId,
)
from bcmlib.models.impact import ImpactAnalysis, MinimumCapacity
from bcmlib.models.values import Duration, Percent

__all__ = [
    "BackupCopy",
    "DataBackupSet",
    "Dependencies",
    "PriorityClass",
    "Process",
    "RecoveryStep",
    "RemoteWorkCapability",
    "Site",
    "Strategy",
    "Supplier",
    "System",
]


class PriorityClass(PlanModel):
    """A recovery-priority class; the plan lists them in the order they are recovered."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name, such as 人员安全."""


class Dependencies(PlanModel):
    """What a process needs in order to run."""

    systems: list[SystemId] = []
    roles: list[RoleId] = []
    suppliers: list[SupplierId] = []
    sites: list[SiteId] = []
    processes: list[ProcessId] = []


class RecoveryStep(PlanModel):
    """One row of the recovery-plan table: an action, who does it, and by when."""

    action: str
    """What to do."""
    role: RoleId | None = None
    """Who does it."""
    within: Duration | None = None
    """How long after the interruption it must be done."""


class Process(PlanModel):
    """A critical business process with its impact analysis and recovery objectives."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name."""
    critical: bool = True
    """Whether an interruption threatens the company at once (关键业务过程)."""
    impact: str
    """What an interruption does (中断影响)."""
    rto: Duration | None = None
    """Recovery time objective: the process runs again within this time."""
    rpo: Duration | None = None
    """Recovery point objective: at most this much data is lost; `immediate` means none."""
    mao: Duration | None = None
    """Maximum acceptable outage (MTPD), as typed; where the process has a business impact analysis, the
    MTPD is derived from it and a typed value must agree."""
    bia: ImpactAnalysis | None = None
    """Its business impact analysis: how the impact grows, per category, while it is down."""
    mbco: MinimumCapacity | None = None
    """The minimum level it must reach by its RTO, and the resources that level needs."""
    work_recovery: Duration | None = None
    """Work recovery time (WRT): how long the process takes to run again once what it depends on is
    back (checking and re-entering data). Unset, it counts as no time in the dependency chain."""
    fallback: str
    """The fallback mechanism (备援机制)."""
    priority: PriorityClassId
    """Its recovery-priority class."""
    owner: RoleId | None = None
    """The role that owns its recovery."""
    department: DepartmentId | None = None
    """The department it belongs to, whose head is "the head of the affected department" when it is hit."""
    depends_on: Dependencies = Dependencies()
    """The systems, roles, suppliers, sites and processes it needs."""
    recovery_steps: list[RecoveryStep] = []
    """Its rows of the recovery-plan table."""


class System(PlanModel):
    """A system or device the business runs on, and its fallback (系统备援)."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name."""
    primary: str
    """What is used normally."""
    fallback: str
    """What is used when the primary fails."""
    custodians: list[PersonId] = []
    """The people who keep it, primary first."""
    recovery_time: Duration | None = None
    """How long it takes to be back or switched to its fallback, where known."""
    note: str | None = None
    """Anything else a reader needs, such as when it goes live."""


class Site(PlanModel):
    """A place the business needs: an office, a warehouse, a plant, a laboratory, a data centre, a store."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name."""
    kind: Literal["office", "warehouse", "plant", "lab", "data-centre", "store", "other"] | None = None
    """What kind of place it is; `other` for any place the name says best."""
    fallback: str | None = None
    """Where work moves when it is lost."""
    recovery_time: Duration | None = None
    """How long the move takes, where known."""


class Supplier(PlanModel):
    """A supplier the business cannot do without, and its fallback (关键供应链备援)."""

    id: Id
    """How the plan refers to it."""
    name: str
    """What is supplied, or by whom."""
    fallback: str
    """The fallback arrangement."""
    basis: DocumentId | None = None
    """The document that sets the arrangement."""
    recovery_time: Duration | None = None
    """How long switching to the fallback takes, where known."""


class BackupCopy(PlanModel):
    """One copy of a data set."""

    name: str
    """Which copy, such as 主存 or 备份 1."""
    location: str
    """Where it is kept."""
    medium: Literal["cloud-ssd", "local-hdd", "tape", "optical", "removable"]
    """What it is stored on."""
    offsite: bool
    """True when it is kept in another region than the primary copy."""
    primary: bool = False
    """True for the copy in use."""
    custodians: list[PersonId] = []
    """The people who keep it."""
    every: Duration | None = None
    """How often it is brought up to date from the data in use: `1d` for a nightly copy, `immediate`
    for continuous replication. The data lost with the primary is at most this old, so it is checked
    against the RPO of the processes that use the data; unset where nobody knows, which is reported."""


class RestoreTest(PlanModel):
    """A restore from a backup, tried to prove the copy can be used (recorded on the verification form)."""

    date: date
    """The day of the test."""
    by: PersonId
    """Who ran it."""
    passed: bool
    """Whether the data came back whole."""
    note: str | None = None
    """What was restored, how long it took, what went wrong."""


class DataBackupSet(PlanModel):
    """A set of data and its copies, checked against the 3-2-1 rule."""

    id: Id
    """How the plan refers to it."""
    name: str
    """What data it holds."""
    copies: list[BackupCopy] = Field(min_length=1)
    """All copies, the primary among them."""
    systems: list[SystemId] = []
    """The systems whose data it is; the processes that depend on them set the RPO its copies must meet."""
    verification_form: FormId | None = None
    """The form on which restores are checked."""
    restore_tests: list[RestoreTest] = []
    """The restore tests run, oldest first."""

    @property
    def media(self) -> int:
        """How many kinds of media the copies are on."""
        return len({copy.medium for copy in self.copies})

    @property
    def refreshed_every(self) -> Duration | None:
        """How often the most frequently refreshed backup (not the primary) is brought up to date."""
        return min((c.every for c in self.copies if not c.primary and c.every is not None), default=None)

    @property
    def offsite(self) -> int:
        """How many copies are kept offsite."""
        return sum(copy.offsite for copy in self.copies)

    @property
    def meets_three_two_one(self) -> bool:
        """Three copies, on two kinds of media, one of them offsite."""
        return len(self.copies) >= 3 and self.media >= 2 and self.offsite >= 1


class RemoteWorkCapability(PlanModel):
    """A way to keep working away from the office (远端办公能力)."""

    name: str
    """The capability."""
    detail: str | None = None
    """What it involves."""


LossKind = Literal["site", "people", "it", "supplier", "other"]


class Strategy(PlanModel):
    """A continuity strategy for a loss scenario: what replaces what was lost, how soon and for how long."""

    id: Id
    """How the plan refers to it."""
    name: str
    """Its name, such as 备援仓."""
    loss: LossKind
    """What it answers the loss of: a site, people, IT, a supplier, or something else."""
    description: str | None = None
    """What it involves."""
    processes: list[ProcessId] = Field(min_length=1)
    """The processes it recovers."""
    ready_within: Duration | None = None
    """How long it takes to put in place once decided."""
    lasts: Duration | None = None
    """How long it can be used before the loss must be mended (maximum duration of use)."""
    capacity: Percent | None = None
    """The share of normal output it reaches."""
    owner: RoleId | None = None
    """The role that puts it in place."""
    basis: DocumentId | None = None
    """The agreement or document it rests on."""

"""The whole continuity plan, and lookups of its items by identifier."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import timedelta
from functools import cached_property
from typing import Any, Self, TypeVar

from pydantic import Field, PrivateAttr

from bcmlib.locations import Location, SourceMap
from bcmlib.models.base import PlanModel
from bcmlib.models.communication import Communication
from bcmlib.models.continuity import (
    DataBackupSet,
    PriorityClass,
    Process,
    RemoteWorkCapability,
    Site,
    Strategy,
    Supplier,
    System,
)
from bcmlib.models.crisis import CallTree, CrisisLevel, CrisisPhase, LifeSafety
from bcmlib.models.document import DocumentControl, LinkedPlan, RelatedDocument, Term
from bcmlib.models.exercises import ExerciseProgramme
from bcmlib.models.governance import FlowStep, Form, Kpi, Training, Waiver
from bcmlib.models.impact import ImpactCategory, ImpactRating
from bcmlib.models.incident import IncidentWorkflow
from bcmlib.models.organisation import Committee, Company, Department, ExternalParty, ExternalReport
from bcmlib.models.people import Contactable, EmergencyContacts, Person, Role
from bcmlib.models.risk import (
    DisruptionCause,
    InsurancePolicy,
    RiskCategory,
    RiskMatrix,
    RiskScenario,
    RiskTreatment,
)
from bcmlib.models.supplies import EmergencySupplies

__all__ = ["Plan"]

_T = TypeVar("_T")


class Plan(PlanModel):
    """A company's business continuity plan.

    Each top-level key is one section; a plan folder may spread the sections over several YAML files.
    """

    company: Company | None = None
    """The company the plan belongs to; unset, the handbook keeps the title its configuration gives."""
    document: DocumentControl
    """The procedure's identity, revision history and approvals."""
    documents: list[RelatedDocument] = []
    """Related SOPs, plans, reports and records."""
    linked_plans: list[LinkedPlan] = []
    """Other continuity plans that work together with this one."""
    glossary: list[Term] = []
    """Terms and definitions."""
    people: list[Person] = Field(min_length=1)
    """Staff and outside parties who hold roles."""
    emergency_contacts: EmergencyContacts | None = None
    """Where the 24/7 emergency call list is kept."""
    roles: list[Role] = Field(min_length=1)
    """The BCM organisation, key positions and duties by role, each with who holds it."""
    departments: list[Department] = []
    """The company's departments and the roles that head them."""
    committees: list[Committee] = []
    """Standing groups of roles, such as a BCM working group or an emergency leadership group."""
    external_parties: list[ExternalParty] = []
    """Organisations outside the company that are called or reported to: authorities, insurers, banks."""
    external_reports: list[ExternalReport] = []
    """Duties to report an incident to an outside party, with their deadlines."""
    life_safety: LifeSafety | None = None
    """What everyone does first for people's safety, and the emergency services to call."""
    call_tree: CallTree | None = None
    """Who calls whom when something happens."""
    crisis_levels: list[CrisisLevel] = []
    """The crisis levels, 2 to 5, listed from the most severe to the least."""
    crisis_management: list[CrisisPhase] = []
    """What to do before, during and after a crisis."""
    risk_categories: list[RiskCategory] = []
    """Categories of crisis the company may face."""
    risk_treatments: list[RiskTreatment] = []
    """Strategies for risks, by impact and likelihood."""
    disruption_causes: list[DisruptionCause] = []
    """Classes of causes of business interruption."""
    impact_scale: list[ImpactRating] = []
    """The ratings of the business impact analysis, from the mildest to the most severe."""
    impact_categories: list[ImpactCategory] = []
    """Ways an interruption hurts the company, each with the rating it cannot tolerate."""
    risk_matrix: RiskMatrix | None = None
    """The likelihood and impact scales risk scenarios are scored on."""
    risk_scenarios: list[RiskScenario] = []
    """The risk scenarios the plan answers."""
    insurance: list[InsurancePolicy] = []
    """Insurance policies that carry transferred risks."""
    priority_classes: list[PriorityClass] = []
    """Recovery-priority classes, first recovered first."""
    processes: list[Process] = Field(min_length=1)
    """Critical business processes."""
    systems: list[System] = []
    """Systems and their fallbacks."""
    sites: list[Site] = []
    """The places the business needs: offices, warehouses, plants, laboratories."""
    suppliers: list[Supplier] = []
    """Critical suppliers and their fallbacks."""
    data_backups: list[DataBackupSet] = []
    """Data sets and their copies."""
    remote_work: list[RemoteWorkCapability] = []
    """Ways to work away from the office."""
    strategies: list[Strategy] = []
    """Continuity strategies per loss scenario: loss of a site, of people, of IT, of a supplier."""
    emergency_supplies: EmergencySupplies = EmergencySupplies()
    """Emergency supplies: stocks, where they are, until when."""
    communication: Communication | None = None
    """Crisis communication: audiences, spokesperson, message templates and update cadence."""
    exercises: ExerciseProgramme = ExerciseProgramme()
    """The exercise programme and its records."""
    incident_flow: list[FlowStep] = []
    """The steps of handling a real incident."""
    incident_workflow: IncidentWorkflow | None = None
    """The states and triggers an incident or drill is run by."""
    kpis: list[Kpi] = []
    """Key performance indicators."""
    forms: list[Form] = []
    """Forms and records with their retention."""
    training: Training = Training()
    """Training courses."""
    waivers: list[Waiver] = []
    """Accepted gaps in the plan."""

    _sources: SourceMap | None = PrivateAttr(default=None)
    _phones_withheld: frozenset[tuple[str, str]] = PrivateAttr(default=frozenset())
    """The people and outside parties (each as collection and identifier) whose phones `redacted` left
    out: their phones are in the plan, not in this copy."""

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy, with `update`'s sections in place of this plan's; see pydantic's `model_copy`.

        The copy looks its collections up and computes its analyses anew: the cached ones are this
        plan's, and a copy with other people or systems would otherwise name them as the original does.
        """
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("collections", None)
        copy.__dict__.pop("analyses", None)
        return copy

    def derived(self, compute: Callable[[Plan], _T]) -> _T:
        """`compute(self)`, computed once for this plan and shared with every later caller.

        For an analysis several rules and pages read, such as the dependency chains: the plan is frozen,
        so it stays true, and a 10,000-process plan no longer computes it once per reader. What it
        returns is shared, so no caller may change it.
        """
        if compute not in self.analyses:
            self.analyses[compute] = compute(self)
        result: _T = self.analyses[compute]
        return result

    @cached_property
    def analyses(self) -> dict[Callable[[Plan], Any], Any]:
        """What `derived` has computed from this plan, by the function that computed it.

        Kept beside the fields, as `collections` is: two equal plans stay equal whatever was computed.
        """
        return {}

    def locate(self, path: Sequence[str | int]) -> Location | None:
        """Where a field of the plan was written, if the plan was loaded from files."""
        sources = self._sources  # read once: a private attribute is looked up through pydantic's __getattr__
        return None if sources is None else sources.locate(path)

    @cached_property
    def collections(self) -> Mapping[str, Mapping[str, Any]]:
        """Every collection that references point into, each as a mapping from identifier to item."""
        return {name: {item.id: item for item in items} for name, items in self.collection_lists().items()}

    def collection_lists(self) -> dict[str, list[Any]]:
        """Every collection whose items carry an identifier, as written (duplicates included)."""
        subtypes = [sub for category in self.risk_categories for sub in category.subtypes]
        workflow = self.incident_workflow
        matrix = self.risk_matrix
        return {
            "people": self.people,
            "roles": self.roles,
            "departments": self.departments,
            "committees": self.committees,
            "external_parties": self.external_parties,
            "external_reports": self.external_reports,
            "processes": self.processes,
            "systems": self.systems,
            "sites": self.sites,
            "suppliers": self.suppliers,
            "forms": self.forms,
            "documents": self.documents,
            # Sub-types share the categories' identifiers: a scenario may name either.
            "risk_categories": [*self.risk_categories, *subtypes],
            "risk_scenarios": self.risk_scenarios,
            "priority_classes": self.priority_classes,
            "crisis_levels": self.crisis_levels,
            "data_backups": self.data_backups,
            "impact_ratings": self.impact_scale,
            "impact_categories": self.impact_categories,
            "likelihood_levels": matrix.likelihood.levels if matrix else [],
            "risk_impact_levels": matrix.impact.levels if matrix else [],
            "insurance": self.insurance,
            "strategies": self.strategies,
            "supplies": self.emergency_supplies.items,
            "audiences": self.communication.audiences if self.communication else [],
            "kpis": self.kpis,
            "courses": self.training.courses,
            "exercise_kinds": self.exercises.kinds,
            "drill_scenarios": self.exercises.scenarios,
            "exercise_records": self.exercises.records,
            "incident_flow": self.incident_flow,
            "workflow_states": workflow.states if workflow else [],
            "workflow_transitions": workflow.transitions if workflow else [],
        }

    def redacted(self) -> Plan:
        """This plan without its personal contact channels (private phones and mailboxes).

        Only the values go: the copy still knows whose phones it left out (`phone_withheld`), so a page
        can say a number is kept out of this edition rather than missing from the plan.
        """
        reachable: dict[str, Sequence[Contactable]] = {
            "people": self.people,
            "external_parties": self.external_parties,
        }
        copy = self.model_copy(
            update={
                name: [
                    item.model_copy(update={"contacts": [c for c in item.contacts if not c.personal]})
                    for item in items
                ]
                for name, items in reachable.items()
            }
        )
        # With this plan's own: redacting a redacted copy again keeps what the first one left out.
        copy._phones_withheld = self._phones_withheld | {
            (name, item.id)
            for name, items in reachable.items()
            for item in items
            if any(c.personal and c.is_phone for c in item.contacts)
        }
        return copy

    def phone_withheld(self, someone: Contactable) -> bool:
        """Whether this is a redacted copy that left out a phone `someone` has in the plan.

        `someone` is a person or an outside party.
        """
        collection = "people" if isinstance(someone, Person) else "external_parties"
        return (collection, someone.id) in self._phones_withheld

    def categories_of(self, risk: RiskScenario) -> set[str]:
        """The risk category `risk` falls in and, for a sub-type, the category the sub-type belongs to."""
        if risk.category is None:
            return set()
        parents = {c.id for c in self.risk_categories if any(s.id == risk.category for s in c.subtypes)}
        return {risk.category, *parents}

    def strictest_rpo(self, backup: DataBackupSet) -> Process | None:
        """Of the processes using a system whose data `backup` holds, the one with the shortest RPO.

        Its RPO is what the data set's backups must keep up with; None when no such process has one.
        """
        systems = set(backup.systems)
        using = [
            p for p in self.processes if p.rpo is not None and systems.intersection(p.depends_on.systems)
        ]
        return min(using, key=lambda p: p.rpo or timedelta(0), default=None)

    def person(self, person_id: str) -> Person:
        """The person with this identifier."""
        person: Person = self.collections["people"][person_id]
        return person

    def role(self, role_id: str) -> Role:
        """The role with this identifier."""
        role: Role = self.collections["roles"][role_id]
        return role

    def held_in_incident(self, role: Role, processes: Iterable[str]) -> list[Role]:
        """The roles whose holders hold `role` in an incident that hits `processes`, each once.

        A role held per incident (`held_in_incident_by`) is the owner roles of those processes, or the
        head roles of their departments; any other role holds itself. References the plan lacks (a
        validator error) are skipped.
        """
        if role.held_in_incident_by is None:
            return [role]
        known = self.collections["processes"]
        hit = [known[process] for process in processes if process in known]
        if role.held_in_incident_by == "owners-of-hit-processes":
            ids = [process.owner for process in hit]
        else:
            departments = self.collections["departments"]
            ids = [departments[p.department].head for p in hit if p.department in departments]
        roles = self.collections["roles"]
        return [roles[i] for i in dict.fromkeys(i for i in ids if i is not None) if i in roles]

    def holders(self, role: Role) -> Iterator[str]:
        """The people who hold a role, primary first, following `held_by` to the role that holds it.

        A `held_by` cycle or a dangling `held_by` ends the chain; the validator reports both.
        """
        seen: set[str] = set()
        while role.held_by is not None and role.id not in seen:
            seen.add(role.id)
            target = self.collections["roles"].get(role.held_by)
            if target is None:
                return
            role = target
        if role.held_by is not None:
            return
        if role.primary is not None:
            yield role.primary
        yield from role.backups

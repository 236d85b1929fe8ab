"""Pydantic models of a business continuity plan.

Every model forbids unknown keys; durations are typed values written as `30m`, `4h`, `7d` or `immediate`.
"""

from bcmlib.models.base import PlanModel, RefTo
from bcmlib.models.continuity import (
    BackupCopy,
    DataBackupSet,
    Dependencies,
    PriorityClass,
    Process,
    RecoveryStep,
    RemoteWorkCapability,
    Site,
    Supplier,
    System,
)
from bcmlib.models.crisis import CrisisLevel, CrisisPhase, CrisisSection
from bcmlib.models.document import (
    Approval,
    DocumentControl,
    LinkedPlan,
    Regulation,
    RelatedDocument,
    Revision,
    Term,
)
from bcmlib.models.exercises import (
    ActionItem,
    AfterActionReview,
    DrillScenario,
    ExerciseKind,
    ExerciseProgramme,
    ExerciseRecord,
    ProcessResult,
)
from bcmlib.models.governance import Course, FlowStep, Form, Kpi, Training, Waiver
from bcmlib.models.incident import IncidentWorkflow, WorkflowState, WorkflowTransition
from bcmlib.models.people import ContactChannel, EmergencyContacts, Person, Role
from bcmlib.models.plan import Plan
from bcmlib.models.risk import (
    Control,
    DecisionChain,
    DisruptionCause,
    EmergencyAccess,
    ImpactCategory,
    Measure,
    Response,
    RiskCategory,
    RiskScenario,
    RiskSubtype,
    RiskTreatment,
    Treatment,
)
from bcmlib.models.values import Duration, Retention, ReturnPeriod

__all__ = [
    "ActionItem",
    "AfterActionReview",
    "Approval",
    "BackupCopy",
    "ContactChannel",
    "Control",
    "Course",
    "CrisisLevel",
    "CrisisPhase",
    "CrisisSection",
    "DataBackupSet",
    "DecisionChain",
    "Dependencies",
    "DisruptionCause",
    "DocumentControl",
    "DrillScenario",
    "Duration",
    "EmergencyAccess",
    "EmergencyContacts",
    "ExerciseKind",
    "ExerciseProgramme",
    "ExerciseRecord",
    "FlowStep",
    "Form",
    "ImpactCategory",
    "IncidentWorkflow",
    "Kpi",
    "LinkedPlan",
    "Measure",
    "Person",
    "Plan",
    "PlanModel",
    "PriorityClass",
    "Process",
    "ProcessResult",
    "RecoveryStep",
    "RefTo",
    "Regulation",
    "RelatedDocument",
    "RemoteWorkCapability",
    "Response",
    "Retention",
    "ReturnPeriod",
    "Revision",
    "RiskCategory",
    "RiskScenario",
    "RiskSubtype",
    "RiskTreatment",
    "Role",
    "Site",
    "Supplier",
    "System",
    "Term",
    "Training",
    "Treatment",
    "Waiver",
    "WorkflowState",
    "WorkflowTransition",
]

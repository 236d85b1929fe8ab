"""Running an incident or a drill by the plan: succession, recovery order, workflow, log and review.

```python
from pathlib import Path

from bcmlib import clock, load_plan
from bcmlib.incident import Attempt, logged_incident, review_incident

plan = load_plan("plan")
with logged_incident(plan, Path("drill.jsonl")) as logged:
    incident = logged.incident
    incident.fire(Attempt("assess", "quality-lead", clock.now()))   # a person id of the plan
status = incident.status(clock.now())   # IncidentStatus: commander now, reports, recovery, warnings
review = review_incident(incident, clock.now())   # IncidentReview, with the exercise record
```

`Incident.status(at)` and `review_incident` return data (`as_data()` gives plain JSON-ready dicts); the
`bcm` command only formats them.
"""

from bcmlib.analysis.items import ItemRef
from bcmlib.incident.diagram import workflow_diagram
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.items import resolve_items
from bcmlib.incident.levels import parse_level
from bcmlib.incident.log import LogRecord, read_log
from bcmlib.incident.recovery import RecoveryItem, recovery_order
from bcmlib.incident.reporting import ReportDuty
from bcmlib.incident.review import Action, IncidentReview, review_incident
from bcmlib.incident.session import LoggedIncident, logged_incident, read_incident
from bcmlib.incident.status import IncidentStatus
from bcmlib.incident.succession import Absence, Holding, Succession, holding, resolve_person, succession
from bcmlib.incident.workflow import Attempt, Incident

__all__ = [
    "Absence",
    "Action",
    "Attempt",
    "Holding",
    "Incident",
    "IncidentError",
    "IncidentReview",
    "IncidentStatus",
    "ItemRef",
    "LogRecord",
    "LoggedIncident",
    "RecoveryItem",
    "ReportDuty",
    "Succession",
    "holding",
    "logged_incident",
    "parse_level",
    "read_incident",
    "read_log",
    "recovery_order",
    "resolve_items",
    "resolve_person",
    "review_incident",
    "succession",
    "workflow_diagram",
]

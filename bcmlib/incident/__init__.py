"""Running an incident or a drill by the plan: succession, recovery order, workflow, log and review.

```python
from datetime import datetime
from pathlib import Path

from bcmlib import load_plan
from bcmlib.incident import Attempt, logged_incident

plan = load_plan("plan")
with logged_incident(plan, Path("drill.jsonl")) as logged:
    logged.incident.fire(Attempt("assess", "robert", datetime.now().astimezone()))
```
"""

from bcmlib.incident.diagram import workflow_diagram
from bcmlib.incident.errors import IncidentError
from bcmlib.incident.items import ItemRef, resolve_items
from bcmlib.incident.levels import LEVELS, parse_level
from bcmlib.incident.log import LogRecord, read_log
from bcmlib.incident.recovery import RecoveryItem, recovery_order
from bcmlib.incident.review import IncidentReview, review_incident
from bcmlib.incident.session import LoggedIncident, logged_incident, read_incident
from bcmlib.incident.succession import Absence, Succession, holding, resolve_person, succession
from bcmlib.incident.workflow import Attempt, Incident

__all__ = [
    "LEVELS",
    "Absence",
    "Attempt",
    "Incident",
    "IncidentError",
    "IncidentReview",
    "ItemRef",
    "LogRecord",
    "LoggedIncident",
    "RecoveryItem",
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

"""bcmlib: a business continuity plan as data, loaded, validated and ready for other tools.

```python
from bcmlib import load_plan, validate

plan = load_plan("plan")
for finding in validate(plan):
    print(finding.location, finding.code, finding.message("en"))
```
"""

from bcmlib._version import __version__
from bcmlib.loading.loader import load_plan
from bcmlib.loading.problems import PlanLoadError, Problem
from bcmlib.locations import Location
from bcmlib.models import Duration, Plan
from bcmlib.schema import plan_file_schema
from bcmlib.validation.findings import Finding, Report, Severity
from bcmlib.validation.validator import validate

__all__ = [
    "Duration",
    "Finding",
    "Location",
    "Plan",
    "PlanLoadError",
    "Problem",
    "Report",
    "Severity",
    "__version__",
    "load_plan",
    "plan_file_schema",
    "validate",
]

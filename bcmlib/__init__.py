"""bcmlib: a business continuity plan as data, loaded, validated and ready for other tools.

```python
from bcmlib import load_plan, validate

plan = load_plan("plan")
for finding in validate(plan):
    print(finding.location, finding.code, finding.message("en"))
```
"""

import typing as _typing
from importlib import import_module as _import_module

from bcmlib._version import __version__

if _typing.TYPE_CHECKING:
    from bcmlib.loading.loader import load_plan as load_plan
    from bcmlib.loading.problems import PlanLoadError as PlanLoadError
    from bcmlib.loading.problems import Problem as Problem
    from bcmlib.locations import Location as Location
    from bcmlib.models import Duration as Duration
    from bcmlib.models import Plan as Plan
    from bcmlib.schema import plan_file_schema as plan_file_schema
    from bcmlib.validation.findings import Finding as Finding
    from bcmlib.validation.findings import Report as Report
    from bcmlib.validation.findings import Severity as Severity
    from bcmlib.validation.validator import validate as validate

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

_HOMES = {
    "Duration": "bcmlib.models",
    "Finding": "bcmlib.validation.findings",
    "Location": "bcmlib.locations",
    "Plan": "bcmlib.models",
    "PlanLoadError": "bcmlib.loading.problems",
    "Problem": "bcmlib.loading.problems",
    "Report": "bcmlib.validation.findings",
    "Severity": "bcmlib.validation.findings",
    "load_plan": "bcmlib.loading.loader",
    "plan_file_schema": "bcmlib.schema",
    "validate": "bcmlib.validation.validator",
}


# Loaded on first use (PEP 562): every `bcmlib.*` import runs this file, and the models and the rules
# take most of a second to build, which a command that needs neither (`bcm --help`) must not pay.
# Type checkers read the imports above instead, so a misspelt name is still an error for them.
if not _typing.TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(_import_module(home), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *_HOMES})

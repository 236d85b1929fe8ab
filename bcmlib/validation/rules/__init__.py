"""The validation rules, one module per family; importing this package registers them all."""

from bcmlib.validation.rules import (
    exercises,
    governance,
    organisation,
    placeholders,
    processes,
    references,
    response,
    roles,
    upkeep,
    workflow,
)

__all__ = [
    "exercises",
    "governance",
    "organisation",
    "placeholders",
    "processes",
    "references",
    "response",
    "roles",
    "upkeep",
    "workflow",
]

"""The validation rules, one module per family; importing this package registers them all."""

from bcmlib.validation.rules import (
    chains,
    communication,
    exercises,
    governance,
    impact,
    organisation,
    placeholders,
    processes,
    references,
    response,
    risks,
    roles,
    strategies,
    supplies,
    upkeep,
    workflow,
)

__all__ = [
    "chains",
    "communication",
    "exercises",
    "governance",
    "impact",
    "organisation",
    "placeholders",
    "processes",
    "references",
    "response",
    "risks",
    "roles",
    "strategies",
    "supplies",
    "upkeep",
    "workflow",
]

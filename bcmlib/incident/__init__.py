"""Running an incident or a drill by the plan: succession, recovery order, workflow, log and review."""

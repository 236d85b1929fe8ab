"""How the plan is kept up, measured from its data: KPIs, ISO 22301 clause coverage, drill programme."""

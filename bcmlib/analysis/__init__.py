"""Analyses of the plan that the rules, the handbook and the command line share."""

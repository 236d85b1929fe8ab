"""What people do when something happens: life safety first, the call tree, and each scenario's checklist.

Shared by the validator (a scenario with no steps, a runbook with no first action), the handbook (the
crisis home page, the checklists, the runbooks and the wallet card) and anything else that reads a plan.
"""

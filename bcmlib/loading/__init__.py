"""Reading plan files: safe YAML with positions, the plan loader, earlier versions and what changed since."""

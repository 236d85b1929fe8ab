"""Reading plan files: safe YAML with positions, and the plan loader."""

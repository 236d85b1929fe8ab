"""Validation rules over a loaded plan, their findings, and waivers."""

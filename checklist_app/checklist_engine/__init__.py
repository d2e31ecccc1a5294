"""The checklist engine: load, validate, pin, diff and build forms for versioned YAML definitions.

Features use this package and never parse YAML themselves.
"""

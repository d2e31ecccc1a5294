"""A school shares its finalised self-evaluations with local-authority officers (and stops)."""

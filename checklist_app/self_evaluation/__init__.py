"""Termly self-evaluation against the school attendance checklist (seed 004, rules R1–R4).

A senior leader rates each checkpoint every term, keeps the school's action plan, signs off and
finalises; governors read the finalised record and add board comments.
"""

DEFINITION_KEY = "school-attendance-self-evaluation"

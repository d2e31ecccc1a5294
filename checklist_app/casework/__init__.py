"""Attendance-contract casework: pupils and families, cases, contract checklist, meetings,
contracts, letters, attendance figures, contacts and the process timeline (rules R5–R29)."""

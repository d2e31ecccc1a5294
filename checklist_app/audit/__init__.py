"""The append-only audit trail: who changed what, when, and why (rule R30)."""

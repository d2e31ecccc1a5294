"""Browse the checklist definitions, their versions and what changed between them."""

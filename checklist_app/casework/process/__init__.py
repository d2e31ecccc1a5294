"""The casework process rules (seed 001) as small pure modules: no database, no Flask, no clock.

Callers read a case into :class:`facts.CaseFacts` (``facts.facts_of`` for a loaded case; the
``casework.facts`` module reads many cases from the database), then ask:

- :mod:`dates`: date arithmetic of the process (weeks, months, review windows);
- :mod:`figures`: attendance thresholds and unauthorised-session counts;
- :mod:`stage`: where a case is (the stage machine);
- :mod:`next_step`: the next step, its due date and the rule behind it;
- :mod:`flags`: what staff should notice on a case;
- :mod:`progress`: the timeline of steps 1–9 and checklist completion.

``today`` and the :class:`~checklist_app.casework.settings.CaseworkSettings` are always passed in.
Rule numbers refer to ``docs/RULES.md``.
"""

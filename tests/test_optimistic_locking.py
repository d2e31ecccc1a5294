"""Every record users edit in the application carries a version for optimistic locking."""

from __future__ import annotations

from checklist_app.audit.services import Audited
from checklist_app.extensions import db

# Changed only from the command line (no page edits them), so no stale form can overwrite them.
COMMAND_LINE_ONLY = {"School", "User", "Membership"}


def test_every_audited_model_has_a_version_column(app):
    missing = []
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        if not issubclass(cls, Audited) or cls.__name__ in COMMAND_LINE_ONLY:
            continue
        if mapper.version_id_col is None:
            missing.append(cls.__name__)
    assert missing == []


def test_audited_models_are_found(app):
    names = {m.class_.__name__ for m in db.Model.registry.mappers if issubclass(m.class_, Audited)}
    assert {"SelfEvaluation", "CheckpointAnswer", "Case", "Contract", "Letter", "Pupil"} <= names

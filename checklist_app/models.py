"""Imports every model so the metadata (and Alembic) sees the whole schema."""

from checklist_app.audit.models import AuditEvent  # noqa: F401
from checklist_app.auth.models import Membership, RecoveryCode, School, User  # noqa: F401
from checklist_app.casework.models import (  # noqa: F401
    Agreement,
    AttendanceFigure,
    Attendee,
    Case,
    Contact,
    Contract,
    Letter,
    Meeting,
    Parent,
    Pupil,
    Signature,
)
from checklist_app.checklist_engine.models import DefinitionSnapshot, LocalCheckpoint  # noqa: F401
from checklist_app.jobs.models import Job  # noqa: F401
from checklist_app.register.models import (  # noqa: F401
    ColumnMapping,
    ImportRun,
    RegisterWeek,
    RollDetails,
    SessionMark,
    TypedWeek,
)
from checklist_app.self_evaluation.models import Action, BoardComment, CheckpointAnswer, SelfEvaluation  # noqa: F401
from checklist_app.sharing.models import LocalAuthorityShare  # noqa: F401

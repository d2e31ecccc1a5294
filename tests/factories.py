"""Shared test-data factories (factory_boy) for every feature, and logging in.

Each factory adds its record to the test's ``db.session`` and flushes (it never commits: the test
client commits what a test arranged before each request). Examples::

    school = SchoolFactory(name="Oakfield Primary")
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Alex Morgan")
    case = CaseFactory(pupil=PupilFactory(school=school), lead=lead)
    parent = ParentFactory(pupil=case.pupil)
    evaluation = SelfEvaluationFactory(school=school, term="2026-27-autumn")
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any

import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from checklist_app.auth.models import Membership, Role, School, User
from checklist_app.casework.models import Case, Parent, Pupil
from checklist_app.extensions import db
from checklist_app.self_evaluation.models import SelfEvaluation

PASSWORD = "correct horse battery"


@cache
def _password_hash() -> str:
    # scrypt is slow on purpose; hash the shared test password once per run.
    return generate_password_hash(PASSWORD, method="scrypt")


class Factory(SQLAlchemyModelFactory):
    """Adds to the test's session and flushes, so ids are known and nothing is committed."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - the session of this test
        sqlalchemy_session_persistence = "flush"


class SchoolFactory(Factory):
    """A school with a unique URN."""

    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Test School {n + 1}")
    urn = factory.Sequence(lambda n: f"9{n + 1:05d}")
    local_authority = "Test Borough"


class UserFactory(Factory):
    """A user whose password is :data:`PASSWORD`, with ``role`` in ``school`` when one is given."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n + 1}@example.org")
    name = factory.Sequence(lambda n: f"User {n + 1}")
    password_hash = factory.LazyFunction(_password_hash)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, school: School | None = None,
                role: Role | str = Role.SENIOR_LEADER, **kwargs: Any) -> User:
        user = model_class(*args, **kwargs)
        if school is not None:
            user.memberships.append(Membership(school=school, role=Role(role)))
        db.session.add(user)
        db.session.flush()
        return user


class PupilFactory(Factory):
    """A pupil of ``school`` (a new school unless given)."""

    class Meta:
        model = Pupil

    class Params:
        school = factory.SubFactory(SchoolFactory)

    school_id = factory.SelfAttribute("school.id")
    first_name = "Zoë"
    last_name = "Adeyemi"
    year_group = "Year 8"
    date_of_birth = date(2013, 1, 31)


class ParentFactory(Factory):
    """A parent or carer of ``pupil``."""

    class Meta:
        model = Parent

    pupil = factory.SubFactory(PupilFactory)
    school_id = factory.SelfAttribute("pupil.school_id")
    title = "Ms"
    first_name = "Funmi"
    last_name = "Adeyemi"
    relationship_to_pupil = "Mother"
    address = "1 Elm Road\nOakfield"
    postcode = "OK1 2AB"


def _pinned_checklist() -> Any:
    from checklist_app.checklist_engine.pinning import pin
    from checklist_app.checklist_engine.registry import registry

    return pin(registry().newest_published("attendance-contract-checklist"))


class CaseFactory(Factory):
    """An open case of ``pupil`` with the contract checklist pinned; ``lead`` is optional."""

    class Meta:
        model = Case

    pupil = factory.SubFactory(PupilFactory)
    school_id = factory.SelfAttribute("pupil.school_id")
    lead = None
    chair_name = "Mrs Helen Carter"
    baseline_attendance = 80.0
    reason_for_concern = "Persistent absence"
    opened_on = date(2027, 1, 4)
    checklist_snapshot = factory.LazyFunction(_pinned_checklist)
    checklist_answers = factory.LazyFunction(dict)


class SelfEvaluationFactory(Factory):
    """A draft self-evaluation of ``school`` on the newest edition, made as the service makes it.

    ``term`` is a :class:`Term` or its slug ("2026-27-autumn"); the term of today by default.
    """

    class Meta:
        model = SelfEvaluation

    school = factory.SubFactory(SchoolFactory)
    term = None
    user = None

    @classmethod
    def _create(cls, model_class: type[SelfEvaluation], *args: Any, **kwargs: Any) -> SelfEvaluation:
        from checklist_app.self_evaluation import services
        from checklist_app.self_evaluation.terms import Term

        school, term, user = kwargs["school"], kwargs["term"], kwargs["user"]
        term = Term.parse(term) if isinstance(term, str) else (term or Term.for_date(date.today()))
        evaluation = services.create(school, term, user, services.newest_edition())
        db.session.flush()
        return evaluation


def login(client, user: User, password: str = PASSWORD):
    """Log the test client in as ``user``."""
    return client.post("/login", data={"email": user.email, "password": password})


def without_govuk_classes(html: str) -> str:
    """The page with GOV.UK Frontend's classes taken out (and a class attribute left empty by that
    dropped), so a test can read a table's structure and our own classes (``rating-…``, ``diff-…``,
    ``struck``) without spelling out GOV.UK's markup."""
    def keep(match: re.Match) -> str:
        names = [n for n in match.group(1).split() if not n.startswith("govuk-")]
        return f' class="{" ".join(names)}"' if names else ""
    return re.sub(r' class="([^"]*)"', keep, html)

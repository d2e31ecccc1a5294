"""The command line: quickstart (set-up, idempotence, serving), schools and users."""

from __future__ import annotations

from sqlalchemy import func, select

from checklist_app import cli
from checklist_app.auth.models import School, User
from checklist_app.extensions import db
from checklist_app.self_evaluation.models import SelfEvaluation


def test_quickstart_sets_up_once_and_serves(app, monkeypatch):
    served = []
    monkeypatch.setattr(cli, "run_simple", lambda host, port, application, **kw:
                        served.append((host, port, application)))
    monkeypatch.setattr(cli, "upgrade", lambda: None)  # the test database is built from the models
    runner = app.test_cli_runner()
    first = runner.invoke(args=["quickstart", "--port", "5099"])
    assert first.exit_code == 0, first.output
    assert "password:" in first.output and "admin@oakfield.example" in first.output
    assert served == [("127.0.0.1", 5099, app)]
    counts = (db.session.scalar(select(func.count()).select_from(User)),
              db.session.scalar(select(func.count()).select_from(SelfEvaluation)))
    second = runner.invoke(args=["quickstart", "--no-serve"])
    assert second.exit_code == 0 and "password:" not in second.output
    assert "already exists" in second.output
    assert (db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(SelfEvaluation))) == counts
    assert len(served) == 1


def test_schools_and_users_commands(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["schools", "create", "--name", "Elm Academy", "--urn", "123456"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["schools", "create", "--name", "Again", "--urn", "123456"]).exit_code == 1
    result = runner.invoke(args=["users", "create", "--email", "sian@elm.example", "--name", "Siân Jones",
                                 "--role", "governor", "--school", "123456", "--password-stdin"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "sian@elm.example"))
    assert user.check_password("a long enough password")
    assert user.memberships[0].school == db.session.scalar(select(School).where(School.urn == "123456"))
    result = runner.invoke(args=["users", "deactivate", "--email", "sian@elm.example"])
    assert result.exit_code == 0
    db.session.refresh(user)
    assert user.active is False
    result = runner.invoke(args=["users", "create", "--email", "x@elm.example", "--name", "X",
                                 "--role", "staff", "--school", "000000", "--password-stdin"],
                           input="a long enough password\n")
    assert result.exit_code == 1 and "No school has URN 000000" in result.output

"""``checklist-app export`` and ``checklist-app import``."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from checklist_app.backup.services import BackupError, dumps, export_all, import_all
from checklist_app.editing import commit
from checklist_app.extensions import db


@click.command("export")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--include-password-hashes", is_flag=True,
              help="Also export password hashes and calendar tokens (keep the file secret).")
@with_appcontext
def export_command(output: Path, include_password_hashes: bool) -> None:
    """Write everything (schools, users, definitions, records, audit trail) to a JSON file."""
    data = export_all(include_secrets=include_password_hashes)
    output.write_text(dumps(data), encoding="utf-8")
    rows = sum(len(r) for r in data["tables"].values())
    click.echo(f"Exported {rows:,} rows from {len(data['tables'])} tables to {output} "
               f"({output.stat().st_size:,} bytes, schema revision {data['schema_revision']}, "
               f"SHA-256 {data['checksum'][:12]}…).")
    if not include_password_hashes:
        click.echo("Password hashes were left out: after an import, set each user's password.")


@click.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--include-password-hashes", is_flag=True,
              help="Restore the password hashes a file made with the same flag holds.")
@with_appcontext
def import_command(source: Path, include_password_hashes: bool) -> None:
    """Restore a backup into an empty, migrated database (all checked first, all or nothing)."""
    try:
        data = json.loads(source.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{source} is not a readable backup: {error}. "
                                   "Nothing was changed.") from None
    try:
        counts = import_all(data, accept_secrets=include_password_hashes)
        commit()
    except BackupError as error:
        db.session.rollback()
        raise click.ClickException(f"Import refused, nothing was changed: {error}.") from None
    click.echo(f"Imported {sum(counts.values()):,} rows into {len(counts)} tables.")

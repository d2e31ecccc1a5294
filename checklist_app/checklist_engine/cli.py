"""``checklist-app checklists list | validate | diff``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from checklist_app.checklist_engine.diff import diff as diff_definitions
from checklist_app.checklist_engine.loader import DefinitionError, load_definition_file
from checklist_app.checklist_engine.registry import registry


@click.group("checklists")
def checklists_group() -> None:
    """List, validate and compare checklist definitions."""


@checklists_group.command("list")
@with_appcontext
def list_definitions() -> None:
    """Every definition and version in the checklists folder, and any refused files."""
    reg = registry()
    for key in sorted(reg.definitions):
        for definition in reg.versions(key):
            click.echo(f"{key}  {definition.version}  {definition.status}  "
                       f"{len(definition.items())} items  {definition.title}")
    for problem in reg.problems:
        click.echo(f"REFUSED {problem}", err=True)


@checklists_group.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def validate(paths: tuple[Path, ...]) -> None:
    """Check definition files (all of them when no PATH is given); exit 1 on any problem."""
    root = Path(current_app.config["CHECKLISTS_DIR"])
    files: list[Path] = []
    for path in paths or (root,):
        files += sorted(path.glob("*/*.yaml")) if path.is_dir() else [path]
    failures = 0
    for path in files:
        try:
            definition = load_definition_file(path, root)
        except DefinitionError as error:
            failures += 1
            for problem in error.problems:
                click.echo(str(problem), err=True)
            continue
        click.echo(f"ok  {path}  ({definition.key} {definition.version}, "
                   f"{len(definition.items())} items)")
    if failures:
        raise click.exceptions.Exit(1)


@checklists_group.command("diff")
@click.argument("key")
@click.argument("old")
@click.argument("new")
@with_appcontext
def diff(key: str, old: str, new: str) -> None:
    """What changed in KEY between versions OLD and NEW."""
    reg = registry()
    before, after = reg.get(key, old), reg.get(key, new)
    for version, found in ((old, before), (new, after)):
        if found is None:
            raise click.ClickException(f"No valid definition {key} version {version}.")
    changes = diff_definitions(before, after)
    if not changes:
        click.echo("No differences.")
    for change in changes:
        item = change.new or change.old
        click.echo(f"{change.kind.value:9}  {item.number:>5}  {change.item_id}"
                   f"{'  (' + change.detail + ')' if change.detail else ''}")

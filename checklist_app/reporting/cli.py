"""``checklist-app report ...``: print reports to files in batches, without a browser."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from checklist_app import clock
from checklist_app.reporting import services
from checklist_app.reporting.services import Document, ReportError


def _write(document: Document, output: str) -> None:
    path = Path(output)
    try:
        path.write_bytes(document.data)
    except OSError as error:
        raise click.ClickException(f"Could not write {path}: {error.strerror or error}") from None
    click.echo(f"Wrote {path} ({len(document.data) // 1024 + 1:,} KB).")


@click.group("report")
def report_group() -> None:
    """Produce report PDFs (self-evaluations, board packs, case evidence packs)."""


def _evaluation(urn: str, term: str):
    """The school's self-evaluation for the term, or a clear error for the command line."""
    try:
        return services.evaluation_for(urn, term)
    except ReportError as error:
        raise click.ClickException(str(error)) from None


@report_group.command("self-evaluation")
@click.argument("urn")
@click.argument("term")
@click.option("-o", "--output", required=True, help="The PDF file to write.")
@with_appcontext
def self_evaluation_report(urn: str, term: str, output: str) -> None:
    """The self-evaluation and action plan of school URN for TERM (e.g. 2026-27-autumn)."""
    evaluation = _evaluation(urn, term)
    _write(services.action_plan_pdf(evaluation, clock.today()), output)


@report_group.command("board-pack")
@click.argument("urn")
@click.argument("term")
@click.option("-o", "--output", required=True, help="The PDF file to write.")
@with_appcontext
def board_pack_report(urn: str, term: str, output: str) -> None:
    """The governing board pack of school URN for TERM (e.g. 2026-27-autumn)."""
    evaluation = _evaluation(urn, term)
    _write(services.board_pack_pdf(evaluation, clock.today()), output)


@report_group.command("case")
@click.argument("case_id")
@click.option("-o", "--output", required=True, help="The PDF file to write.")
@with_appcontext
def case_report(case_id: str, output: str) -> None:
    """The evidence pack (whole chronology) of case CASE_ID, for a referral."""
    from checklist_app.reporting import case_reports

    if not case_id.isdigit():
        raise click.ClickException(f"{case_id!r} is not a case number.")
    try:
        case = case_reports.case_by_id(int(case_id))
    except ReportError as error:
        raise click.ClickException(str(error)) from None
    _write(case_reports.evidence_pack_pdf(case, clock.today()), output)


@click.group("cache")
def cache_group() -> None:
    """The cache of finished report PDFs."""


@cache_group.command("clear")
@with_appcontext
def cache_clear() -> None:
    """Delete every cached PDF (they are made again when next downloaded)."""
    from checklist_app.reporting.cache import cache_dir, clear_cache

    click.echo(f"Removed {clear_cache()} cached PDF(s) from {cache_dir()}.")

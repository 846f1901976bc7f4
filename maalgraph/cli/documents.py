"""Commands that change or check the stored documents: ingest, validate, stats, export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import MaalgraphError
from ..i18n import _, error_text
from ..output import render_table
from .base import Context, friendly_errors, main, pass_context

if TYPE_CHECKING:
    from ..api import IngestReport, MaalGraph


@main.command(help=_("Ingest goal follow-ups and committee agenda items (one named graph each)."))
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar=_("FILES...")
)
@click.option(
    "--max-mb",
    default=10.0,
    show_default=True,
    metavar="MB",
    help=_("Refuse files larger than this."),
)
@pass_context
@friendly_errors
def ingest(ctx: Context, files: tuple[str, ...], max_mb: float) -> None:
    from ..api import IngestReport

    if not ctx.writable:
        raise click.ClickException(
            _(
                "ingest needs a persistent store: use --store PATH (or set MAALGRAPH_STORE), "
                "or --endpoint with --update-endpoint; without them maalgraph serves the "
                "bundled example corpus read-only"
            )
        )
    kg = ctx.graph()
    failures: list[tuple[Path, MaalgraphError]] = []
    reports: list[IngestReport] = []

    def done(path: Path, outcome: IngestReport | Exception) -> None:
        if isinstance(outcome, IngestReport):
            reports.append(outcome)
        else:
            if not isinstance(outcome, MaalgraphError):
                raise outcome
            failures.append((path, outcome))

    max_bytes = int(max_mb * 1024 * 1024)
    if len(files) > 1:
        with click.progressbar(files, label=_("Ingesting"), file=sys.stderr) as bar:
            kg.ingest_many(bar, max_bytes=max_bytes, on_done=done)
    else:
        kg.ingest_many(files, max_bytes=max_bytes, on_done=done)
    if reports:
        kinds = {"follow-up": _("follow-up"), "agenda-item": _("agenda item")}
        rows = [[r.path.name, kinds.get(r.kind, r.kind), str(r.triples),
                 _("replaced") if r.replaced else _("new"), str(len(r.warnings))]
                for r in reports]  # fmt: skip
        columns = [_("file name"), _("type"), _("triples"), _("status"), _("warnings")]
        click.echo(render_table(columns, rows))
    for report in reports:
        for warning in report.warnings:
            click.echo(_("warning: {file}: {warning}", file=report.path.name, warning=warning),
                       err=True)  # fmt: skip
    for _path, error in failures:
        click.echo(_("error: {message}", message=error_text(error)), err=True)
    _show_inconsistencies(kg, err=True)
    counts = kg.stats()
    click.echo(
        _(
            "{ingested} ingested, {failed} failed; the store now has {documents} documents "
            "and {goals} goals.",
            ingested=len(reports),
            failed=len(failures),
            documents=counts["dokumenter"],
            goals=counts["mål"],
        )
    )
    if failures:
        sys.exit(1)


@main.command(help=_("List the file formats maalgraph reads, with the library that reads each."))
def formats() -> None:
    from ..ingest.readers import FORMATS

    rows = [
        [f.name, " ".join(f.suffixes), f.description, f"{f.library} ({f.licence})"] for f in FORMATS
    ]
    columns = [_("format"), _("file endings"), _("content"), _("read with")]
    click.echo(render_table(columns, rows, max_width=70))
    click.echo(_("Text in cp1252, latin-1 and UTF-16 is recognised and read with a warning."))


@main.command(help=_("Check every document graph against the SHACL shapes."))
@click.option(
    "--shapes",
    type=click.Path(dir_okay=False, exists=True),
    metavar=_("FILE"),
    help=_("Other SHACL shapes to check against."),
)
@pass_context
@friendly_errors
def validate(ctx: Context, shapes: str | None) -> None:
    import rdflib

    kg = ctx.graph(read_only=True)
    shapes_graph = rdflib.Graph().parse(shapes, format="turtle") if shapes else None
    results = kg.validate(shapes_graph)
    rows = [[r.graph, _("yes") if r.conforms else _("no"), str(r.violations)] for r in results]
    click.echo(render_table([_("graph"), _("conforms"), _("violations")], rows, max_width=90))
    for r in results:
        if not r.conforms:
            click.echo(r.report, err=True)
    bad = sum(not r.conforms for r in results)
    click.echo(
        _(
            "{good} of {total} graphs conform to the shapes (SHACL).",
            good=len(results) - bad,
            total=len(results),
        )
    )
    if bad:
        sys.exit(1)


@main.command(help=_("Counts: focus areas, goals per verdict, partners, projects, measurements."))
@pass_context
@friendly_errors
def stats(ctx: Context) -> None:
    kg = ctx.graph(read_only=True)
    click.echo(render_table([_("what"), _("count")], [[k, str(v)] for k, v in kg.stats().items()]))
    _show_inconsistencies(kg, err=False)


SHOWN_INCONSISTENCIES = 10


def _show_inconsistencies(kg: MaalGraph, *, err: bool) -> None:
    """The first few inconsistencies linking found, and how to see the rest."""
    found = kg.inconsistencies()
    for warning in found[:SHOWN_INCONSISTENCIES]:
        click.echo(_("inconsistency: {text}", text=warning), err=err)
    if len(found) > SHOWN_INCONSISTENCIES:
        click.echo(
            _(
                "… and {more} more inconsistencies: maalgraph sparql inconsistencies",
                more=len(found) - SHOWN_INCONSISTENCIES,
            ),
            err=err,
        )


@main.command(help=_("Export the whole graph (ttl and nt merge the named graphs)."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "trig", "nq", "nt", "jsonld"]),
    default="trig",
    show_default=True,
    help=_("The RDF format."),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    metavar=_("FILE"),
    help=_("Write to a file instead of stdout."),
)
@pass_context
@friendly_errors
def export(ctx: Context, fmt: str, output: str | None) -> None:
    data = ctx.graph(read_only=True).export(fmt)
    if output:
        Path(output).write_bytes(data)
        click.echo(_("wrote {size} bytes to {file}", size=len(data), file=output), err=True)
    else:
        sys.stdout.buffer.write(data)

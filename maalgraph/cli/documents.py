"""Commands that change or check the stored documents: ingest, validate, stats, export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import MaalgraphError
from ..output import render_table
from .base import Context, friendly_errors, main, pass_context

if TYPE_CHECKING:
    from ..api import IngestReport, MaalGraph


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--max-mb", default=10.0, show_default=True, help="Refuse files larger than this.")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Processes that read the files while this one writes them (default: one per core "
    "for 12 files or more; 0: read them here).",
)
@pass_context
@friendly_errors
def ingest(ctx: Context, files: tuple[str, ...], max_mb: float, workers: int | None) -> None:
    """Ingest goal follow-ups and committee agenda items (one named graph each)."""
    from ..api import IngestReport

    if not ctx.writable:
        raise click.ClickException(
            "ingest needs a persistent store: use --store PATH (or set MAALGRAPH_STORE), or "
            "--endpoint with --update-endpoint; without them maalgraph serves the bundled "
            "example corpus read-only"
        )
    kg = ctx.graph()
    failures: list[tuple[Path, Exception]] = []
    reports: list[IngestReport] = []

    def done(path: Path, outcome: IngestReport | Exception) -> None:
        if bar is not None:
            bar.update(1)
        if isinstance(outcome, IngestReport):
            reports.append(outcome)
        else:
            if not isinstance(outcome, MaalgraphError):
                raise outcome
            failures.append((path, outcome))

    max_bytes = int(max_mb * 1024 * 1024)
    bar = None
    if len(files) > 1:
        with click.progressbar(length=len(files), label="Indlæser", file=sys.stderr) as bar:
            kg.ingest_many(files, max_bytes=max_bytes, on_done=done, workers=workers)
    else:
        kg.ingest_many(files, max_bytes=max_bytes, on_done=done, workers=workers)
    if reports:
        rows = [[r.path.name, r.kind, str(r.triples), "erstattet" if r.replaced else "ny", str(len(r.warnings))]
                for r in reports]  # fmt: skip
        click.echo(render_table(["fil", "type", "tripler", "status", "advarsler"], rows))
    for report in reports:
        for warning in report.warnings:
            click.echo(f"advarsel: {report.path.name}: {warning}", err=True)
    for _, error in failures:
        click.echo(f"fejl: {error}", err=True)
    _show_inconsistencies(kg, err=True)
    counts = kg.stats()
    click.echo(
        f"{len(reports)} indlæst, {len(failures)} fejlede; lageret har nu "
        f"{counts['dokumenter']} dokumenter og {counts['mål']} mål."
    )
    if failures:
        sys.exit(1)


@main.command()
def formats() -> None:
    """List the file formats maalgraph reads, with the library that reads each."""
    from ..ingest.readers import FORMATS

    rows = [
        [f.name, " ".join(f.suffixes), f.description, f"{f.library} ({f.licence})"] for f in FORMATS
    ]
    click.echo(render_table(["format", "filendelser", "indhold", "læses med"], rows, max_width=70))
    click.echo("Tekst i cp1252, latin-1 og UTF-16 genkendes og læses med en advarsel.")


@main.command()
@click.option(
    "--shapes",
    type=click.Path(dir_okay=False, exists=True),
    help="Other SHACL shapes to check against.",
)
@pass_context
@friendly_errors
def validate(ctx: Context, shapes: str | None) -> None:
    """Check every document graph against the SHACL shapes."""
    import rdflib

    kg = ctx.graph(read_only=True)
    shapes_graph = rdflib.Graph().parse(shapes, format="turtle") if shapes else None
    results = kg.validate(shapes_graph)
    rows = [[r.graph, "ja" if r.conforms else "nej", str(r.violations)] for r in results]
    click.echo(render_table(["graf", "overholder", "brud"], rows, max_width=90))
    for r in results:
        if not r.conforms:
            click.echo(r.report, err=True)
    bad = sum(not r.conforms for r in results)
    click.echo(f"{len(results) - bad} af {len(results)} grafer overholder formerne (SHACL).")
    if bad:
        sys.exit(1)


@main.command()
@pass_context
@friendly_errors
def stats(ctx: Context) -> None:
    """Counts: focus areas, goals per verdict, partners, projects, measurements."""
    kg = ctx.graph(read_only=True)
    click.echo(render_table(["hvad", "antal"], [[k, str(v)] for k, v in kg.stats().items()]))
    _show_inconsistencies(kg, err=False)


SHOWN_INCONSISTENCIES = 10


def _show_inconsistencies(kg: MaalGraph, *, err: bool) -> None:
    """The first few inconsistencies linking found, and how to see the rest."""
    found = kg.inconsistencies()
    for warning in found[:SHOWN_INCONSISTENCIES]:
        click.echo(f"uoverensstemmelse: {warning}", err=err)
    if len(found) > SHOWN_INCONSISTENCIES:
        click.echo(
            f"… og {len(found) - SHOWN_INCONSISTENCIES} uoverensstemmelser mere: maalgraph sparql inconsistencies",
            err=err,
        )


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "trig", "nq", "nt", "jsonld"]),
    default="trig",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of stdout."
)
@pass_context
@friendly_errors
def export(ctx: Context, fmt: str, output: str | None) -> None:
    """Export the whole graph (ttl and nt merge the named graphs)."""
    data = ctx.graph(read_only=True).export(fmt)
    if output:
        Path(output).write_bytes(data)
        click.echo(f"skrev {len(data)} bytes til {output}", err=True)
    else:
        sys.stdout.buffer.write(data)

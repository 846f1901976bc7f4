"""Commands that analyse the goal network: impact, analyse, trends, network."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from ..analysis import EXPORT_FORMATS, PICTURE_FORMATS
from ..output import render_table
from .base import Context, friendly_errors, main, pass_context

TYPE_NAMES = {
    "partner": "samarbejdspartner",
    "unit": "intern enhed",
    "project": "projekt",
    "plan": "plan",
}


def _json(value: Any) -> str:
    """Dataclasses (and their Decimals and tuples) as JSON."""

    def plain(v: Any) -> Any:
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            out = {f.name: plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
            for name in ("via", "share", "direction", "change", "relative", "goals"):
                if hasattr(type(v), name) and isinstance(getattr(type(v), name), property):
                    out[name] = plain(getattr(v, name))
            return out
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        if isinstance(v, Decimal):
            return int(v) if v == v.to_integral_value() else float(v)
        return v

    return json.dumps(plain(value), ensure_ascii=False, indent=2)


def _number(value: Decimal | float) -> str:
    """A number as a Danish reader writes it: 1.745 and 10,4."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@main.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--year", type=int, help="Only goals of this budget year.")
@click.option("--json", "as_json", is_flag=True, help="The result as JSON.")
@pass_context
@friendly_errors
def impact(ctx: Context, names: tuple[str, ...], year: int | None, as_json: bool) -> None:
    """What is at risk if partners, units or projects stop: NAMES (names or IRIs)."""
    found = ctx.graph(read_only=True).impact(*names, year=year)
    if as_json:
        click.echo(_json(found))
        return
    who = ", ".join(found.labels)
    if not found.paths:
        click.echo(f"Ingen mål afhænger af {who}.")
        return
    click.echo(
        f"Hvis {who} stopper, er {len(found.goals)} mål i {len(found.focus_areas)} fokusområde(r) i fare:\n"
    )
    rows = [
        [p.goal_label, p.verdict, p.focus_area_label, " → ".join(p.labels), p.section]
        for p in found.paths
    ]
    click.echo(render_table(["mål", "vurdering", "fokusområde", "forklaring", "kilde"], rows))
    click.echo("\nAndel af fokusområdernes mål:")
    for share in found.focus_areas:
        click.echo(f"  • {share.label}: {share.affected} af {share.total} mål ({share.share:.0%})")


@main.command()
@click.option("--municipality", metavar="NAME", help="Only this municipality (a name or IRI).")
@click.option("--year", type=int, help="Only this budget year.")
@click.option(
    "--top", default=10, show_default=True, type=click.IntRange(1), help="How many to rank."
)
@click.option("--json", "as_json", is_flag=True, help="The result as JSON.")
@pass_context
@friendly_errors
def analyse(
    ctx: Context, municipality: str | None, year: int | None, top: int, as_json: bool
) -> None:
    """Who matters most: partners, units and projects by the goals that depend on them;
    those shared across focus areas; goals with none (see docs/analysis.md)."""
    result = ctx.graph(read_only=True).analyse(municipality=municipality, year=year)
    if as_json:
        click.echo(_json(result))
        return
    click.echo(
        "Samarbejdspartnere, enheder og projekter efter hvor mange mål der afhænger af dem:\n"
    )
    rows = [[r.label, TYPE_NAMES.get(r.type, r.type), str(r.goals), str(r.focus_areas), f"{r.degree:.0%}",
             _number(round(r.betweenness, 3))] for r in result.rankings[:top]]  # fmt: skip
    click.echo(
        render_table(["navn", "type", "mål", "fokusområder", "andel af målene", "brobygning"], rows)
    )
    if result.shared:
        click.echo("\nDelt på tværs af fokusområder:")
        for shared in result.shared:
            click.echo(
                f"  • {shared.label} ({TYPE_NAMES.get(shared.type, shared.type)}): {'; '.join(shared.focus_areas)}"
            )
    if result.unsupported:
        click.echo(
            "\nMål uden samarbejdspartner, enhed eller projekt (sårbare eller underdokumenterede):"
        )
        for goal in result.unsupported:
            click.echo(f"  • {goal.label} ({goal.verdict}): {goal.text}")


@main.command()
@click.option("--municipality", metavar="NAME", help="Only this municipality (a name or IRI).")
@click.option("--json", "as_json", is_flag=True, help="The result as JSON.")
@pass_context
@friendly_errors
def trends(ctx: Context, municipality: str | None, as_json: bool) -> None:
    """Year over year: goals whose verdict changed, and measured outcomes with their trend."""
    kg = ctx.graph(read_only=True)
    changes, series = (
        kg.verdict_changes(municipality=municipality),
        kg.trends(municipality=municipality),
    )
    if as_json:
        click.echo(_json({"verdict_changes": changes, "trends": series}))
        return
    if changes:
        click.echo("Mål med ændret vurdering:\n")
        rows = [[c.municipality, f"{c.earlier_year} → {c.later_year}", f"{c.earlier_verdict} → {c.later_verdict}", c.text]
                for c in changes]  # fmt: skip
        click.echo(render_table(["kommune", "år", "vurdering", "mål"], rows) + "\n")
    else:
        click.echo("Ingen mål har skiftet vurdering (det kræver opfølgninger fra flere år).\n")
    click.echo("Målinger over tid:\n")
    rows = []
    for t in series:
        values = " → ".join(f"{p.period}: {_number(p.value)}" for p in t.points)
        relative = f", {t.relative:+.1%}".replace(".", ",") if t.relative is not None else ""
        change = ("+" if t.change > 0 else "") + _number(t.change)
        rows.append([t.area, t.indicator, t.unit, values, f"{t.direction} ({change}{relative})"])
    click.echo(
        render_table(["område", "hvad er målt", "enhed", "værdier", "udvikling"], rows)
        if rows
        else "Ingen målinger med mere end én periode."
    )


@main.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="File to write: .svg, .png, .graphml or .gexf.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*PICTURE_FORMATS, *EXPORT_FORMATS]),
    help="Format (default: from --out).",
)
@click.option("--municipality", metavar="NAME", help="Only this municipality (a name or IRI).")
@click.option("--year", type=int, help="Only this budget year.")
@click.option(
    "--focus-area", metavar="TEXT", help="Only this focus area (words of its title, or its IRI)."
)
@click.option(
    "--around", metavar="NAME", help="Only what depends on this partner, unit or project."
)
@click.option(
    "--width", type=click.IntRange(200, 10000), help="Picture width in pixels (default 1500)."
)
@click.option(
    "--height",
    type=click.IntRange(200, 20000),
    help="Picture height in pixels (default: as the network needs).",
)
@pass_context
@friendly_errors
def network(ctx: Context, out: str, fmt: str | None, municipality: str | None, year: int | None,
            focus_area: str | None, around: str | None, width: int | None, height: int | None) -> None:  # fmt: skip
    """A picture of the goal–partner network (SVG/PNG), or an export for Gephi or yEd."""
    target = Path(out)
    if fmt and target.suffix.lstrip(".").lower() != fmt:
        target = target.with_name(target.name + "." + fmt)
    written = ctx.graph(read_only=True).draw_network(
        target,
        municipality=municipality,
        year=year,
        focus_area=focus_area,
        around=around,
        width=width,
        height=height,
    )
    click.echo(f"skrev {written}")

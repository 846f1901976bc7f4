"""Commands that analyse the goal network: impact, analyse, trends, network."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from ..analysis import EXPORT_FORMATS, PICTURE_FORMATS
from ..i18n import _
from ..numbers import number, percent, signed
from ..output import render_table
from ..wording import goal_name, kind_name, listing
from .base import Context, friendly_errors, main, pass_context

JSON_HELP = _("The result as JSON.")
MUNICIPALITY_HELP = _("Only this municipality (a name or IRI).")
YEAR_HELP = _("Only this budget year.")


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


@main.command(help=_("What is at risk if partners, units or projects stop: NAMES (names or IRIs)."))
@click.argument("names", nargs=-1, required=True, metavar=_("NAMES..."))
@click.option("--year", type=int, metavar=_("YEAR"), help=YEAR_HELP)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
@friendly_errors
def impact(ctx: Context, names: tuple[str, ...], year: int | None, as_json: bool) -> None:
    found = ctx.graph(read_only=True).impact(*names, year=year)
    if as_json:
        click.echo(_json(found))
        return
    who = listing(found.labels)
    if not found.paths:
        click.echo(_("No goal depends on {names}.", names=who))
        return
    goals = found.by_goal()
    click.echo(
        _(
            "If {names} stops, {goals} goals in {areas} focus area(s) are at risk:",
            names=who,
            goals=len(goals),
            areas=len(found.focus_areas),
        )
        + "\n"
    )
    rows = [[goal_name(g.identifier, g.text), g.verdict, g.focus_area_label,
             "; ".join(" → ".join(e) for e in g.explanations), "; ".join(g.sections)]
            for g in goals]  # fmt: skip
    columns = [_("goal"), _("verdict"), _("focus area"), _("explanation"), _("source")]
    click.echo(render_table(columns, rows, max_width=[50, 20, 40, 120, 60]))
    click.echo("\n" + _("Share of the focus areas' goals:"))
    for share in found.focus_areas:
        click.echo(
            "  • "
            + _(
                "{focus_area}: {affected} of {total} goals ({share})",
                focus_area=share.label,
                affected=share.affected,
                total=share.total,
                share=percent(share.share),
            )
        )


@main.command(
    help=_(
        "Who matters most: partners, units and projects by the goals that depend on them; "
        "those shared across focus areas; goals with none (see docs/analysis.md)."
    )
)
@click.option("--municipality", metavar=_("NAME"), help=MUNICIPALITY_HELP)
@click.option("--year", type=int, metavar=_("YEAR"), help=YEAR_HELP)
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(1),
    metavar=_("NUMBER"),
    help=_("How many to rank."),
)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
@friendly_errors
def analyse(
    ctx: Context, municipality: str | None, year: int | None, top: int, as_json: bool
) -> None:
    result = ctx.graph(read_only=True).analyse(municipality=municipality, year=year)
    if as_json:
        click.echo(_json(result))
        return
    click.echo(_("Partners, units and projects by how many goals depend on them:") + "\n")
    rows = [[r.label, kind_name(r.type), str(r.goals), str(r.focus_areas), percent(r.degree),
             number(round(r.betweenness, 3))] for r in result.rankings[:top]]  # fmt: skip
    columns = [_("name"), _("type"), _("goals"), _("focus areas"), _("share of the goals"),
               _("bridging")]  # fmt: skip
    click.echo(render_table(columns, rows))
    if result.shared:
        click.echo("\n" + _("Shared across focus areas:"))
        for shared in result.shared:
            click.echo(
                f"  • {shared.label} ({kind_name(shared.type)}): {'; '.join(shared.focus_areas)}"
            )
    if result.unsupported:
        click.echo(
            "\n" + _("Goals without a partner, unit or project (vulnerable or under-documented):")
        )
        for goal in result.unsupported:
            click.echo(f"  • {goal.label} ({goal.verdict}): {goal.text}")


@main.command(
    help=_("Year over year: goals whose verdict changed, and measured outcomes with their trend.")
)
@click.option("--municipality", metavar=_("NAME"), help=MUNICIPALITY_HELP)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
@friendly_errors
def trends(ctx: Context, municipality: str | None, as_json: bool) -> None:
    kg = ctx.graph(read_only=True)
    changes, series = (
        kg.verdict_changes(municipality=municipality),
        kg.trends(municipality=municipality),
    )
    if as_json:
        click.echo(_json({"verdict_changes": changes, "trends": series}))
        return
    if changes:
        click.echo(_("Goals whose verdict changed:") + "\n")
        rows = [[c.municipality, f"{c.earlier_year} → {c.later_year}", f"{c.earlier_verdict} → {c.later_verdict}", c.text]
                for c in changes]  # fmt: skip
        columns = [_("municipality"), _("year"), _("verdict"), _("goal")]
        click.echo(render_table(columns, rows) + "\n")
    else:
        click.echo(
            _("No goal changed its verdict (that needs follow-ups from several years).") + "\n"
        )
    click.echo(_("Measurements over time:") + "\n")
    rows = []
    for t in series:
        values = " → ".join(f"{p.period}: {number(p.value, p.text)}" for p in t.points)
        relative = ", " + percent(t.relative, 1, sign=True) if t.relative is not None else ""
        rows.append(
            [t.area, t.indicator, t.unit, values, f"{t.direction} ({signed(t.change)}{relative})"]
        )
    columns = [_("area"), _("what was measured"), _("unit"), _("values"), _("trend")]
    click.echo(
        render_table(columns, rows) if rows else _("No measurements with more than one period.")
    )


@main.command(
    help=_("A picture of the goal–partner network (SVG/PNG), or an export for Gephi or yEd.")
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    metavar=_("FILE"),
    help=_("File to write: .svg, .png, .graphml or .gexf."),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*PICTURE_FORMATS, *EXPORT_FORMATS]),
    help=_("Format (default: from --out)."),
)
@click.option("--municipality", metavar=_("NAME"), help=MUNICIPALITY_HELP)
@click.option("--year", type=int, metavar=_("YEAR"), help=YEAR_HELP)
@click.option(
    "--focus-area",
    metavar=_("TEXT"),
    help=_("Only this focus area (words of its title, or its IRI)."),
)
@click.option(
    "--around", metavar=_("NAME"), help=_("Only what depends on this partner, unit or project.")
)
@click.option(
    "--width",
    type=click.IntRange(200, 10000),
    metavar=_("PIXELS"),
    help=_("Picture width in pixels (default 1500)."),
)
@click.option(
    "--height",
    type=click.IntRange(200, 20000),
    metavar=_("PIXELS"),
    help=_("Picture height in pixels (default: as the network needs)."),
)
@pass_context
@friendly_errors
def network(ctx: Context, out: str, fmt: str | None, municipality: str | None, year: int | None,
            focus_area: str | None, around: str | None, width: int | None, height: int | None) -> None:  # fmt: skip
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
    click.echo(_("wrote {file}", file=written))

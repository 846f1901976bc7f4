"""Commands that read the graph: SPARQL, the named queries, and Danish questions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..i18n import _, os_reason
from ..numbers import number
from ..output import FORMATS, render, render_table
from ..wording import kind_name
from .base import Context, friendly_errors, main, pass_context


@main.command(help=_("Run a SPARQL query: QUERY text, @FILE.rq, or the NAME of a named query."))
@click.argument("query", metavar=_("QUERY"))
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar=_("NAME=VALUE"),
    help=_("Parameter of a named query (see maalgraph queries)."),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help=_("table for people; json, csv or tsv (SPARQL 1.1 results) for programs."),
)
@pass_context
@friendly_errors
def sparql(ctx: Context, query: str, params: tuple[str, ...], fmt: str) -> None:
    from ..queries import load_queries

    values: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(_("{item!r} is not NAME=VALUE", item=item), param_hint="-p")
        values[name.strip()] = value
    kg = ctx.graph(read_only=True)
    if query.startswith("@"):
        path = Path(query[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(
                _("cannot read {file} ({reason})", file=path, reason=_(os_reason(exc)))
            ) from exc
        result = kg.query(text, values)
    elif query in load_queries():
        result = kg.named(query, **values)
    else:
        if values:
            raise click.ClickException(
                _("-p parameters are for named queries; bind them in your query text")
            )
        result = kg.query(query)
    text = render(result, fmt)
    click.echo(text, nl=not text.endswith("\n"))


@main.command(
    "queries",
    help=_(
        "List the named queries and their parameters (IRIs may be prefixed names: maal:Opfyldt)."
    ),
)
def list_queries() -> None:
    from ..queries import load_queries

    for query in load_queries().values():
        params = ", ".join(
            f"{p.name}:{p.type}{'?' if p.optional else ''}" for p in query.parameters
        )
        click.echo(f"{query.name}({params})\n    {query.title_da or query.description}")
        for p in query.parameters:
            click.echo(f"    {p.name}: {_(p.description)}")


@main.command(
    help=_("Answer a Danish question; without QUESTION, read one question per line from stdin.")
)
@click.argument("question", required=False, metavar=_("QUESTION"))
@click.option(
    "--json", "as_json", is_flag=True, help=_("One JSON object per question (JSON Lines).")
)
@click.option(
    "--sparql", "show_sparql", is_flag=True, help=_("Show the SPARQL query that was run.")
)
@pass_context
@friendly_errors
def ask(ctx: Context, question: str | None, as_json: bool, show_sparql: bool) -> None:
    kg = ctx.graph(read_only=True)
    questions = [question] if question is not None else (line.rstrip("\n") for line in sys.stdin)
    for q in questions:
        if not q.strip():
            continue
        answer = kg.ask(q)
        if as_json:
            click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, default=str))
            continue
        click.echo(answer.answer)
        if answer.rows:
            click.echo(
                render_table(
                    answer.columns,
                    [[str(r.get(c, "")) for c in answer.columns] for r in answer.rows],
                )
            )
        if answer.sources:
            click.echo("\n" + _("Sources:"))
            for source in answer.sources:
                click.echo(f"  • {source['label']}")
        if answer.understood:
            click.echo("\n" + _("How I understood the question: {reading}", reading=answer.reading))
            for e in answer.entities:
                kind = kind_name(e["kind"])
                click.echo(f"  • «{e['text']}» → {e['label']} ({kind}, {number(e['score'])})")
        if show_sparql and answer.sparql:
            click.echo("\n" + answer.sparql)

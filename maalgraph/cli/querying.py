"""Commands that read the graph: SPARQL, the named queries, and Danish questions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..output import FORMATS, render, render_table
from .base import Context, friendly_errors, main, pass_context


@main.command()
@click.argument("query")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Parameter of a named query.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_context
@friendly_errors
def sparql(ctx: Context, query: str, params: tuple[str, ...], fmt: str) -> None:
    """Run a SPARQL query: QUERY text, @FILE.rq, or the NAME of a named query."""
    from ..queries import load_queries

    values: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="-p")
        values[name.strip()] = value
    kg = ctx.graph(read_only=True)
    if query.startswith("@"):
        path = Path(query[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot read {path}: {exc.strerror or exc}") from exc
        result = kg.query(text, values)
    elif query in load_queries():
        result = kg.named(query, **values)
    else:
        if values:
            raise click.ClickException(
                "-p parameters are for named queries; bind them in your query text"
            )
        result = kg.query(query)
    text = render(result, fmt)
    click.echo(text, nl=not text.endswith("\n"))


@main.command("queries")
def list_queries() -> None:
    """List the named queries and their parameters (IRIs may be prefixed names: maal:Opfyldt)."""
    from ..queries import load_queries

    for query in load_queries().values():
        params = ", ".join(
            f"{p.name}:{p.type}{'?' if p.optional else ''}" for p in query.parameters
        )
        click.echo(f"{query.name}({params})\n    {query.description}")
        for p in query.parameters:
            click.echo(f"    {p.name}: {p.description}")


@main.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question (JSON Lines).")
@click.option("--sparql", "show_sparql", is_flag=True, help="Show the SPARQL query that was run.")
@pass_context
@friendly_errors
def ask(ctx: Context, question: str | None, as_json: bool, show_sparql: bool) -> None:
    """Answer a Danish question; without QUESTION, read one question per line from stdin."""

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
            click.echo("\nKilder:")
            for source in answer.sources:
                click.echo(f"  • {source['label']}")
        if answer.understood:
            click.echo(f"\nSådan forstod jeg spørgsmålet: {answer.reading}")
            for e in answer.entities:
                click.echo(f"  • «{e['text']}» → {e['label']} ({e['kind']}, {e['score']})")
        if show_sparql and answer.sparql:
            click.echo("\n" + answer.sparql)

"""The endpoint's request checks, without a server: what is refused (every way of writing
SERVICE and LOAD that an engine reads, too long, too deep) and what is not (the named
queries, SERVICE inside strings, IRIs and names)."""

from __future__ import annotations

import pytest
from attacks import LOAD_UPDATES, SERVICE_QUERIES

from maalgraph.queries import load_queries
from maalgraph.server.checks import Limits, Refused, check_query, check_update
from maalgraph.sparqltext import nesting_depth, tokens, with_limit


@pytest.mark.parametrize("name", SERVICE_QUERIES)
def test_every_way_of_writing_service_is_refused(name: str) -> None:
    with pytest.raises(Refused) as info:
        check_query(SERVICE_QUERIES[name], Limits())
    assert info.value.status == 400 and "SERVICE" in info.value.message


@pytest.mark.parametrize("name", LOAD_UPDATES)
def test_every_way_of_writing_load_or_service_in_an_update_is_refused(name: str) -> None:
    with pytest.raises(Refused) as info:
        check_update(LOAD_UPDATES[name], Limits())
    assert "LOAD" in info.value.message or "SERVICE" in info.value.message


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service WHERE { ?service a <http://x/Service> ; <http://x/p> 'SERVICE <x:y> {}' }",
        "PREFIX s: <http://x/service#> SELECT * WHERE { ?s s:load ?o } # SERVICE <x:y> { }",
        "SELECT * WHERE { ?s ?p '''multi\nSERVICE <x:y> { }''' }",
        "SELECT * WHERE { ?s <http://x/drift-service> ?o }",
    ],
)
def test_service_in_strings_iris_comments_and_names_is_not_refused(query: str) -> None:
    assert check_query(query, Limits()).form == "SELECT"


def test_every_named_query_passes() -> None:
    for query in load_queries().values():
        assert check_query(query.text, Limits()).form is not None, query.name


def test_length_and_nesting_are_refused_before_any_parser_runs() -> None:
    with pytest.raises(Refused) as info:
        check_query("SELECT * WHERE { " + "?s ?p ?o . " * 10_000 + "}", Limits(max_chars=100_000))
    assert "100,000" in info.value.message and "tegn" in info.value.message
    deep = "SELECT * WHERE " + "{ " * 10_000 + "}" * 10_000
    with pytest.raises(Refused) as info:
        check_query(deep, Limits(max_depth=64))
    assert "10000 levels" in info.value.message and "grænsen er 64" in info.value.message
    escaped = "SELECT * WHERE { FILTER(" + "\\u0028" * 100 + "1" + ")" * 100 + ") }"
    with pytest.raises(Refused):  # ( written as \u0028 still nests, for engines that read it
        check_query(escaped, Limits(max_depth=64))
    with pytest.raises(Refused):
        check_update("INSERT DATA { " + "[ <p:q> " * 100 + "] " * 100 + "}", Limits(max_depth=64))


def test_nesting_counts_groups_expressions_and_lists_outside_strings() -> None:
    assert nesting_depth(tokens("SELECT * { ?s ?p '{{{{{' FILTER((1)) }")) == 3
    assert nesting_depth(tokens("SELECT * { # {{{{\n ?s ?p ?o }")) == 1


def test_limit_must_be_an_integer() -> None:
    # LIMIT 1e10 is a syntax error for the engine, not a Python ValueError for us
    assert with_limit("SELECT * { ?s ?p ?o } LIMIT 1e10", 5).endswith("LIMIT 5\n")
    assert with_limit("SELECT * { ?s ?p ?o } LIMIT 10", 5) == "SELECT * { ?s ?p ?o } LIMIT 5"


def test_in_front_of_an_external_server_from_and_using_are_refused() -> None:
    remote = Limits(remote=True)
    for query in ("SELECT * FROM <http://127.0.0.1:9/g> { ?s ?p ?o }",
                  "SELECT * FROM\rNAMED <http://127.0.0.1:9/g> { ?s ?p ?o }",
                  "SELECT * \\u0046ROM <http://127.0.0.1:9/g> { ?s ?p ?o }"):  # fmt: skip
        with pytest.raises(Refused, match="FROM"):
            check_query(query, remote)
    with pytest.raises(Refused, match="USING"):
        check_update("INSERT { ?s ?p ?o } USING <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", remote)
    assert check_query("SELECT * FROM <http://g/1> { ?s ?p ?o }", Limits()).own_dataset


def test_protocol_using_graphs_are_written_into_the_update() -> None:
    checked = check_update(
        "INSERT { ?s a <http://c> } WHERE { ?s ?p ?o }", Limits(), using=("http://g/1",)
    )
    assert "USING <http://g/1> WHERE" in checked.text
    with pytest.raises(Refused, match="one way"):
        check_update("WITH <http://g/2> DELETE { ?s ?p 'x' } WHERE { ?s ?p 'x' }", Limits(),
                     using_named=("http://g/1",))  # fmt: skip

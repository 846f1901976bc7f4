"""What the endpoint refuses before an operation reaches an engine, decided in its workers.

A request's text is judged from three views, and refused if any of them sees a reason:

1. the lexer (:mod:`maalgraph.sparqltext`) on the text as sent: the view of Oxigraph, which
   reads ``\\uXXXX`` only inside strings and IRIs and matches keywords without a word
   boundary (``SERVICEex:x`` is ``SERVICE ex:x`` to it);
2. the lexer on the text with its ``\\uXXXX`` escapes replaced first: the view of engines
   that follow SPARQL 1.1 §19.2 to the letter (Jena);
3. rdflib's SPARQL parser, a real grammar, whenever the text could spell a refused keyword
   at all (its letters appear anywhere, escapes, case and compatibility forms included). If
   rdflib cannot parse a text that the engine can, the text is refused as uncheckable.

Size and nesting are measured before any parser runs, so that no parser's stack or time
depends on a hostile text. None of this runs in the server process: it runs in the query
workers (:mod:`maalgraph.server.worker`), which cannot open a network socket anyway
(:mod:`maalgraph.server.sandbox`); so in the embedded mode these checks are the second line,
and with ``--endpoint`` they are the line.
"""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ..sparqltext import Scan, add_using, query_form, scan, unescape_codepoints

# rdflib's parser recurses about 30 Python frames per nesting level; the nesting limit is
# checked first, so this bounds the recursion of any text that gets this far
RDFLIB_RECURSION_LIMIT = 20_000


@dataclass(frozen=True)
class Limits:
    """How large and how deeply nested an operation may be."""

    max_chars: int = 100_000
    max_depth: int = 64
    remote: bool = False  # --endpoint: the server behind us may dereference dataset IRIs


class Refused(Exception):
    """An operation the endpoint will not run; ``message`` names the reason and the limit."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Checked:
    """An operation that may run: the text for the engine and what the endpoint needs to know."""

    text: str
    form: str | None  # SELECT, CONSTRUCT, ASK or DESCRIBE; None for an update
    own_dataset: bool  # the query has FROM (then the default graph is not the union)


def check_query(text: str, limits: Limits, base_iri: str | None = None) -> Checked:
    views = _views(text, limits, "the query", "forespørgslen")
    words = _words(views)
    _refuse_keyword(words, "SERVICE")
    if limits.remote and _starts(words, "FROM"):
        raise Refused(_REMOTE_DATASET)
    _parse_if_it_could_matter(text, "query", limits, base_iri)
    return Checked(text, query_form(text), own_dataset=_starts(words, "FROM"))


def check_update(
    text: str,
    limits: Limits,
    using: tuple[str, ...] = (),
    using_named: tuple[str, ...] = (),
    base_iri: str | None = None,
) -> Checked:
    """An update as it will run: with the protocol's ``using-graph-uri`` graphs written into
    it as ``USING`` clauses (the caller checked that they are IRIs)."""
    views = _views(text, limits, "the update", "opdateringen")
    words = _words(views)
    _refuse_keyword(words, "SERVICE")
    _refuse_keyword(words, "LOAD")
    if (using or using_named) and (_starts(words, "USING") or _starts(words, "WITH")):
        raise Refused(
            "the update has USING/WITH clauses and using-graph-uri/using-named-graph-uri "
            "parameters; give the dataset one way only"
        )
    if limits.remote and (using or using_named or _starts(words, "USING")):
        raise Refused(_REMOTE_DATASET)
    final = add_using(text, list(using), list(using_named))
    if final != text:
        _views(final, limits, "the update", "opdateringen")  # still within the limits
    _parse_if_it_could_matter(final, "update", limits, base_iri)
    return Checked(final, None, own_dataset=False)


_REMOTE_DATASET = (
    "FROM and USING are not accepted in front of an external SPARQL server, which might fetch "
    "those IRIs from the web; select graphs with GRAPH, or with default-graph-uri and "
    "named-graph-uri (FROM og USING afvises foran en ekstern SPARQL-server)"
)


# ---------------------------------------------------------------------------- measuring


def _views(text: str, limits: Limits, what: str, hvad: str) -> tuple[Scan, ...]:
    """The lexer's view of the text as sent and with its escapes replaced, once both are
    known to be within the limits."""
    if len(text) > limits.max_chars:
        raise Refused(too_long(len(text), limits.max_chars, what, hvad))
    try:
        unescaped = unescape_codepoints(text)
    except ValueError as exc:
        raise Refused(f"{what} has an invalid escape: {exc}") from None
    views = (scan(text),) if unescaped == text else (scan(text), scan(unescaped))
    depth = max(view.depth for view in views)
    if depth > limits.max_depth:
        raise Refused(
            f"{what} nests {{ }}, ( ) and [ ] {depth} levels deep; the limit is "
            f"{limits.max_depth} ({hvad} er indlejret {depth} niveauer; grænsen er "
            f"{limits.max_depth})"
        )
    return views


def too_long(size: int, limit: int, what: str = "the query", hvad: str = "forespørgslen") -> str:
    return f"{what} has {size:,} characters; the limit is {limit:,} ({hvad} har {size:,} tegn; grænsen er {limit:,})"


def _words(views: tuple[Scan, ...]) -> set[str]:
    """Upper-cased keywords and prefixed names: where an engine may read a keyword."""
    return {word for view in views for word in view.words}


def _starts(words: set[str], keyword: str) -> bool:
    return any(w.startswith(keyword) for w in words)


def _refuse_keyword(words: set[str], keyword: str) -> None:
    if keyword in words:
        raise Refused(_KEYWORD_REFUSED[keyword])
    if _starts(words, keyword):  # SERVICEex:x, SERVICESILENT<…>: Oxigraph reads the keyword
        name = sorted(w for w in words if w.startswith(keyword))[0]
        raise Refused(
            f"{name.lower()!r} begins with {keyword}, which some engines read as the keyword "
            f"itself; {_KEYWORD_REFUSED[keyword]}"
        )


_KEYWORD_REFUSED = {
    "SERVICE": "SERVICE (federated query) is not allowed on this endpoint: it would reach "
    "other servers (SERVICE er ikke tilladt her)",
    "LOAD": "LOAD is not allowed on this endpoint: it would read other servers or local files "
    "(LOAD er ikke tilladt her)",
}


# ---------------------------------------------------------------------------- parsing


def _could_spell(text: str, *keywords: str) -> bool:
    """Whether the letters of a keyword appear anywhere in the text, however written:
    escapes replaced until none is left, compatibility forms and case folded."""
    seen = text
    for _ in range(8):  # each round removes escapes; a deeper tower than this is refused
        try:
            unescaped = unescape_codepoints(seen)
        except ValueError:
            return True
        if unescaped == seen:
            break
        seen = unescaped
    else:
        return True
    folded = unicodedata.normalize("NFKC", seen).casefold()
    return any(k.casefold() in folded for k in keywords)


def _parse_if_it_could_matter(text: str, kind: str, limits: Limits, base_iri: str | None) -> None:
    """rdflib's parse, where a refused keyword could hide: SERVICE or LOAD found → refused;
    rdflib cannot parse it → the engine's own syntax error, or refused as uncheckable."""
    words = ["SERVICE"] + (["LOAD"] if kind == "update" else [])
    if limits.remote:
        words.append("FROM" if kind == "query" else "USING")
    if not _could_spell(text, *words):
        return
    try:
        tree = _rdflib_parse(text, kind)
    except Exception as exc:  # noqa: BLE001  (pyparsing and rdflib raise many kinds)
        error = engine_syntax_error(text, kind, base_iri)
        if error is not None:
            raise Refused(f"malformed SPARQL {kind}: {error}") from None
        raise Refused(
            f"the {kind} could not be checked for SERVICE and LOAD by a second SPARQL parser "
            f"(rdflib: {_first_line(str(exc))}); write it in plain SPARQL 1.1"
        ) from None
    names = _node_names(tree, set())
    if "ServiceGraphPattern" in names:
        raise Refused(_KEYWORD_REFUSED["SERVICE"])
    if "Load" in names:
        raise Refused(_KEYWORD_REFUSED["LOAD"])
    if limits.remote and names & {"DatasetClause", "UsingClause"}:
        raise Refused(_REMOTE_DATASET)


def _rdflib_parse(text: str, kind: str) -> Any:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    # a comment ends at a carriage return too (SPARQL 1.1 §19.4, and Oxigraph); rdflib's
    # ends at a line feed only, so it gets the text with each CR as LF (same positions)
    text = text.replace("\r", "\n")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, RDFLIB_RECURSION_LIMIT))
    try:
        return parseQuery(text) if kind == "query" else parseUpdate(text)
    finally:
        sys.setrecursionlimit(limit)


def _node_names(node: Any, out: set[str]) -> set[str]:
    """The names of every rule rdflib's parse tree holds (ServiceGraphPattern, Load …)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            out.add(item.name)
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)
    return out


def engine_syntax_error(text: str, kind: str, base_iri: str | None = None) -> str | None:
    """Oxigraph's syntax error for the text, or None if it parses. It is parsed by running it
    on an empty in-memory store: call this only where nothing can reach the network (in a
    worker); a query's solutions are not even pulled."""
    try:
        if kind == "query":
            ox.Store().query(text, base_iri=base_iri)
        else:
            ox.Store().update(text, base_iri=base_iri)
    except SyntaxError as exc:
        return short_syntax_error(str(exc))
    except (OSError, ValueError, RuntimeError, TypeError):
        return None  # parsed; failed while running on nothing, which does not matter here
    return None


def short_syntax_error(message: str) -> str:
    """The parser's message with its position, without the long list of expected characters."""
    first = _first_line(message)
    return first if len(first) <= 240 else first[:240] + " …"


def _first_line(message: str) -> str:
    return message.strip().split("\n", 1)[0]

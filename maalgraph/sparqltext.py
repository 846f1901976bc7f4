"""A small SPARQL lexer: enough to see a request's form, keywords and nesting without running it.

The endpoint's request checks (:mod:`maalgraph.server.checks`, in its worker processes) use
it to measure nesting, to find ``SERVICE``, ``LOAD`` and ``FROM``, and to set or add a
top-level ``LIMIT`` and protocol-given ``USING`` graphs. It follows the SPARQL 1.1 grammar's
terminals: a comment ends at a line feed *or* a carriage return (as in Oxigraph), a prefixed
name may hold escaped characters (``ex:\\'``), and strings and IRIs are skipped, so a
keyword inside them is not mistaken for the real one. It is one opinion among several: the
checks also parse with rdflib, and the workers cannot open a network socket at all.

>>> query_form("PREFIX s: <http://ex/select#> # ASK?\\nCONSTRUCT { ?s ?p 'SELECT' } WHERE {}")
'CONSTRUCT'
>>> sorted(keywords("SELECT * { SeRvIcE <http://x/> { ?service ?p :load } }") & {"SERVICE", "LOAD"})
['SERVICE']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[A-Za-z_\u00c0-\uffff][\w.\-\u00c0-\uffff]*)?:
                (?:[\w.\-:%\u00c0-\uffff]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
    | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)
# the same terminals, capturing only names, keywords and brackets: for one fast pass over a
# long text, where the regex engine skips strings, IRIs and spaces and Python sees the rest
_SCAN = re.compile(
    re.sub(
        r"\(\?P<(\w+)>",
        lambda m: "(" if m.group(1) in ("pname", "word") else "(?:",
        _TOKEN.pattern,
    ).replace("(?:.)", r"([{}()\[\]]) | (?:.)"),
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
UPDATE_FORMS = (
    "INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH",
)  # fmt: skip


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    depth: int  # { } nesting depth at the token


def tokens(text: str) -> tuple[Token, ...]:
    """The significant tokens of a request (no spaces or comments), with their brace depth.

    >>> [t.text for t in tokens("SELECT * { #\\rSERVICE <x:y> {} \\n ?s ex:\\\\' ?o }")]
    ['SELECT', '*', '{', 'SERVICE', '<x:y>', '{', '}', '?s', "ex:\\\\'", '?o', '}']
    """
    out = []
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        value = match.group()
        if kind in ("space", "comment"):
            continue
        if value == "}":
            depth -= 1
        out.append(Token(kind, value, match.start(), depth))
        if value == "{":
            depth += 1
    return tuple(out)


_OPENING = {"{": "}", "(": ")", "[": "]"}
_CLOSING = set(_OPENING.values())


def nesting_depth(toks: tuple[Token, ...]) -> int:
    """How deep groups, expressions and blank-node lists nest: the most ``{``, ``(`` and
    ``[`` open at once.

    >>> nesting_depth(tokens("SELECT * { { FILTER((1)) } [ ] }"))
    4
    """
    depth = deepest = 0
    for token in toks:
        if token.kind != "punct":
            continue
        if token.text in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif token.text in _CLOSING:
            depth = max(depth - 1, 0)
    return deepest


@dataclass(frozen=True)
class Scan:
    """What one pass over a long text finds, without keeping its tokens."""

    depth: int  # as :func:`nesting_depth`
    words: frozenset[str]  # every bare word and prefixed name, upper-cased


def scan(text: str) -> Scan:
    """Nesting depth and words of a request in one pass: memory grows with the distinct
    words, not with the text (an update may be a 16 MB INSERT DATA), and strings, IRIs and
    spaces are skipped by the regex engine.

    >>> found = scan("PREFIX ex: <x:> SELECT * { { ?s ex:p 'SERVICE' } }")
    >>> found.depth, sorted(found.words)
    (2, ['EX:', 'EX:P', 'PREFIX', 'SELECT'])
    """
    depth = deepest = 0
    words: set[str] = set()
    for pname, word, bracket in _SCAN.findall(text):
        if bracket:
            if bracket in _OPENING:
                depth += 1
                deepest = max(deepest, depth)
            else:
                depth = max(depth - 1, 0)
        elif pname or word:
            words.add((pname or word).upper())
    return Scan(deepest, frozenset(words))


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_codepoints(text: str) -> str:
    r"""The text with its ``\uXXXX`` and ``\UXXXXXXXX`` escapes replaced, which SPARQL 1.1
    (§19.2) does before parsing, so they may spell keywords. Raises ValueError on an escape
    that is not a Unicode scalar value.

    >>> unescape_codepoints(r"SELECT * { \u0053ERVICE <x:y> {} }")
    'SELECT * { SERVICE <x:y> {} }'
    """

    def replace(match: re.Match[str]) -> str:
        value = int(match.group(1) or match.group(2), 16)
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            raise ValueError(f"{match.group()} at character {match.start()} is not a character")
        return chr(value)

    return _CODEPOINT.sub(replace, text)


def keywords(text: str) -> set[str]:
    """Every bare keyword of the request, upper-cased."""
    return {t.text.upper() for t in tokens(text) if t.kind == "word"}


def query_form(text: str) -> str | None:
    """SELECT, CONSTRUCT, ASK or DESCRIBE for a query; None if it is not a query."""
    for token in tokens(text):
        if token.kind == "word":
            word = token.text.upper()
            if word in QUERY_FORMS:
                return word
            if word in UPDATE_FORMS:
                return None
    return None


def is_update(text: str) -> bool:
    """Whether the request begins like a SPARQL Update (INSERT, DELETE, LOAD …).

    >>> is_update("PREFIX ex: <x:> INSERT DATA { ex:a ex:b ex:c }"), is_update("ASK {}")
    (True, False)
    """
    for token in tokens(text):
        if token.kind == "word" and token.text.upper() not in ("PREFIX", "BASE"):
            return token.text.upper() in UPDATE_FORMS
    return False


def top_level_limit(query: str) -> int | None:
    """The query's own LIMIT (outside its groups and subqueries), if it has one.

    >>> top_level_limit("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 5 } } ORDER BY ?s LIMIT 20")
    20
    >>> top_level_limit("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 5 } }") is None
    True
    """
    found = _limit_token(tokens(query))
    return int(found[1].text) if found else None


def with_limit(query: str, limit: int) -> str:
    r"""A SELECT query with its top-level LIMIT set to ``limit``: the query's own LIMIT
    replaced, or one added after the solution modifiers (before a trailing VALUES clause).

    >>> with_limit("SELECT * { ?s ?p ?o } LIMIT 100000 OFFSET 3", 11)
    'SELECT * { ?s ?p ?o } LIMIT 11 OFFSET 3'
    >>> with_limit("SELECT ?x { ?x ?p ?o } # no limit", 11)
    'SELECT ?x { ?x ?p ?o } # no limit\nLIMIT 11\n'
    >>> with_limit("SELECT ?x { ?x ?p ?o } VALUES ?x { <a:b> }", 11)
    'SELECT ?x { ?x ?p ?o } \nLIMIT 11\nVALUES ?x { <a:b> }'
    """
    toks = tokens(query)
    found = _limit_token(toks)
    if found:
        number = found[1]
        return query[: number.start] + str(limit) + query[number.start + len(number.text) :]
    body_ended = False
    for token in toks:
        if token.depth == 0 and token.text == "}":
            body_ended = True
        elif (
            body_ended
            and token.depth == 0
            and token.kind == "word"
            and token.text.upper() == "VALUES"
        ):
            return query[: token.start] + f"\nLIMIT {limit}\n" + query[token.start :]
    return query + f"\nLIMIT {limit}\n"


def _limit_token(toks: tuple[Token, ...]) -> tuple[Token, Token] | None:
    """The top-level ``LIMIT n`` (an INTEGER, as the grammar says: ``LIMIT 1e10`` is not one)."""
    for keyword, value in zip(toks, toks[1:], strict=False):
        if (
            keyword.depth == 0
            and keyword.kind == "word"
            and keyword.text.upper() == "LIMIT"
            and value.kind == "number"
            and value.text.isdigit()
            and value.text.isascii()
        ):
            return keyword, value
    return None


def add_using(update: str, default: list[str], named: list[str]) -> str:
    """The update with protocol ``using-graph-uri``/``using-named-graph-uri`` graphs written
    as ``USING`` clauses before the ``WHERE`` of each INSERT/DELETE operation (SPARQL 1.1
    Protocol §2.2.3). IRIs come from the request parameters and are checked by the caller."""
    clauses = " ".join([f"USING <{g}>" for g in default] + [f"USING NAMED <{g}>" for g in named])
    if not clauses:
        return update
    parts = []
    last = 0
    previous: Token | None = None
    for token in tokens(update):
        # only a WHERE after a template's closing brace: DELETE WHERE {..} takes no USING
        if (token.kind == "word" and token.text.upper() == "WHERE" and token.depth == 0
                and previous is not None and previous.text == "}"):  # fmt: skip
            parts.append(update[last : token.start] + clauses + " ")
            last = token.start
        previous = token
    parts.append(update[last:])
    return "".join(parts)

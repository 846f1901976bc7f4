"""What a person reads, gathered for the language and tidiness tests: the text of every page
of the web interface (found by following its links) and a test for English words in it.

English is told from Danish by words that are common in English and are no Danish words
(``ENGLISH``). Code is not prose: option names, environment variables, IRIs, file names,
prefixed names, identifiers and SPARQL keywords are taken out first, and so are the words a
test typed itself (a question, a name)."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import httpx
from lxml import html

ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "is",
        "are",
        "was",
        "were",
        "not",
        "with",
        "this",
        "that",
        "these",
        "those",
        "from",
        "which",
        "what",
        "when",
        "where",
        "who",
        "whose",
        "has",
        "had",
        "been",
        "be",
        "it",
        "its",
        "an",
        "or",
        "on",
        "no",
        "nothing",
        "none",
        "cannot",
        "can't",
        "must",
        "should",
        "would",
        "will",
        "only",
        "there",
        "their",
        "than",
        "then",
        "into",
        "any",
        "each",
        "every",
        "use",
        "used",
        "using",
        "show",
        "shows",
        "shown",
        "see",
        "file",
        "files",
        "error",
        "errors",
        "warning",
        "warnings",
        "query",
        "queries",
        "found",
        "missing",
        "invalid",
        "unknown",
        "named",
        "name",
        "names",
        "option",
        "options",
        "usage",
        "command",
        "commands",
        "help",
        "exit",
        "default",
        "required",
        "value",
        "values",
        "goal",
        "goals",
        "focus",
        "area",
        "areas",
        "verdict",
        "summary",
        "says",
        "omits",
        "partner",
        "partners",
        "project",
        "projects",
        "unit",
        "units",
        "measurement",
        "measurements",
        "page",
        "pages",
        "graph",
        "graphs",
        "network",
        "read",
        "write",
        "open",
        "answer",
        "question",
        "line",
        "column",
        "near",
        "try",
        "did",
        "you",
        "your",
        "we",
        "they",
        "please",
        "click",
        "here",
        "download",
        "run",
        "result",
        "results",
        "row",
        "rows",
        "example",
        "examples",
        "overview",
        "sources",
        "source",
        "year",
        "years",
        "municipality",
        "committee",
        "decision",
        "decisions",
        "whole",
        "texts",
        "number",
        "numbers",
        "documents",
        "stores",
        "depends",
        "depend",
        "stops",
        "risk",
        "share",
        "more",
        "less",
        "without",
        "internal",
        "item",
        "items",
        "follow",
        "followup",
        "report",
        "reports",
        "assessment",
        "met",
        "partly",
        "assessed",
    ]
) - {"store", "partner", "unit", "text", "document", "agenda"}
# words Danish spells the same way ("store": big; a document may say "partner" or "agenda")
# are no evidence of English; nor are "at", "by", "for", "to", "data", "status", "type"

_CODE = re.compile(
    r"""\S+://\S+            # URLs and IRIs
      | <[^>\s]*>            # <IRI>
      | --?[\w-]+            # options
      | \$?\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b   # environment variables
      | \b\w+[_:./@=]\S+     # identifiers, prefixed names, file names, paths, NAME=VALUE
      | \[[^\]\n]*\|[^\]\n]*\]  # click's choices [table|json|csv]
      | \bmaalgraph(?:\s+[a-z]+)?  # the program and a command of it
      | \b[A-Z]{2,}\b        # SPARQL keywords, acronyms, metavariables
    """,
    re.X,
)
_WORD = re.compile(r"[A-Za-zÆØÅæøåÉé]+")


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English words of ``text`` once code and the ``allowed`` words are taken out.

    >>> english_words("Fejl: grafen kender ikke «Foo Bar»; se --store og MAALGRAPH_STORE")
    []
    >>> english_words("Error: nothing named 'Foo Bar' in the graph")
    ['error', 'nothing', 'named', 'the', 'graph']
    """
    allowed_words = {w.casefold() for phrase in allowed for w in _WORD.findall(phrase)}
    prose = _CODE.sub(" ", re.sub(r"-\n\s*", "-", text))  # a word hyphenated at a line's end
    return [
        w.casefold()
        for w in _WORD.findall(prose)
        if w.casefold() in ENGLISH and w.casefold() not in allowed_words
    ]


@dataclass
class Page:
    url: str
    status: int
    tree: html.HtmlElement

    @property
    def text(self) -> str:
        """What a person reads: the visible text, and the alt and title texts."""
        body = self.tree.find("body")
        root = body if body is not None else self.tree
        hide = ".//script|.//style|.//code|.//pre|.//textarea|.//option|.//a[@class='brand']"
        for hidden in root.xpath(hide):
            hidden.drop_tree() if hidden.getparent() is not None else None
        said = [" ".join(root.itertext())]
        said += [str(v) for v in self.tree.xpath("//@alt|//@title|//@aria-label")]
        return "\n".join(said)


def crawl(base: str, starts: Iterable[str], limit: int = 400) -> Iterator[Page]:
    """Every page reachable from ``starts`` by the links of the pages (HTML only, this server
    only, each once; downloads, pictures and the SPARQL endpoint are no pages)."""
    seen: set[str] = set()
    queue = list(starts)
    with httpx.Client(base_url=base, timeout=60) as client:
        while queue and len(seen) < limit:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            tree = html.fromstring(response.text)
            for href in tree.xpath("//a/@href"):
                target = urllib.parse.urljoin(path, str(href))
                parts = urllib.parse.urlsplit(target)
                if parts.netloc or not parts.path.startswith(("/id/", "/overblik", "/netvaerk")):
                    continue
                if parts.path.startswith("/netvaerk."):
                    continue
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
            yield Page(path, response.status_code, html.fromstring(response.text))

"""What every handler shares: the context it runs queries through, its result, the registry,
and the Danish phrases for a scope (municipality, year) and a status."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...namespaces import OX_MAAL
from ...numbers import number
from ...queries import get_query
from ..lexicon import Lexicon, Municipality
from ..readings import Reading
from ..statuses import STATUSES, Status
from ..vocabulary import Vocabulary

if TYPE_CHECKING:
    from ...api import MaalGraph

Row = dict[str, Any]
CLASS_TYPES = {
    # a partner in the broad sense: organisations outside and units inside the municipality
    "PARTNER": [OX_MAAL.Partner.value, "http://www.w3.org/ns/org#OrganizationalUnit"],
    "PROJECT": [OX_MAAL.Project.value],
    "UNIT": ["http://www.w3.org/ns/org#OrganizationalUnit"],
}
CLASS_DA = {"PARTNER": "samarbejdspartnere", "PROJECT": "projekter", "UNIT": "interne enheder"}
CLASS_ONE_DA = {"PARTNER": "samarbejdspartner", "PROJECT": "projekt", "UNIT": "intern enhed"}
KIND_DA = {"partner": "samarbejdspartner", "unit": "intern enhed", "project": "projekt",
           "plan": "plan", "committee": "udvalg", "area": "område"}  # fmt: skip
MAX_ITEMS = 25  # goals or focus areas looked up one by one for one answer
PAGE = 50  # rows of an answer that would list a store of several municipalities: its first page
TOP = 5  # municipalities named with their count in such an answer
KEPT = 64  # query results a question answerer keeps for the store's version


@dataclass
class Result:
    """What a handler found: the rows (query columns), the sentence, the paragraphs behind it."""

    rows: list[Row]
    sentence: str
    columns: list[str] | None = None  # query columns to show, in order (default: all known)
    sources: list[str] | None = None  # paragraph IRIs (default: the rows' "source")
    complete: bool = True  # False: rows, but not of the kind asked (a target asked, none found)
    total: int | None = None  # all the rows the answer has when ``rows`` is its first page
    counts: list[Row] | None = None  # then: municipality, municipalityLabel, count (most first)


class Context:
    """One question's access to the graph: runs named queries with bound values and keeps the
    SPARQL that ran (for "Vis SPARQL-forespørgslen"). One per question, never shared."""

    def __init__(
        self,
        kg: MaalGraph,
        lexicon: Lexicon,
        vocab: Vocabulary,
        kept: dict[str, list[Any]] | None = None,
    ):
        self.kg = kg
        self.lexicon = lexicon
        self.vocab = vocab
        self.sparql: list[str] = []
        self.kept = {} if kept is None else kept  # results kept for the store's version

    def run(self, name: str, **params: object) -> list[Row]:
        return self._rows(self._text(name, params))

    def run_kept(self, name: str, **params: object) -> list[Row]:
        """:meth:`run`, remembered (by the query's text) for as long as the store does not
        change: a whole-store count that many questions share."""
        text = self._text(name, params)
        return [dict(r) for r in self.keep(text, lambda: self._rows(text))]

    def _text(self, name: str, params: Mapping[str, object]) -> str:
        """The named query with its values bound, kept for "Vis SPARQL-forespørgslen"."""
        text = get_query(name).render({k: v for k, v in params.items() if v is not None})
        if text not in self.sparql:
            self.sparql.append(text)
        return text

    def _rows(self, text: str) -> list[Row]:
        return [dict(r) for r in self.kg.query(text).rows]

    def keep(self, key: str, compute: Callable[[], list[Any]]) -> list[Any]:
        """``compute()``, remembered under ``key`` for as long as the store does not change
        (a query's rows, or what is computed from a whole-store read)."""
        if key not in self.kept:
            if len(self.kept) >= KEPT:
                self.kept.clear()
            self.kept[key] = compute()
        return self.kept[key]


Handler = Callable[[Reading, Context], Result]
HANDLERS: dict[str, Handler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register a function as the handler ``name`` of families.toml."""

    def register(func: Handler) -> Handler:
        HANDLERS[name] = func
        return func

    return register


# ---------------------------------------------------------------------------- scope


def asked(reading: Reading) -> list[Municipality]:
    """The municipalities asked about that the graph has data on."""
    return [m for m in reading.municipalities if m.has_data]


def scopes(reading: Reading) -> list[dict[str, object]]:
    """One set of query parameters per municipality × year asked (one empty set: everything)."""
    municipalities = [m.iri for m in asked(reading)] or [None]
    years: list[int | None] = list(reading.years) or [None]
    return [{"municipality": m, "year": y} for m in municipalities for y in years]


def across_municipalities(reading: Reading, ctx: Context) -> bool:
    """A question that names no municipality (nor region), on a store of several: its answer
    may be the whole store, so a long one is given as counts per municipality and a first page."""
    held = [m for m in ctx.lexicon.municipalities if m.has_data]
    return not reading.municipalities and not reading.regions and len(held) > 1


@dataclass(frozen=True)
class Page:
    """An answer over several municipalities longer than a page: the exact number of its rows,
    that number per municipality (municipality, municipalityLabel, count; most first) and the
    municipalities its first ``PAGE`` rows come from (the listing is ordered by municipality)."""

    total: int
    counts: list[Row]
    scope: list[str]

    @property
    def whole(self) -> bool:
        """The listing fits one page: it is the answer, read from ``scope``, every
        municipality that has rows (none when it is empty)."""
        return self.total <= PAGE

    @property
    def labels(self) -> set[str]:
        """The names of the municipalities the first page comes from."""
        chosen = set(self.scope)
        return {
            str(r["municipalityLabel"]) for r in self.counts if str(r["municipality"]) in chosen
        }

    def result(self, rows: list[Row], what: str, said: str, reading: Reading,
               columns: list[str] | None = None, sources: list[str] | None = None,
               order: str = "kommune, år og nummer") -> Result:  # fmt: skip
        """The answer: the first ``PAGE`` of ``rows`` (in the listing's ``order``, Danish) with
        the total, the counts and the question again with a municipality named
        (:func:`paged_text`)."""
        text = paged_text(what, said, self.total, self.counts, reading, order)
        return Result(rows[:PAGE], text, columns, sources, total=self.total, counts=self.counts)


def page_of(counts: Sequence[Row]) -> Page:
    """The page of a listing whose rows per municipality are ``counts`` (most first)."""
    total = sum(int(r["count"]) for r in counts)
    return Page(total, list(counts), first_page_scope(counts))


def counted_page(
    reading: Reading,
    ctx: Context,
    query: str,
    where: Callable[[Row], bool] | None = None,
    **params: object,
) -> Page | None:
    """The page of a listing asked across municipalities (:func:`across_municipalities`),
    counted by ``query``: a COUNT … GROUP BY ?municipality named query (kept for the store's
    version), grouped further by other columns when the listing keeps only the rows ``where``
    holds for. None when the question names a place or the store has one municipality. A
    listing that fits a page (``Page.whole``) is read from the municipalities that have rows:
    the one way a handler avoids reading the whole store's rows."""
    if not across_municipalities(reading, ctx):
        return None
    per: dict[str, Row] = {}
    for r in ctx.run_kept(query, **params):
        if where is None or where(r):
            key = str(r["municipality"])
            seen = per.setdefault(key, {**r, "count": 0})
            seen["count"] = int(seen["count"]) + int(r["count"])
    counts = sorted(per.values(), key=lambda r: (-int(r["count"]), str(r["municipalityLabel"]), str(r["municipality"])))  # fmt: skip
    return page_of(counts)


def first_keys(counted: Iterable[tuple[tuple[str, ...], int]]) -> list[tuple[str, ...]]:
    """The groups the first ``PAGE`` rows of a listing come from, given each group's number of
    rows and the listing ordered by group (a municipality, or a municipality and a year): every
    group when the listing fits a page (``Page.whole``), else the first groups up to the one
    that fills the page, read whole so that the page is the listing's own beginning."""
    chosen: list[tuple[str, ...]] = []
    taken = 0
    for key, n in sorted(counted):
        if taken >= PAGE:
            break
        chosen.append(key)
        taken += n
    return chosen


def first_page_scope(counts: Sequence[Row]) -> list[str]:
    """The municipalities the first ``PAGE`` rows of a listing ordered by municipality name
    come from, given each municipality's count (:func:`first_keys`)."""
    keyed = [
        ((str(r["municipalityLabel"]), str(r["municipality"])), int(r["count"])) for r in counts
    ]
    return [key[1] for key in first_keys(keyed)]


def paged_text(what: str, said: str, total: int, counts: Sequence[Row], reading: Reading,
               order: str = "kommune, år og nummer") -> str:  # fmt: skip
    """The sentence of an answer given as a first page: the exact total ('12.034 mål i 25
    kommuner er opfyldt'), the municipalities with most, the page's order, and the question
    again with the municipality with most named."""
    top = [f"{r['municipalityLabel']} ({number(int(r['count']))})" for r in counts[:TOP]]
    most = listing(top)
    asked_as = reading.mentions.text.strip()
    mark = "?" if asked_as.endswith("?") else ""
    example = asked_as.rstrip("?.! ") + f" i {counts[0]['municipalityLabel']}{mark}"
    where = f" i {plural(len(counts), 'kommune', 'kommuner')}"
    return (
        f"{number(total)} {what}{where}{said}; flest i {most}. "
        f"Her er de første {PAGE} efter {order}. "
        f"Spørg om én kommune for at se alle dens {what}, fx «{example}»."
    )


def in_scope(rows: Iterable[Row], reading: Reading) -> list[Row]:
    """The rows of the municipalities and years asked (rows carry municipalityLabel, year)."""
    labels = {m.label for m in asked(reading)}
    out = []
    for r in rows:
        if labels and r.get("municipalityLabel") not in labels:
            continue
        if reading.years and r.get("year") is not None and int(r["year"]) not in reading.years:
            continue
        out.append(r)
    return out


def listing(items: Sequence[str], word: str = "og") -> str:
    """Danish enumeration: 'a', 'a og b', 'a, b og c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def scope_text(reading: Reading, rows: Sequence[Mapping[str, Any]] = ()) -> str:
    """' i Herning Kommune i 2020': the scope asked, or else the one all rows share."""
    labels = [m.label for m in asked(reading)]
    years = [str(y) for y in reading.years]
    if not labels and rows:
        found = {str(r["municipalityLabel"]) for r in rows if r.get("municipalityLabel")}
        labels = sorted(found) if len(found) == 1 else []
    if not years and rows:
        found = {str(r["year"]) for r in rows if r.get("year") is not None}
        years = sorted(found) if len(found) == 1 else []
    text = f" i {listing(labels)}" if labels else ""
    return text + (f" i {listing(years)}" if years else "")


def status_of(reading: Reading) -> Status | None:
    """The status the question asks about (a verdict, a progress or a trend), if any."""
    return STATUSES.get(reading.verdict or "")


def verdict_text(reading: Reading) -> str:
    """The status asked about, in Danish ("delvist opfyldt", "i gang", "negativ udvikling")."""
    status = status_of(reading)
    return status.da if status else ""


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def dedupe(rows: Iterable[Row], *keys: str) -> list[Row]:
    """Rows with distinct values of ``keys`` (the first of each), in order."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for r in rows:
        key = tuple(str(r.get(k)) for k in keys)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def goal_order(row: Mapping[str, Any]) -> tuple[str, int, tuple[int, ...], str]:  # fmt: skip
    """Goals by municipality, year and number ("2.10" after "2.9")."""
    ident = tuple(int(p) for p in str(row.get("id", "0")).split(".") if p.isdigit())
    return (
        str(row.get("municipalityLabel", "")),
        int(row.get("year") or 0),
        ident,
        str(row.get("goal", "")),
    )


def goal_phrase(row: Mapping[str, Any], with_scope: bool = True) -> str:
    """'Mål 2.2 (Herning Kommune, 2020)'."""
    where = [str(row[k]) for k in ("municipalityLabel", "year") if row.get(k) is not None]
    return f"Mål {row.get('id')}" + (f" ({', '.join(where)})" if with_scope and where else "")


def short(text: object, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"

"""Answer a Danish question: understand it (mentions → ranked readings), run the best reading
that finds rows (the answer-type check), and phrase a sourced Danish answer.

The lexicon is read from the store on the first question, under a lock, and only read
afterwards; everything a question computes lives in that call. So one
:class:`QuestionAnswerer` answers from many threads at once.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from .examples import example_questions
from .handlers import HANDLERS, Context, Result
from .handlers.base import CLASS_DA, listing, short
from .lexicon import Lexicon, build_lexicon
from .mentions import Mentions, find_mentions
from .phrasing import show
from .readings import Reading, candidates, top
from .statuses import STATUSES
from .vocabulary import vocabulary

if TYPE_CHECKING:
    from ..api import MaalGraph

HELP = (
    "Det forstod jeg ikke. Jeg kan svare på spørgsmål om mål, fokusområder, partnere, projekter, "
    "målinger og udvalgets behandling. Prøv fx: {examples}"
)
OUTSIDE = (
    "Det kan grafen ikke svare på: den rummer ikke adresser, åbningstider eller "
    "kontaktoplysninger{names}, kun mål, vurderinger, samarbejdspartnere, projekter, målinger og "
    "udvalgets behandling. Spørg fx: {examples}"
)
COLUMNS = {  # query column -> Danish column shown to the user
    "id": "mål", "text": "måltekst", "verdictLabel": "vurdering", "verdictPhrase": "vurderingssætning",
    "measured": "målinger", "focusAreaTitle": "fokusområde", "entityLabel": "afhænger af",
    "viaLabel": "via projekt", "subjectLabel": "om", "label": "navn", "typeLabel": "type",
    "title": "fokusområde", "number": "nr.", "goals": "antal mål", "count": "antal", "value": "værdi",
    "unit": "enhed", "period": "periode", "areaLabel": "område", "indicator": "hvad er målt",
    "context": "sammenhæng", "before": "før", "after": "nu", "committeeLabel": "udvalg",
    "date": "mødedato", "place": "mødested", "itemNumber": "punkt", "itemTitle": "dagsordenspunkt",
    "caseNumber": "sagsnummer", "caseOfficer": "sagsbehandler", "recommendation": "indstilling",
    "decision": "beslutning", "outcomeLabel": "udfald", "reportTitle": "opfølgning",
    "documentTitle": "dokument", "section": "afsnit", "paragraphText": "tekst", "kindLabel": "dokumenttype",
    "fileName": "fil", "years": "år med data", "path": "forklaring", "share": "andel af fokusområdet",
    "municipalityLabel": "kommune", "year": "år", "statusLabel": "status", "progressLabel": "fremdrift",
    "trendLabel": "udvikling", "roleLabel": "rolle",
}  # fmt: skip
LINKED = {  # shown column -> the raw column holding the IRI it names, for links to its page
    "id": "goal", "label": "entity", "entityLabel": "entity", "focusAreaTitle": "focusArea", "title": "focusArea",
}  # fmt: skip
MARGIN = 0.6  # readings this close to the best are tried when the best finds nothing
MAX_SOURCES = 20


@dataclass
class Answer:
    """A sourced answer: the sentence, the rows, the sources and how the question was read."""

    question: str
    understood: bool
    intent: str | None  # the family of questions (families.toml)
    entities: list[dict[str, Any]]  # what the question named: things, places, years, topic
    sparql: str | None
    columns: list[str]
    rows: list[dict[str, Any]]
    answer: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    suggestions: list[dict[str, str]] = field(default_factory=list)  # unknown phrase → closest name
    links: list[dict[str, str]] = field(default_factory=list)  # per row: shown column → IRI
    reading: str = ""  # how the question was understood, in Danish
    # an answer over a store of several municipalities that is longer than a page: ``rows`` is
    # its first page, ``total`` the number of all its rows, ``counts`` that number per
    # municipality ({"municipality": name, "iri": IRI, "count": n}, most first); else None
    total: int | None = None
    counts: list[dict[str, Any]] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class QuestionAnswerer:
    """Built once per graph: reads the graph's lexicon on first use, then answers questions."""

    def __init__(self, kg: MaalGraph):
        self.kg = kg
        self.vocab = vocabulary()
        self._lexicon: Lexicon | None = None
        self._help: str | None = None
        self._examples: list[str] | None = None
        self._lock = threading.Lock()
        # whole-store counts shared by questions (Context.run keep=True): this answerer lives
        # as long as the store's version does (MaalGraph builds a new one after a change)
        self._kept: dict[str, list[Any]] = {}

    @property
    def lexicon(self) -> Lexicon:
        """The graph's names and texts (read once, under a lock)."""
        if self._lexicon is None:
            with self._lock:
                if self._lexicon is None:
                    self._lexicon = build_lexicon(
                        lambda name, **values: self.kg.named(name, **values).rows, self.vocab
                    )
        return self._lexicon

    def understand(self, question: str) -> tuple[Mentions, list[Reading]]:
        """The mentions in a question and the readings they allow, best first."""
        mentions = find_mentions(question, self.vocab, self.lexicon)
        return mentions, candidates(mentions, self.vocab)

    def ask(self, question: str) -> Answer:
        mentions, readings = self.understand(question)
        if not readings:
            return Answer(question, False, None, [], None, [], [], self.not_understood(mentions))
        best = readings[0]
        entities = described(best)
        suggestions = [
            {"phrase": u.label, "suggestion": str(u.value)} for u in mentions.unknown if u.value
        ]
        if best.missing_data:
            return Answer(question, True, best.name, entities, None, [], [], no_data(best, self.lexicon),
                          suggestions=suggestions, reading=understood_as(best))  # fmt: skip
        if best.unknown is not None:
            text = unknown_text([best.unknown])
            return Answer(question, True, best.name, entities, None, [], [], text,
                          suggestions=suggestions, reading=understood_as(best))  # fmt: skip
        chosen, result, ctx = self._run(best, readings)
        entities = described(chosen)
        sources = self._sources(result)
        keys = result.columns or list(COLUMNS)
        keep = [k for k in keys if k in COLUMNS and any(k in r for r in result.rows)]
        rows = [{COLUMNS[k]: show(r[k], r.get(k + "Text")) for k in keep if r.get(k) is not None}
                for r in result.rows]  # fmt: skip
        links = [{COLUMNS[c]: str(r[key]) for c, key in LINKED.items() if c in keep and r.get(key)}
                 for r in result.rows]  # fmt: skip
        text = result.sentence
        unknown = [u for u in mentions.unknown if u.score >= 1.0 and not _used(chosen, u)]
        if unknown and chosen.links:
            text += " " + unknown_text(unknown)
        return Answer(
            question,
            True,
            chosen.name,
            entities,
            "\n\n".join(ctx.sparql) or None,
            [COLUMNS[k] for k in keep],
            rows,
            text,
            sources,
            suggestions,
            links,
            understood_as(chosen),
            result.total,
            None
            if result.counts is None
            else [
                {
                    "municipality": str(r["municipalityLabel"]),
                    "iri": str(r["municipality"]),
                    "count": int(r["count"]),
                }
                for r in result.counts
            ],
        )

    def _run(self, best: Reading, readings: list[Reading]) -> tuple[Reading, Result, Context]:
        """The best reading's answer; if it finds nothing (or rows, but not of the kind asked:
        no target where a target is asked), the next close reading that does."""
        first: tuple[Reading, Result, Context] | None = None
        partial: tuple[Reading, Result, Context] | None = None
        tried = 0
        for reading in readings:
            if reading.score < best.score - MARGIN or tried >= 3:
                break
            if reading.missing_data or reading.unknown is not None:
                continue
            tried += 1
            ctx = Context(self.kg, self.lexicon, self.vocab, self._kept)
            result = HANDLERS[reading.family.handler](reading, ctx)
            if first is None:
                first = (reading, result, ctx)
            if result.rows and result.complete:
                return reading, result, ctx
            if result.rows and partial is None:
                partial = (reading, result, ctx)
        assert first is not None  # the best reading is always tried
        return partial or first

    def not_understood(self, mentions: Mentions) -> str:
        """Help; for a question about what the graph does not hold (where a partner lies, its
        opening hours), say so, and how to ask about the things it named."""
        if not (mentions.cue("OUTSIDE") or mentions.cue("LOCATION")):
            return self.help()
        names = sorted({e.label for m in mentions.entities for e in m.value})
        examples = [f"«Hvilke mål afhænger af {name}?»" for name in names[:2]]
        return OUTSIDE.format(
            names=f", heller ikke for {listing(names)}" if names else "",
            examples=", ".join(examples or [f"«{q}»" for q in self.examples()[:3]]),
        )

    def help(self) -> str:
        """What to say to a question that was not understood, with examples from this graph."""
        if self._help is None:
            self._help = HELP.format(examples=", ".join(f"«{q}»" for q in self.examples()[:4]))
        return self._help

    def examples(self) -> list[str]:
        """Example questions made from this graph (two whole-store reads: 1.7 s at 1M
        triples), kept for the store's version like the rest of this answerer."""
        if self._examples is None:
            self._examples = example_questions(self.kg)
        return self._examples

    def _sources(self, result: Result) -> list[dict[str, Any]]:
        iris = (
            result.sources if result.sources is not None else [r.get("source") for r in result.rows]
        )
        out: list[dict[str, Any]] = []
        wanted = [str(iri) for iri in dict.fromkeys(iris) if iri]
        while wanted and len(out) < MAX_SOURCES:
            # the paragraphs a page of sources needs, in one query (fewer when some are gone)
            batch, wanted = wanted[: MAX_SOURCES - len(out)], wanted[MAX_SOURCES - len(out) :]
            found: dict[str, dict[str, Any]] = {}
            for row in self.kg.named("paragraph", paragraph=batch).rows:
                found.setdefault(str(row["paragraph"]), row)
            for iri in batch:
                if (p := found.get(iri)) is not None:
                    out.append(source(iri, p))
        return out


def source(iri: object, p: dict[str, Any]) -> dict[str, Any]:
    """A paragraph as a source: municipality, document, section and where in the file it
    stands, the same for every format ("side 3, tabel 1, række 2", "linje 12", "afsnit 7")."""
    municipality = str(p.get("municipalityLabel") or "")
    where = str(p.get("locator") or f"linje {p['line']}")
    label = f"{municipality + ': ' if municipality else ''}{p['documentTitle']}, {p['section']} ({where})"
    return {"document": p["documentTitle"], "section": p["section"], "paragraph": iri,
            "line": p["line"], "locator": where, "format": p.get("fileFormat"), "text": p["text"],
            "municipality": municipality or None, "year": p.get("year"), "label": label}  # fmt: skip


def _used(reading: Reading, mention: Any) -> bool:
    return reading.unknown is mention


def unknown_text(unknown: list[Any]) -> str:
    parts = []
    for u in unknown:
        hint = f" Mente du «{u.value}»?" if u.value else ""
        parts.append(f"Jeg kender ikke «{u.label}» i grafen.{hint}")
    return " ".join(parts)


def no_data(reading: Reading, lexicon: Lexicon) -> str:
    missing = listing([m.label for m in reading.missing_data])
    held = listing([f"{m.label} ({', '.join(map(str, m.years))})" for m in lexicon.municipalities])
    return f"Der er ingen data om {missing} i grafen." + (
        f" Grafen har data om {held}." if held else ""
    )


def described(reading: Reading) -> list[dict[str, Any]]:
    """What the reading used of the question, for "Sådan forstod jeg spørgsmålet"."""
    out: list[dict[str, Any]] = [
        {"text": lk.phrase, "label": lk.entity.label, "iri": lk.entity.iri, "kind": lk.entity.kind, "score": lk.score}
        for lk in reading.links
    ]  # fmt: skip
    for m in reading.municipalities + reading.regions:
        out.append({"text": m.label, "label": m.label, "iri": m.iri, "kind": "area", "score": 1.0})
    for hit in top(reading.hits)[:3]:
        topic = reading.mentions.topic
        out.append({"text": topic.said if topic else "", "label": hit.text, "iri": None,
                    "kind": "topic", "score": hit.score})  # fmt: skip
    return out


def understood_as(reading: Reading) -> str:
    """The reading in Danish words: what is asked, then the filters."""
    topic = reading.mentions.topic
    if reading.topic_kind == "focus_area" and reading.hits:
        about = f"fokusområdet «{short(reading.hits[0].text, 70)}»"
    elif reading.topic_kind == "item" and reading.hits:
        about = f"dagsordenspunktet «{short(reading.hits[0].text, 70)}»"
    elif reading.topic_kind == "indicator":
        about = f"«{topic.said if topic else ''}»"
    elif reading.topic_kind is None and "no_topic" in reading.family.options:
        about = str(reading.family.options["no_topic"])
    else:
        about = f"målet om «{topic.said if topic else ''}»"
    names = listing(sorted({lk.entity.label for lk in reading.links})) or (
        f"«{reading.unknown.label}»" if reading.unknown else ""
    )
    status = STATUSES.get(reading.verdict or "")
    verdict = status.da if status else ""
    if status is None:
        said = ""
    elif status.kind == "verdict":
        said = f" med vurderingen «{verdict}»"
    else:  # "Mål, der er i gang"; "Fokusområder med mål, der har en negativ udvikling"
        holder = reading.family.options.get("status_of")
        said = f"{' med ' + str(holder) if holder else ''}, der {status.clause}"
    text = reading.family.da.format(
        entity=names,
        topic=about,
        person=reading.person or "",
        verdict=said,
        **{
            "class": listing([CLASS_DA[c] for c in reading.classes], "eller")
            or "samarbejdspartnere, enheder eller projekter"
        },
    )
    filters = []
    if reading.municipalities:
        filters.append("kommune: " + listing([m.label for m in reading.municipalities]))
    if reading.regions:
        filters.append("område: " + listing([m.label for m in reading.regions]))
    if reading.years:
        filters.append("år: " + listing([str(y) for y in reading.years]))
    if status is not None and "{verdict}" not in reading.family.da:
        filters.append(f"{'vurdering' if status.kind == 'verdict' else 'status'}: {verdict}")
    text = text[:1].upper() + text[1:]
    return text + (" (" + "; ".join(filters) + ")" if filters else "") + "."

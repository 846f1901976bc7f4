"""Run a question's meaning against the graph and phrase a sourced Danish answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..nlp import stem
from ..queries import get_query
from .examples import example_questions
from .linking import TopicIndex, tokens
from .understand import Meaning, Understander

if TYPE_CHECKING:
    from ..api import MaalGraph

HELP = (
    "Det forstod jeg ikke. Jeg kan svare på spørgsmål om mål, fokusområder, partnere, projekter, "
    "målinger og udvalgets behandling. Prøv fx: {examples}"
)
COLUMNS = {  # query column -> Danish column shown to the user
    "id": "mål", "text": "måltekst", "verdictLabel": "vurdering", "focusAreaTitle": "fokusområde",
    "entityLabel": "afhænger af", "viaLabel": "via projekt", "label": "navn", "typeLabel": "type",
    "municipalityLabel": "kommune", "year": "år", "title": "fokusområde", "number": "nr.",
    "goals": "antal mål", "count": "antal", "value": "værdi", "unit": "enhed", "period": "periode",
    "areaLabel": "område", "indicator": "hvad er målt", "context": "sammenhæng",
    "committeeLabel": "udvalg", "date": "mødedato", "place": "mødested", "itemNumber": "punkt",
    "itemTitle": "dagsordenspunkt", "caseNumber": "sagsnummer", "caseOfficer": "sagsbehandler",
    "recommendation": "indstilling", "decision": "beslutning", "outcomeLabel": "udfald",
    "reportTitle": "opfølgning", "verdictPhrase": "vurderingssætning", "path": "forklaring",
    "share": "andel af fokusområdet",
}  # fmt: skip


LINKED = {  # shown column -> the raw column holding the IRI it names, for links to its page
    "id": "goal", "label": "entity", "entityLabel": "entity", "focusAreaTitle": "focusArea", "title": "focusArea",
}  # fmt: skip


def show(value: object) -> object:
    """Values as a Danish reader writes them: 10,4; 2021-03-16; integers plain."""
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and "." not in str(value)
            else str(value).replace(".", ",")
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass
class Answer:
    """A sourced answer: the sentence, the rows, the sources and how the question was read."""

    question: str
    understood: bool
    intent: str | None
    entities: list[dict[str, Any]]
    sparql: str | None
    columns: list[str]
    rows: list[dict[str, Any]]
    answer: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    suggestions: list[dict[str, str]] = field(default_factory=list)  # unknown phrase → closest name
    links: list[dict[str, str]] = field(default_factory=list)  # per row: shown column → IRI

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class QuestionAnswerer:
    """Built once per graph: indexes the graph's names and topics, then answers questions."""

    def __init__(self, kg: MaalGraph):
        self.kg = kg
        self._help: str | None = None
        goals = kg.named("goals").rows
        areas = kg.named("focus_areas").rows
        self.understander = Understander(
            kg.entity_index,
            TopicIndex([(str(r["goal"]), str(r["text"])) for r in goals]),
            TopicIndex([(str(r["focusArea"]), str(r["title"])) for r in areas]),
        )

    def ask(self, question: str) -> Answer:
        meaning = self.understander.understand(question)
        entities = [{"text": lk.phrase, "label": lk.entity.label, "iri": lk.entity.iri,
                     "kind": lk.entity.kind, "score": lk.score} for lk in meaning.links]  # fmt: skip
        if meaning.topic:
            entities.append({"text": "emne", "label": meaning.topic[1], "iri": meaning.topic[0],
                             "kind": "topic", "score": meaning.topic[2]})  # fmt: skip
        if not meaning.understood:
            return Answer(question, False, None, [], None, [], [], self.help())
        suggestions = [{"phrase": phrase, "suggestion": s} for phrase, s in meaning.unknown if s]
        if meaning.unknown and not meaning.links and not meaning.calls:
            return Answer(
                question,
                True,
                meaning.intent,
                entities,
                None,
                [],
                [],
                self._unknown(meaning),
                [],
                suggestions,
            )
        raw, sparql = self._impact(meaning) if meaning.intent == "impact" else self._run(meaning)
        raw = self._refine(meaning, raw)
        sources = self._sources(raw)
        columns, rows = self._display(meaning, raw)
        text = self._sentence(meaning, rows)
        if meaning.unknown:
            text = self._unknown(meaning) + " " + text
        links = [{COLUMNS[c]: str(r[key]) for c, key in LINKED.items() if COLUMNS[c] in shown and r.get(key)}
                 for r, shown in zip(raw, rows, strict=True)]  # fmt: skip
        return Answer(
            question,
            True,
            meaning.intent,
            entities,
            sparql,
            columns,
            rows,
            text,
            sources,
            suggestions,
            links,
        )

    # ------------------------------------------------------------------ running

    def help(self) -> str:
        """What to say to a question that was not understood, with examples from this graph."""
        if self._help is None:
            self._help = HELP.format(
                examples=", ".join(f"«{q}»" for q in example_questions(self.kg)[:4])
            )
        return self._help

    def _impact(self, meaning: Meaning) -> tuple[list[dict[str, Any]], str | None]:
        """The goals at risk, from the network analysis: one row per way a goal depends on
        what stops (directly or through a project), with the share of its focus area."""
        found = self.kg.impact(*sorted({lk.entity.iri for lk in meaning.links}))
        shares = {s.focus_area: f"{s.affected} af {s.total} mål" for s in found.focus_areas}
        rows = []
        for path in found.paths:
            row: dict[str, Any] = {"goal": path.goal, "focusArea": path.focus_area, "entity": path.path[0],
                                   "id": path.identifier, "text": path.text, "verdictLabel": path.verdict,
                                   "focusAreaTitle": path.focus_area_label, "path": " → ".join(path.labels),
                                   "share": shares.get(path.focus_area or "", ""), "source": path.source,
                                   "sourceSection": path.section}  # fmt: skip
            if path.via:
                row["viaLabel"] = ", ".join(path.via)
            rows.append(row)
        municipalities = sorted(
            {lk.entity.municipality for lk in meaning.links if lk.entity.municipality}
        )
        sparql = (
            "\n\n".join(self.kg.network_sparql(municipality=m) for m in municipalities)
            or self.kg.network_sparql()
        )
        return rows, sparql

    def _run(self, meaning: Meaning) -> tuple[list[dict[str, Any]], str | None]:
        rows: list[dict[str, Any]] = []
        texts = []
        seen = set()
        for name, params in meaning.calls:
            text = get_query(name).render(params)
            texts.append(text)
            for row in self.kg.query(text).rows:
                key = tuple(
                    sorted(
                        (k, str(v))
                        for k, v in row.items()
                        if k not in ("source", "sourceSection", "entity", "entityLabel", "viaLabel")
                    )
                )
                if key not in seen:
                    seen.add(key)
                    rows.append(row)
        return rows, ("\n\n".join(texts) if texts else None)

    def _refine(self, meaning: Meaning, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if meaning.intent != "measurement" or not rows:
            return rows
        asked = {stem(w) for w in tokens(meaning.detail or "") if len(w) > 2} - {
            stem("hvor"),
            stem("mange"),
        }

        def score(row: dict[str, Any]) -> float:
            words = {
                stem(w) for w in tokens(f"{row['indicator']} {row['context']} {row['areaLabel']}")
            }
            return sum(
                1.0
                if s in words
                else 0.5
                if any(w.startswith(s[:5]) for w in words if len(s) >= 5)
                else 0
                for s in asked
            )

        best = max(score(r) for r in rows)
        return [r for r in rows if best > 0 and score(r) >= best]

    def _sources(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out, seen = [], set()
        for row in rows:
            iri = row.get("source")
            if not iri or iri in seen:
                continue
            seen.add(iri)
            found = self.kg.named("paragraph", paragraph=iri).rows
            if found:
                p = found[0]
                out.append({"document": p["documentTitle"], "section": p["section"], "paragraph": iri,
                            "line": p["line"], "text": p["text"],
                            "label": f"{p['documentTitle']}, {p['section']}"})  # fmt: skip
        return out

    @staticmethod
    def _display(
        meaning: Meaning, rows: list[dict[str, Any]]
    ) -> tuple[list[str], list[dict[str, Any]]]:
        keep = [c for c in COLUMNS if any(c in r for r in rows)]
        if meaning.intent == "goal_status":
            keep = [c for c in ("id", "text", "verdictLabel", "focusAreaTitle") if c in keep]
        columns = [COLUMNS[c] for c in keep]
        return columns, [{COLUMNS[c]: show(r[c]) for c in keep if c in r} for r in rows]

    # ------------------------------------------------------------------ phrasing

    def _unknown(self, meaning: Meaning) -> str:
        parts = []
        for phrase, suggestion in meaning.unknown:
            hint = f" Mente du «{suggestion}»?" if suggestion else ""
            parts.append(f"Jeg kender ikke «{phrase}» i grafen.{hint}")
        return " ".join(parts) + " Der er derfor ingen resultater."

    @staticmethod
    def _sentence(meaning: Meaning, rows: list[dict[str, Any]]) -> str:
        n = len(rows)
        names = ", ".join(sorted({lk.entity.label for lk in meaning.links}))
        if meaning.intent == "count":
            what = "fokusområder" if meaning.detail == "focus_area_count" else "mål"
            total = (
                rows[0]["antal"]
                if len(rows) == 1 and "antal" in rows[0] and "fokusområde" not in rows[0]
                else n
            )
            return f"Der er {total} {what}."
        if not rows:
            return "Jeg fandt ingen resultater i grafen."
        if meaning.intent == "goals_depending_on":
            return f"{n} mål afhænger af {names}."
        if meaning.intent == "impact":
            areas = sorted(
                {(str(r.get("fokusområde")), str(r.get("andel af fokusområdet", ""))) for r in rows}
            )
            detail = "; ".join(f"{area} ({share})" for area, share in areas)
            return f"Hvis {names} stopper, berøres {len({r['mål'] for r in rows})} mål i {len(areas)} fokusområde(r): {detail}."
        if meaning.intent == "goals_by_verdict":
            return f"{n} mål er {meaning.detail}."
        if meaning.intent == "focus_areas_by_verdict":
            return f"{n} fokusområde(r) har mål, der er {meaning.detail}."
        if meaning.intent == "goal_status":
            r = rows[0]
            return f"Mål {r['mål']} er {r.get('vurdering', 'ikke vurderet')}: {r['måltekst']}"
        if meaning.intent == "measurement":
            return (
                "Målt: "
                + "; ".join(
                    f"{r['værdi']} {r['enhed']} ({r['periode']}, {r['område']}: {r['hvad er målt']})"
                    for r in rows
                )
                + "."
            )
        if meaning.intent == "committee":
            r = rows[0]
            detail = {
                "date": f"{r.get('udvalg')} behandlede punktet på mødet {r.get('mødedato')}.",
                "decision": f"Beslutning: {r.get('beslutning')}",
                "case": f"Sagsnummeret er {r.get('sagsnummer')}.",
                "recommendation": f"Indstilling: {r.get('indstilling')}",
                "officer": f"Sagsbehandler: {r.get('sagsbehandler')}.",
                "place": f"Mødestedet var {r.get('mødested')}.",
            }.get(
                meaning.detail or "",
                f"{r.get('udvalg')} behandlede «{r.get('dagsordenspunkt')}» {r.get('mødedato')}: {r.get('beslutning')}",
            )
            return detail
        if meaning.intent == "plans":
            return (
                "Vejene til målene er beskrevet i "
                + ", ".join(sorted({str(r["navn"]) for r in rows}))
                + "."
            )
        if meaning.intent == "entities_of_goals":
            return f"{n} fundet for «{meaning.topic[1][:60] if meaning.topic else ''}»."
        return f"{n} resultater."

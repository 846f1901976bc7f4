"""Turn a parsed, extracted document into RDF quads for pyoxigraph: one graph per source document.

Every fact node (focus area, goal, assessment, observation, decision …) carries
``prov:wasDerivedFrom`` to the paragraph it came from; paragraphs carry their text,
position, line and section, and ``maal:mentions`` for the names found in them.

The quads are made as pyoxigraph terms directly (no rdflib graph, no SPARQL text): the
store takes them in one transaction, and :mod:`maalgraph.shapes` checks them. Facts about
shared things (municipalities, areas, service areas, partners, units, projects, plans,
committees) go to the registry graph, the rest to the document's own graph
(:meth:`maalgraph.namespaces.IriMinter.is_shared_fact`), as each fact is added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .concepts import NO_VERDICT, PROGRESS_IRI, ROLE_IRI, TREND_IRI, VERDICT_IRI
from .ingest import ParsedDocument
from .ingest.blocks import BlockDocument
from .ingest.gazetteer import Gazetteer
from .ingest.lexicon import lexicon
from .model import (
    AgendaItem,
    EntityKind,
    FollowUp,
    Mention,
    Paragraph,
)
from .namespaces import (
    OX_BESLUIT,
    OX_DCTERMS,
    OX_MAAL,
    OX_ORG,
    OX_PROV,
    OX_QB,
    OX_RDF,
    OX_SCHEMA,
    OX_SKOS,
    OX_XSD,
    IriMinter,
    slug,
)

if TYPE_CHECKING:
    import rdflib

MAAL, BESLUIT, DCTERMS, ORG, PROV, QB, RDF, SCHEMA, SKOS = (
    OX_MAAL, OX_BESLUIT, OX_DCTERMS, OX_ORG, OX_PROV, OX_QB, OX_RDF, OX_SCHEMA, OX_SKOS,
)  # fmt: skip
Subject = ox.NamedNode
Object = ox.NamedNode | ox.Literal
Fact = tuple[Subject, ox.NamedNode, Object]

KIND_CLASS = {
    EntityKind.PARTNER: MAAL.Partner,
    EntityKind.UNIT: ORG.OrganizationalUnit,
    EntityKind.PROJECT: MAAL.Project,
    EntityKind.PLAN: PROV.Plan,
    EntityKind.AREA: MAAL.Area,
}
_INTEGER, _DECIMAL, _DATE = OX_XSD.integer, OX_XSD.decimal, OX_XSD.date


def decision_outcome(text: str) -> ox.NamedNode | None:
    """The outcome a decision's text states (phrases in ``lang/da/agenda.toml``)."""
    folded = text.casefold()
    return next((getattr(MAAL, o) for phrase, o in lexicon().outcomes if phrase in folded), None)


def document_id(path: Path) -> str:
    """The stable identity of a document: its file name, slugged."""
    return slug(path.stem)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_INTEGER)


def _text(value: str) -> ox.Literal:
    return ox.Literal(value)


@dataclass
class DocumentQuads:
    """The facts of one document, each once: its own in ``graph``, those about shared things
    in the ``registry`` graph (``in_registry`` says which, fact by fact)."""

    graph: str
    registry: str
    triples: list[Fact]
    in_registry: list[bool]

    def __len__(self) -> int:
        return len(self.triples)

    @property
    def quads(self) -> list[ox.Quad]:
        own, registry = ox.NamedNode(self.graph), ox.NamedNode(self.registry)
        return [ox.Quad(s, p, o, registry if shared else own)
                for (s, p, o), shared in zip(self.triples, self.in_registry, strict=True)]  # fmt: skip

    def nquads(self) -> bytes:
        """The quads as N-Quads, as a store loads them in one transaction (or a worker process
        sends them). Each term is written by pyoxigraph (``str``: its escaped N-Triples form);
        this is four times faster than making ``Quad`` objects to serialise."""
        own, registry = f" <{self.graph}> .\n", f" <{self.registry}> .\n"
        return "".join([f"{s} {p} {o}{registry if shared else own}"
                        for (s, p, o), shared in zip(self.triples, self.in_registry, strict=True)]
                       ).encode("utf-8")  # fmt: skip

    def to_rdflib(self) -> rdflib.Graph:
        """The same facts as one rdflib graph (both graphs merged), for the public API."""
        import rdflib

        from .terms import to_rdflib

        g = rdflib.Graph()
        for s, p, o in self.triples:
            g.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
        return g


class QuadBuilder:
    """Builds the quads of one document; holds the IRI minter and the gazetteer."""

    def __init__(self, iris: IriMinter, gazetteer: Gazetteer):
        self.iris = iris
        self.gazetteer = gazetteer
        self._nodes: dict[str, ox.NamedNode] = {}

    def _node(self, iri: str) -> ox.NamedNode:
        node = self._nodes.get(iri)
        if node is None:
            if len(self._nodes) > 100_000:  # names recur across documents, numbered nodes do not
                self._nodes.clear()
            node = self._nodes[iri] = ox.NamedNode(iri)
        return node

    # ------------------------------------------------------------------ a document

    def document(self, parsed: ParsedDocument) -> DocumentQuads:
        """The quads of one document: its paragraphs, its report and its agenda item."""
        graph = self.iris.graph(document_id(parsed.source.path))
        return _Document(self, graph).build(parsed)


class _Document:
    """The quads of one document while they are made: each fact once, in its graph."""

    def __init__(self, builder: QuadBuilder, graph: str):
        self.iris = builder.iris
        self.gazetteer = builder.gazetteer
        self.node = builder._node
        self.graph = graph
        self._seen: set[Fact] = set()
        self._shared: dict[Subject, bool] = {}
        self._named: dict[tuple[str, ...], ox.NamedNode] = {}  # areas and entities described
        self.triples: list[Fact] = []
        self.in_registry: list[bool] = []

    def add(self, s: Subject, p: ox.NamedNode, o: Object) -> None:
        key = (s, p, o)
        if key in self._seen:
            return
        self._seen.add(key)
        self.triples.append(key)
        shared = self._shared.get(s)
        if shared is None:
            shared = self._shared[s] = self.iris.is_shared(s.value)
        self.in_registry.append(shared and self.iris.is_shared_fact(s.value, o))

    def build(self, parsed: ParsedDocument) -> DocumentQuads:
        doc_node = self._source(
            parsed.source, parsed.kind, parsed.title, parsed.municipality, parsed.year
        )
        paras = self._paragraphs(doc_node, parsed.paragraphs)
        municipality = parsed.municipality or "Ukendt kommune"
        muni = self.area(municipality)
        report = None
        if parsed.report is not None:
            report = self._followup(parsed.source, parsed.report, doc_node, paras)
        if parsed.agenda is not None:
            self._agenda(parsed.source, parsed.agenda, doc_node, paras, report)
        restates = parsed.agenda is not None and bool(parsed.agenda.summary_sections)
        if not restates:  # an item restating a follow-up names what the follow-up names
            for p in parsed.paragraphs:
                for m in p.mentions:
                    self.add(paras[p.position], MAAL.mentions, self.entity(m, municipality, muni))
        return DocumentQuads(self.graph, self.iris.registry(), self.triples, self.in_registry)

    # ------------------------------------------------------------------ shared pieces

    def _source(
        self,
        source: BlockDocument,
        kind: str,
        title: str,
        municipality: str | None,
        year: int | None,
    ) -> ox.NamedNode:
        """The document node; its municipality and year (when known) scope the relinking
        after an ingest to the documents that can be affected."""
        add = self.add
        doc = self.node(self.iris("doc", document_id(source.path)))
        add(doc, RDF.type, MAAL.SourceDocument)
        add(doc, DCTERMS.title, _text(title))
        add(doc, MAAL.fileName, _text(source.path.name))
        add(doc, MAAL.sha256, _text(source.sha256))
        add(doc, MAAL.documentKind, _text(kind))
        add(doc, MAAL.fileFormat, _text(source.format))
        if source.pages is not None:
            add(doc, MAAL.pageCount, _int(source.pages))
        if municipality:
            add(doc, MAAL.municipality, self.area(municipality))
        if year is not None:
            add(doc, MAAL.year, _int(year))
        return doc

    def _paragraphs(
        self, doc: ox.NamedNode, paragraphs: Iterable[Paragraph]
    ) -> dict[int, ox.NamedNode]:
        add = self.add
        out = {}
        for p in paragraphs:
            node = ox.NamedNode(f"{doc.value}/p/{p.position}")
            out[p.position] = node
            add(node, RDF.type, MAAL.Paragraph)
            add(node, MAAL.text, _text(p.text))
            add(node, MAAL.position, _int(p.position))
            add(node, MAAL.line, _int(p.line))
            add(node, MAAL.section, _text(p.section))
            add(node, DCTERMS.isPartOf, doc)
            locator = p.locator
            if locator is not None:
                for prop, value in ((MAAL.page, locator.page), (MAAL.tableNumber, locator.table),
                                    (MAAL.rowNumber, locator.row), (MAAL.cellNumber, locator.cell),
                                    (MAAL.paragraphNumber, locator.paragraph)):  # fmt: skip
                    if value is not None:
                        add(node, prop, _int(value))
                where = locator.describe()
                if where:
                    add(node, MAAL.locator, _text(where))
        return out

    def area(self, name: str) -> ox.NamedNode:
        node = self._named.get(("area", name))
        if node is None:
            node = self._named["area", name] = self.node(self.iris("area", slug(name)))
            self.add(node, RDF.type, MAAL.Area)
            self.add(node, SKOS.prefLabel, _text(name))
        return node

    def entity(self, mention: Mention, municipality: str, muni_node: ox.NamedNode) -> ox.NamedNode:
        if mention.kind is EntityKind.AREA:
            return self.area(mention.label)
        key = (mention.kind.value, mention.label, municipality)
        described = self._named.get(key)
        if described is not None:  # its facts are in the document already
            return described
        add = self.add
        node = self._named[key] = self.node(
            self.iris.scoped(municipality, mention.kind.value, mention.label)
        )
        add(node, RDF.type, KIND_CLASS[mention.kind])
        add(node, SKOS.prefLabel, _text(mention.label))
        add(node, MAAL.municipality, muni_node)
        if mention.kind is EntityKind.UNIT:
            add(node, ORG.unitOf, muni_node)
        entry = self.gazetteer.lookup(mention.label)
        for alias in entry.aliases if entry else ():
            add(node, MAAL.alias, _text(alias))
        return node

    # ------------------------------------------------------------------ follow-up

    def _followup(
        self,
        source: BlockDocument,
        doc: FollowUp,
        doc_node: ox.NamedNode,
        paras: dict[int, ox.NamedNode],
    ) -> ox.NamedNode:
        add = self.add
        report = self.node(self.iris("report", document_id(source.path)))
        base = report.value
        muni = self.area(doc.municipality)
        add(report, RDF.type, MAAL.FollowUpReport)
        add(report, DCTERMS.title, _text(doc.title))
        add(report, MAAL.municipality, muni)
        add(report, PROV.wasDerivedFrom, doc_node)
        if doc.year:
            add(report, MAAL.year, _int(doc.year))
        dataset = ox.NamedNode(f"{base}/dataset")
        add(dataset, RDF.type, QB.DataSet)
        add(dataset, QB.structure, MAAL.MeasurementStructure)
        add(dataset, DCTERMS.title, _text(f"Målinger i {doc.title}"))

        entities: dict[tuple[str, EntityKind], ox.NamedNode] = {}

        def mentioned(p: Paragraph) -> list[tuple[Mention, ox.NamedNode]]:
            out = []
            for m in p.mentions:
                key = (m.label, m.kind)
                if key not in entities:
                    entities[key] = self.entity(m, doc.municipality, muni)
                add(paras[p.position], MAAL.mentions, entities[key])
                out.append((m, entities[key]))
            return out

        observation_count = 0
        for area in doc.focus_areas:
            fa = ox.NamedNode(f"{base}/fa/{area.number}")
            add(fa, RDF.type, MAAL.FocusArea)
            add(fa, SKOS.prefLabel, _text(area.title))
            add(fa, MAAL.number, _int(area.number))
            add(fa, MAAL.inReport, report)
            add(report, MAAL.hasFocusArea, fa)
            add(fa, PROV.wasDerivedFrom, paras[area.title_paragraph.position])
            mentioned(area.title_paragraph)
            if area.service_area_code or area.service_area_name:
                key = area.service_area_code or slug(area.service_area_name or "")
                concept = self.node(self.iris("servicearea", key))
                add(concept, RDF.type, SKOS.Concept)
                add(concept, SKOS.inScheme, MAAL.ServiceAreaScheme)
                if area.service_area_code:
                    add(concept, SKOS.notation, _text(area.service_area_code))
                if area.service_area_name:
                    add(concept, SKOS.prefLabel, _text(area.service_area_name))
                add(fa, MAAL.serviceArea, concept)
            if area.plan and area.plan_paragraph is not None:
                plan_mention = Mention(area.plan, EntityKind.PLAN)
                plan = self.entity(plan_mention, doc.municipality, muni)
                add(fa, MAAL.pathway, plan)
                add(paras[area.plan_paragraph.position], MAAL.mentions, plan)
                mentioned(area.plan_paragraph)
            for paragraph in area.unassigned:
                mentioned(paragraph)
            for goal in area.goals:
                ident = f"{area.number}.{goal.number}"
                node = ox.NamedNode(f"{base}/goal/{ident}")
                add(node, RDF.type, MAAL.Goal)
                add(node, MAAL.text, _text(goal.text))
                add(node, SKOS.prefLabel, _text(f"Mål {ident}"))
                add(node, MAAL.number, _int(goal.number))
                add(node, DCTERMS.identifier, _text(ident))
                add(node, MAAL.focusArea, fa)
                add(node, PROV.wasDerivedFrom, paras[goal.paragraph.position])
                depends = mentioned(goal.paragraph)
                a = goal.assessment
                verdict = a.verdict if a is not None else None
                add(node, MAAL.verdict, VERDICT_IRI[verdict] if verdict else NO_VERDICT)
                if goal.initiative:
                    # a budget note or initiative with a progress status is also a project
                    project = Mention(goal.text.rstrip(".")[:120], EntityKind.PROJECT)
                    target = self.entity(project, doc.municipality, muni)
                    add(paras[goal.paragraph.position], MAAL.mentions, target)
                    add(node, MAAL.dependsOn, target)
                if a is None:
                    continue
                assessment = ox.NamedNode(f"{base}/assessment/{ident}")
                add(assessment, RDF.type, MAAL.GoalAssessment)
                add(assessment, MAAL.assesses, node)
                add(node, MAAL.hasAssessment, assessment)  # the way queries walk: goal first
                add(assessment, MAAL.number, _int(a.number))
                add(assessment, MAAL.text, _text(a.text))
                if a.verdict is not None:
                    add(assessment, MAAL.verdict, VERDICT_IRI[a.verdict])
                if a.verdict_phrase:
                    add(assessment, MAAL.verdictPhrase, _text(a.verdict_phrase))
                if a.verdict_paragraph is not None and a.verdict is not None:
                    add(assessment, MAAL.verdictSource, paras[a.verdict_paragraph.position])
                if a.status_text:
                    add(assessment, MAAL.statusText, _text(a.status_text))
                if a.no_verdict_phrase:
                    add(assessment, MAAL.noVerdictPhrase, _text(a.no_verdict_phrase))
                if a.progress is not None:
                    add(assessment, MAAL.progress, PROGRESS_IRI[a.progress])
                    add(node, MAAL.progress, PROGRESS_IRI[a.progress])
                if a.trend is not None:
                    add(assessment, MAAL.trend, TREND_IRI[a.trend])
                if a.disagreement is not None:
                    # like the summary/status differences: a maal:Inconsistency about the goal
                    problem = ox.NamedNode(f"{assessment.value}/uoverensstemmelse")
                    add(problem, RDF.type, MAAL.Inconsistency)
                    add(problem, MAAL.text, _text(f"Mål {ident} ({doc.title}): {a.disagreement}"))
                    add(problem, MAAL.concerns, node)
                own = [] if goal.paragraph in a.paragraphs else [goal.paragraph]  # its targets
                for p in [*a.paragraphs, *own]:
                    if p is not goal.paragraph or not own:
                        add(assessment, PROV.wasDerivedFrom, paras[p.position])
                        depends.extend(mentioned(p))
                    for m in p.measurements:
                        if m.about is not None and m.about != goal.number:
                            continue  # a shared paragraph's number about another goal
                        observation_count += 1
                        obs = ox.NamedNode(f"{base}/obs/{observation_count}")
                        year = m.year if m.year is not None else doc.year
                        add(obs, RDF.type, QB.Observation)
                        add(obs, QB.dataSet, dataset)
                        add(obs, MAAL.value, ox.Literal(format(m.value, "f"), datatype=_DECIMAL))
                        if m.text:  # a store keeps only the value (10.0 becomes 10)
                            add(obs, MAAL.valueText, _text(m.text))
                        add(obs, MAAL.unit, _text(m.unit))
                        add(obs, MAAL.refPeriod, _text(m.period))
                        if year is not None:
                            add(obs, MAAL.year, _int(year))
                        add(obs, MAAL.refArea, self.area(m.area))
                        add(obs, MAAL.indicator, _text(m.indicator))
                        add(obs, MAAL.context, _text(m.context))
                        add(obs, MAAL.aboutGoal, node)
                        add(obs, MAAL.role, ROLE_IRI[m.role])
                        add(obs, PROV.wasDerivedFrom, paras[p.position])
                for mention, target in depends:
                    if mention.kind in (EntityKind.PARTNER, EntityKind.UNIT, EntityKind.PROJECT):
                        add(node, MAAL.dependsOn, target)
        return report

    # ------------------------------------------------------------------ agenda item

    def _agenda(
        self,
        source: BlockDocument,
        item: AgendaItem,
        doc_node: ox.NamedNode,
        paras: dict[int, ox.NamedNode],
        report: ox.NamedNode | None,
    ) -> None:
        add = self.add
        node = self.node(self.iris("agenda", document_id(source.path)))
        scope = item.municipality or "ukendt"
        committee = self.node(self.iris.scoped(scope, "udvalg", item.committee))
        add(committee, RDF.type, BESLUIT.Bestuursorgaan)
        add(committee, SKOS.prefLabel, _text(item.committee))
        meeting_key = (
            item.meeting_date.isoformat() if item.meeting_date else document_id(source.path)
        )
        meeting = self.node(f"{committee.value}/moede/{meeting_key}")
        add(meeting, RDF.type, BESLUIT.Zitting)
        add(meeting, BESLUIT.isGehoudenDoor, committee)
        add(meeting, BESLUIT.behandelt, node)
        if item.meeting_date:
            add(meeting, DCTERMS.date, ox.Literal(item.meeting_date.isoformat(), datatype=_DATE))
        if item.meeting_place:
            add(meeting, BESLUIT.opLocatie, _text(item.meeting_place))
        add(node, RDF.type, BESLUIT.Agendapunt)
        add(node, DCTERMS.title, _text(item.title))
        add(node, PROV.wasDerivedFrom, paras[item.title_paragraph.position])
        if item.number is not None:
            add(node, SCHEMA.position, _int(item.number))
        if item.year is not None:
            add(node, MAAL.year, _int(item.year))
        for prop, value in (
            (MAAL.caseNumber, item.case_number),
            (MAAL.caseOfficer, item.case_officer),
            (DCTERMS.abstract, item.summary),
            (MAAL.recommendation, item.recommendation),
        ):
            if value:
                add(node, prop, _text(value))
        for attachment in item.attachments:
            add(node, MAAL.attachment, _text(attachment))
        if item.decision and item.decision_paragraph is not None:
            decision = ox.NamedNode(f"{node.value}/beslutning")
            add(decision, RDF.type, BESLUIT.Besluit)
            add(decision, MAAL.text, _text(item.decision))
            add(decision, PROV.wasDerivedFrom, paras[item.decision_paragraph.position])
            outcome = decision_outcome(item.decision)
            if outcome is not None:
                add(decision, MAAL.decisionOutcome, outcome)
            add(node, MAAL.decision, decision)
        count = 0
        for section in item.summary_sections:
            for bullet in section.bullets:
                count += 1
                statement = ox.NamedNode(f"{node.value}/resume/{count}")
                add(statement, RDF.type, MAAL.SummaryStatement)
                add(statement, MAAL.summaryOf, node)
                add(statement, MAAL.text, _text(bullet.goal_text))
                add(statement, MAAL.section, _text(section.title))
                if bullet.verdict is not None:
                    add(statement, MAAL.verdict, VERDICT_IRI[bullet.verdict])
                add(statement, PROV.wasDerivedFrom, paras[bullet.paragraph.position])
        if report is not None:
            add(node, MAAL.approves, report)  # the item's own goals: it handles them

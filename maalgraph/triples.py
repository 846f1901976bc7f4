"""Turn a parsed, extracted document into RDF: one graph per source document.

Every fact node (focus area, goal, assessment, observation, decision …) carries
``prov:wasDerivedFrom`` to the paragraph it came from; paragraphs carry their text,
position, line and section, and ``maal:mentions`` for the names found in them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS, XSD

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
    Progress,
    Role,
    Trend,
    Verdict,
)
from .namespaces import BESLUIT, MAAL, QB, SCHEMA, IriMinter, slug

VERDICT_IRI = {
    Verdict.MET: MAAL.Opfyldt,
    Verdict.PARTLY_MET: MAAL.DelvistOpfyldt,
    Verdict.NOT_MET: MAAL.IkkeOpfyldt,
}
KIND_CLASS = {
    EntityKind.PARTNER: MAAL.Partner,
    EntityKind.UNIT: ORG.OrganizationalUnit,
    EntityKind.PROJECT: MAAL.Project,
    EntityKind.PLAN: PROV.Plan,
    EntityKind.AREA: MAAL.Area,
}
NO_VERDICT = MAAL.UdenVurdering  # no verdict stated (or the text says it cannot be judged)
PROGRESS_IRI = {
    Progress.IN_PROGRESS: MAAL.IGang,
    Progress.COMPLETED: MAAL.Afsluttet,
    Progress.NOT_STARTED: MAAL.IkkeStartet,
}
TREND_IRI = {
    Trend.POSITIVE: MAAL.PositivUdvikling,
    Trend.NEGATIVE: MAAL.NegativUdvikling,
    Trend.FLAT: MAAL.UaendretUdvikling,
}
ROLE_IRI = {Role.ACTUAL: MAAL.Resultat, Role.TARGET: MAAL.Maalvaerdi, Role.BASELINE: MAAL.Baseline}


def decision_outcome(text: str) -> URIRef | None:
    """The outcome a decision's text states (phrases in ``lang/da/agenda.toml``)."""
    folded = text.casefold()
    return next((MAAL[o] for phrase, o in lexicon().outcomes if phrase in folded), None)


def document_id(path: Path) -> str:
    """The stable identity of a document: its file name, slugged."""
    return slug(path.stem)


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


class GraphBuilder:
    """Builds the triples of one document; holds the IRI minter and the gazetteer."""

    def __init__(self, iris: IriMinter, gazetteer: Gazetteer):
        self.iris = iris
        self.gazetteer = gazetteer

    # ------------------------------------------------------------------ shared pieces

    def _source(
        self,
        g: Graph,
        source: BlockDocument,
        kind: str,
        title: str,
        municipality: str | None,
        year: int | None,
    ) -> URIRef:
        """The document node; its municipality and year (when known) scope the relinking
        after an ingest to the documents that can be affected."""
        doc = URIRef(self.iris("doc", document_id(source.path)))
        g.add((doc, RDF.type, MAAL.SourceDocument))
        g.add((doc, DCTERMS.title, Literal(title)))
        g.add((doc, MAAL.fileName, Literal(source.path.name)))
        g.add((doc, MAAL.sha256, Literal(source.sha256)))
        g.add((doc, MAAL.documentKind, Literal(kind)))
        g.add((doc, MAAL.fileFormat, Literal(source.format)))
        if source.pages is not None:
            g.add((doc, MAAL.pageCount, _int(source.pages)))
        if municipality:
            g.add((doc, MAAL.municipality, self.area(g, municipality)))
        if year is not None:
            g.add((doc, MAAL.year, _int(year)))
        return doc

    def _paragraphs(
        self, g: Graph, doc: URIRef, paragraphs: Iterable[Paragraph]
    ) -> dict[int, URIRef]:
        out = {}
        for p in paragraphs:
            node = URIRef(f"{doc}/p/{p.position}")
            out[p.position] = node
            g.add((node, RDF.type, MAAL.Paragraph))
            g.add((node, MAAL.text, Literal(p.text)))
            g.add((node, MAAL.position, _int(p.position)))
            g.add((node, MAAL.line, _int(p.line)))
            g.add((node, MAAL.section, Literal(p.section)))
            g.add((node, DCTERMS.isPartOf, doc))
            locator = p.locator
            if locator is not None:
                for prop, value in ((MAAL.page, locator.page), (MAAL.tableNumber, locator.table),
                                    (MAAL.rowNumber, locator.row), (MAAL.cellNumber, locator.cell),
                                    (MAAL.paragraphNumber, locator.paragraph)):  # fmt: skip
                    if value is not None:
                        g.add((node, prop, _int(value)))
                where = locator.describe()
                if where:
                    g.add((node, MAAL.locator, Literal(where)))
        return out

    def area(self, g: Graph, name: str) -> URIRef:
        node = URIRef(self.iris("area", slug(name)))
        g.add((node, RDF.type, MAAL.Area))
        g.add((node, SKOS.prefLabel, Literal(name)))
        return node

    def entity(self, g: Graph, mention: Mention, municipality: str, muni_node: URIRef) -> URIRef:
        if mention.kind is EntityKind.AREA:
            return self.area(g, mention.label)
        node = URIRef(self.iris.scoped(municipality, mention.kind.value, mention.label))
        g.add((node, RDF.type, KIND_CLASS[mention.kind]))
        g.add((node, SKOS.prefLabel, Literal(mention.label)))
        g.add((node, MAAL.municipality, muni_node))
        if mention.kind is EntityKind.UNIT:
            g.add((node, ORG.unitOf, muni_node))
        entry = self.gazetteer.lookup(mention.label)
        for alias in entry.aliases if entry else ():
            g.add((node, MAAL.alias, Literal(alias)))
        return node

    # ------------------------------------------------------------------ a document

    def document(self, parsed: ParsedDocument) -> Graph:
        """The graph of one document: its paragraphs, its report and its agenda item."""
        g = Graph()
        doc_node = self._source(
            g, parsed.source, parsed.kind, parsed.title, parsed.municipality, parsed.year
        )
        paras = self._paragraphs(g, doc_node, parsed.paragraphs)
        municipality = parsed.municipality or "Ukendt kommune"
        muni = self.area(g, municipality)
        report = None
        if parsed.report is not None:
            report = self._followup(g, parsed.source, parsed.report, doc_node, paras)
        if parsed.agenda is not None:
            self._agenda(g, parsed.source, parsed.agenda, doc_node, paras, report)
        restates = parsed.agenda is not None and bool(parsed.agenda.summary_sections)
        if not restates:  # an item restating a follow-up names what the follow-up names
            for p in parsed.paragraphs:
                for m in p.mentions:
                    g.add((paras[p.position], MAAL.mentions, self.entity(g, m, municipality, muni)))
        return g

    # ------------------------------------------------------------------ follow-up

    def _followup(
        self,
        g: Graph,
        source: BlockDocument,
        doc: FollowUp,
        doc_node: URIRef,
        paras: dict[int, URIRef],
    ) -> URIRef:
        report = URIRef(self.iris("report", document_id(source.path)))
        muni = self.area(g, doc.municipality)
        g.add((report, RDF.type, MAAL.FollowUpReport))
        g.add((report, DCTERMS.title, Literal(doc.title)))
        g.add((report, MAAL.municipality, muni))
        g.add((report, PROV.wasDerivedFrom, doc_node))
        if doc.year:
            g.add((report, MAAL.year, _int(doc.year)))
        dataset = URIRef(f"{report}/dataset")
        g.add((dataset, RDF.type, QB.DataSet))
        g.add((dataset, QB.structure, MAAL.MeasurementStructure))
        g.add((dataset, DCTERMS.title, Literal(f"Målinger i {doc.title}")))

        entities: dict[tuple[str, EntityKind], URIRef] = {}

        def mentioned(p: Paragraph) -> list[tuple[Mention, URIRef]]:
            out = []
            for m in p.mentions:
                key = (m.label, m.kind)
                if key not in entities:
                    entities[key] = self.entity(g, m, doc.municipality, muni)
                g.add((paras[p.position], MAAL.mentions, entities[key]))
                out.append((m, entities[key]))
            return out

        observation_count = 0
        for area in doc.focus_areas:
            fa = URIRef(f"{report}/fa/{area.number}")
            g.add((fa, RDF.type, MAAL.FocusArea))
            g.add((fa, SKOS.prefLabel, Literal(area.title)))
            g.add((fa, MAAL.number, _int(area.number)))
            g.add((fa, MAAL.inReport, report))
            g.add((report, MAAL.hasFocusArea, fa))
            g.add((fa, PROV.wasDerivedFrom, paras[area.title_paragraph.position]))
            mentioned(area.title_paragraph)
            if area.service_area_code or area.service_area_name:
                key = area.service_area_code or slug(area.service_area_name or "")
                concept = URIRef(self.iris("servicearea", key))
                g.add((concept, RDF.type, SKOS.Concept))
                g.add((concept, SKOS.inScheme, MAAL.ServiceAreaScheme))
                if area.service_area_code:
                    g.add((concept, SKOS.notation, Literal(area.service_area_code)))
                if area.service_area_name:
                    g.add((concept, SKOS.prefLabel, Literal(area.service_area_name)))
                g.add((fa, MAAL.serviceArea, concept))
            if area.plan and area.plan_paragraph is not None:
                plan_mention = Mention(area.plan, EntityKind.PLAN)
                plan = self.entity(g, plan_mention, doc.municipality, muni)
                g.add((fa, MAAL.pathway, plan))
                g.add((paras[area.plan_paragraph.position], MAAL.mentions, plan))
                mentioned(area.plan_paragraph)
            for paragraph in area.unassigned:
                mentioned(paragraph)
            for goal in area.goals:
                ident = f"{area.number}.{goal.number}"
                node = URIRef(f"{report}/goal/{ident}")
                g.add((node, RDF.type, MAAL.Goal))
                g.add((node, MAAL.text, Literal(goal.text)))
                g.add((node, SKOS.prefLabel, Literal(f"Mål {ident}")))
                g.add((node, MAAL.number, _int(goal.number)))
                g.add((node, DCTERMS.identifier, Literal(ident)))
                g.add((node, MAAL.focusArea, fa))
                g.add((node, PROV.wasDerivedFrom, paras[goal.paragraph.position]))
                depends = mentioned(goal.paragraph)
                a = goal.assessment
                verdict = a.verdict if a is not None else None
                g.add((node, MAAL.verdict, VERDICT_IRI[verdict] if verdict else NO_VERDICT))
                if goal.initiative:
                    # a budget note or initiative with a progress status is also a project
                    project = Mention(goal.text.rstrip(".")[:120], EntityKind.PROJECT)
                    target = self.entity(g, project, doc.municipality, muni)
                    g.add((paras[goal.paragraph.position], MAAL.mentions, target))
                    g.add((node, MAAL.dependsOn, target))
                if a is None:
                    continue
                assessment = URIRef(f"{report}/assessment/{ident}")
                g.add((assessment, RDF.type, MAAL.GoalAssessment))
                g.add((assessment, MAAL.assesses, node))
                g.add((node, MAAL.hasAssessment, assessment))  # the way queries walk: goal first
                g.add((assessment, MAAL.number, _int(a.number)))
                g.add((assessment, MAAL.text, Literal(a.text)))
                if a.verdict is not None:
                    g.add((assessment, MAAL.verdict, VERDICT_IRI[a.verdict]))
                if a.verdict_phrase:
                    g.add((assessment, MAAL.verdictPhrase, Literal(a.verdict_phrase)))
                if a.verdict_paragraph is not None and a.verdict is not None:
                    g.add((assessment, MAAL.verdictSource, paras[a.verdict_paragraph.position]))
                if a.status_text:
                    g.add((assessment, MAAL.statusText, Literal(a.status_text)))
                if a.no_verdict_phrase:
                    g.add((assessment, MAAL.noVerdictPhrase, Literal(a.no_verdict_phrase)))
                if a.progress is not None:
                    g.add((assessment, MAAL.progress, PROGRESS_IRI[a.progress]))
                    g.add((node, MAAL.progress, PROGRESS_IRI[a.progress]))
                if a.trend is not None:
                    g.add((assessment, MAAL.trend, TREND_IRI[a.trend]))
                if a.disagreement is not None:
                    # like the summary/status differences: a maal:Inconsistency about the goal
                    problem = URIRef(f"{assessment}/uoverensstemmelse")
                    g.add((problem, RDF.type, MAAL.Inconsistency))
                    g.add(
                        (
                            problem,
                            MAAL.text,
                            Literal(f"Mål {ident} ({doc.title}): {a.disagreement}"),
                        )
                    )
                    g.add((problem, MAAL.concerns, node))
                own = [] if goal.paragraph in a.paragraphs else [goal.paragraph]  # its targets
                for p in [*a.paragraphs, *own]:
                    if p is not goal.paragraph or not own:
                        g.add((assessment, PROV.wasDerivedFrom, paras[p.position]))
                        depends.extend(mentioned(p))
                    for m in p.measurements:
                        if m.about is not None and m.about != goal.number:
                            continue  # a shared paragraph's number about another goal
                        observation_count += 1
                        obs = URIRef(f"{report}/obs/{observation_count}")
                        g.add((obs, RDF.type, QB.Observation))
                        g.add((obs, QB.dataSet, dataset))
                        g.add((obs, MAAL.value, Literal(m.value, datatype=XSD.decimal)))
                        if m.text:  # a store keeps only the value (10.0 becomes 10)
                            g.add((obs, MAAL.valueText, Literal(m.text)))
                        g.add((obs, MAAL.unit, Literal(m.unit)))
                        g.add((obs, MAAL.refPeriod, Literal(m.period)))
                        g.add((obs, MAAL.year, _int(m.year if m.year is not None else doc.year)))
                        g.add((obs, MAAL.refArea, self.area(g, m.area)))
                        g.add((obs, MAAL.indicator, Literal(m.indicator)))
                        g.add((obs, MAAL.context, Literal(m.context)))
                        g.add((obs, MAAL.aboutGoal, node))
                        g.add((obs, MAAL.role, ROLE_IRI[m.role]))
                        g.add((obs, PROV.wasDerivedFrom, paras[p.position]))
                for mention, target in depends:
                    if mention.kind in (EntityKind.PARTNER, EntityKind.UNIT, EntityKind.PROJECT):
                        g.add((node, MAAL.dependsOn, target))
        return report

    # ------------------------------------------------------------------ agenda item

    def _agenda(
        self,
        g: Graph,
        source: BlockDocument,
        item: AgendaItem,
        doc_node: URIRef,
        paras: dict[int, URIRef],
        report: URIRef | None,
    ) -> None:
        node = URIRef(self.iris("agenda", document_id(source.path)))
        scope = item.municipality or "ukendt"
        committee = URIRef(self.iris.scoped(scope, "udvalg", item.committee))
        g.add((committee, RDF.type, BESLUIT.Bestuursorgaan))
        g.add((committee, SKOS.prefLabel, Literal(item.committee)))
        meeting_key = (
            item.meeting_date.isoformat() if item.meeting_date else document_id(source.path)
        )
        meeting = URIRef(f"{committee}/moede/{meeting_key}")
        g.add((meeting, RDF.type, BESLUIT.Zitting))
        g.add((meeting, BESLUIT.isGehoudenDoor, committee))
        g.add((meeting, BESLUIT.behandelt, node))
        if item.meeting_date:
            g.add((meeting, DCTERMS.date, Literal(item.meeting_date, datatype=XSD.date)))
        if item.meeting_place:
            g.add((meeting, BESLUIT.opLocatie, Literal(item.meeting_place)))
        g.add((node, RDF.type, BESLUIT.Agendapunt))
        g.add((node, DCTERMS.title, Literal(item.title)))
        g.add((node, PROV.wasDerivedFrom, paras[item.title_paragraph.position]))
        if item.number is not None:
            g.add((node, SCHEMA.position, _int(item.number)))
        if item.year is not None:
            g.add((node, MAAL.year, _int(item.year)))
        for prop, value in (
            (MAAL.caseNumber, item.case_number),
            (MAAL.caseOfficer, item.case_officer),
            (DCTERMS.abstract, item.summary),
            (MAAL.recommendation, item.recommendation),
        ):
            if value:
                g.add((node, prop, Literal(value)))
        for attachment in item.attachments:
            g.add((node, MAAL.attachment, Literal(attachment)))
        if item.decision and item.decision_paragraph is not None:
            decision = URIRef(f"{node}/beslutning")
            g.add((decision, RDF.type, BESLUIT.Besluit))
            g.add((decision, MAAL.text, Literal(item.decision)))
            g.add((decision, PROV.wasDerivedFrom, paras[item.decision_paragraph.position]))
            outcome = decision_outcome(item.decision)
            if outcome is not None:
                g.add((decision, MAAL.decisionOutcome, outcome))
            g.add((node, MAAL.decision, decision))
        count = 0
        for section in item.summary_sections:
            for bullet in section.bullets:
                count += 1
                statement = URIRef(f"{node}/resume/{count}")
                g.add((statement, RDF.type, MAAL.SummaryStatement))
                g.add((statement, MAAL.summaryOf, node))
                g.add((statement, MAAL.text, Literal(bullet.goal_text)))
                g.add((statement, MAAL.section, Literal(section.title)))
                if bullet.verdict is not None:
                    g.add((statement, MAAL.verdict, VERDICT_IRI[bullet.verdict]))
                g.add((statement, PROV.wasDerivedFrom, paras[bullet.paragraph.position]))
        if report is not None:
            g.add((node, MAAL.approves, report))  # the item's own goals: it handles them

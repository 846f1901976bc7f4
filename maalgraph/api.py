"""The Python API: :class:`MaalGraph` opens a store, ingests documents and answers queries."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import rdflib

from .analysis.methods import NetworkAnalysis
from .backend import Store
from .errors import QueryError, StoreError, ValidationError
from .i18n import N_
from .links import (
    DocumentScope,
    PendingMark,
    RelinkPlan,
    build_links,
    plan,
    prune_registry_update,
    stale_graphs,
)
from .namespaces import DEFAULT_BASE, PREFIXES, IriMinter, slug
from .queries import get_query, inject_values, load_queries
from .resources import corpus_files
from .results import QueryResult
from .store import EXPORT_FORMATS, OxigraphStore
from .terms import binding_term
from .text import normalize

if TYPE_CHECKING:  # the reader, the question layer and SHACL load spaCy/pySHACL: when used
    from .ingest import Extractor, ParsedDocument
    from .question import Answer, QuestionAnswerer
    from .question.linking import EntityIndex
    from .validation import Conformance

_INTERRUPTED = (
    "En ændring af dokumenterne blev afbrudt, før de afledte grafer var genopbygget; de "
    "genopbygges, når lageret åbnes, mens ingen anden proces skriver i det."
)
_STALE = (
    "Den afledte graf er forældet: {missing} fakta mangler, og {unsupported} fakta støttes "
    "ikke længere af dokumenterne. Genopbyg med MaalGraph.relink()."
)
# a batch this large leaves the on-disk store in many small pieces: compact it afterwards
COMPACT_AFTER = 10


@dataclass
class IngestReport:
    """What one ingest did: the graph written, its size and the warnings on the way."""

    path: Path
    document_id: str
    kind: str
    graph: str
    triples: int
    warnings: list[str] = field(default_factory=list)
    replaced: bool = False  # the document was in the store before and has been replaced


class MaalGraph(NetworkAnalysis):
    """A knowledge graph of goal follow-ups and committee decisions.

    >>> with MaalGraph.memory() as kg:
    ...     report = kg.ingest(corpus_files()[1])
    ...     kg.named("goal_count").rows
    [{'count': 12}]
    """

    def __init__(
        self,
        store: Store,
        *,
        base_iri: str = DEFAULT_BASE,
        gazetteer: str | Path | None = None,
    ):
        self.store = store
        self.iris = IriMinter(base_iri)
        self._gazetteer_path = gazetteer
        self._extractor: Extractor | None = None
        self._answerer: QuestionAnswerer | None = None
        self._entity_index: EntityIndex | None = None
        # built lazily, once, even when several threads ask at the same time (``serve``)
        self._building = threading.RLock()
        self.generation = (
            0  # counts changes: whatever is cached from the content is stale when it moves
        )
        self._pending = PendingMark(store, self.iris)
        if not store.read_only:
            self._install_ontology()
            if self._pending.is_set():  # a change of documents was interrupted: finish it
                self.relink()

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        base_iri: str | None = None,
        gazetteer: str | Path | None = None,
    ) -> MaalGraph:
        """Open (or create) a persistent store at ``path``; without a path, the bundled
        example corpus, read-only and in memory."""
        base = base_iri or os.environ.get("MAALGRAPH_BASE") or DEFAULT_BASE
        if path is None:
            return cls.example(base_iri=base, gazetteer=gazetteer)
        kg = cls(OxigraphStore(path, read_only=read_only), base_iri=base, gazetteer=gazetteer)
        if read_only and kg._pending.is_set():
            # interrupted: rebuild the derived graphs now, unless another process is
            # writing the store (it may be that change, still running); validate tells
            try:
                cls(OxigraphStore(path), base_iri=base, gazetteer=gazetteer).close()
            except StoreError:
                return kg
            kg.close()
            kg = cls(OxigraphStore(path, read_only=True), base_iri=base, gazetteer=gazetteer)
        return kg

    @classmethod
    def connect(
        cls,
        query_url: str,
        update_url: str | None = None,
        *,
        token: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
        base_iri: str | None = None,
        gazetteer: str | Path | None = None,
    ) -> MaalGraph:
        """Use an external SPARQL 1.1 server as the store; without ``update_url`` it is
        read-only. The server must show the union of its named graphs as its default graph.
        Credentials: a bearer ``token``, or ``user`` and ``password`` (Basic or Digest, as the
        server asks). Only maalgraph's own graphs (under ``base_iri``) are this store's."""
        base = base_iri or os.environ.get("MAALGRAPH_BASE") or DEFAULT_BASE
        from .remote import RemoteStore

        store = RemoteStore(
            query_url, update_url, token=token, user=user, password=password, timeout=timeout,
            graph_prefix=IriMinter(base).graph(""),
        )  # fmt: skip
        kg = cls(store, base_iri=base, gazetteer=gazetteer)
        store.check_union_default_graph()
        return kg

    @classmethod
    def memory(
        cls, *, base_iri: str = DEFAULT_BASE, gazetteer: str | Path | None = None
    ) -> MaalGraph:
        """An empty, writable in-memory graph."""
        return cls(OxigraphStore(), base_iri=base_iri, gazetteer=gazetteer)

    @classmethod
    def example(
        cls,
        *,
        base_iri: str = DEFAULT_BASE,
        gazetteer: str | Path | None = None,
        writable: bool = False,
    ) -> MaalGraph:
        """The bundled example corpus in memory, read-only unless ``writable``. It is ingested
        once and kept in a cache on disk (see :mod:`maalgraph.bundled`)."""
        from .bundled import cached_quads

        built: list[MaalGraph] = []

        def build() -> bytes:
            kg = cls.memory(base_iri=base_iri, gazetteer=gazetteer)
            kg.ingest_many(corpus_files())
            built.append(kg)
            return kg.store.dump("nq")

        quads = cached_quads(base_iri, gazetteer, build)
        if built:
            kg = built[0]
        else:
            store = OxigraphStore()
            store.load_nquads(quads)
            store.read_only = True  # the ontology is in the cache: nothing to install
            kg = cls(store, base_iri=base_iri, gazetteer=gazetteer)
        kg.store.read_only = not writable
        return kg

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> MaalGraph:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def graph(self) -> rdflib.Dataset:
        """The same data through rdflib's Dataset API."""
        return self.store.rdflib_dataset()

    @property
    def extractor(self) -> Extractor:
        extractor = self._extractor
        if extractor is None:
            with self._building:
                if (extractor := self._extractor) is None:
                    from .ingest import Extractor
                    from .ingest.gazetteer import Gazetteer

                    path = self._gazetteer_path or os.environ.get("MAALGRAPH_GAZETTEER")
                    extractor = self._extractor = Extractor(Gazetteer.load(path))
        return extractor

    def _install_ontology(self) -> None:
        from .validation import ontology

        graph = self.iris("graph", "ontology")
        onto = ontology()
        if self.store.graph_size(graph) != len(onto):
            self.store.replace_graph(graph, onto)

    # ------------------------------------------------------------------ ingesting

    def parse(self, path: str | Path, *, max_bytes: int | None = None) -> ParsedDocument:
        """Parse and extract a document without storing it (``max_bytes``: the reader's
        limit, 10 MB unless given)."""
        from .ingest import parse_document
        from .ingest.reading import DEFAULT_MAX_BYTES

        return parse_document(path, self.extractor, max_bytes=max_bytes or DEFAULT_MAX_BYTES)

    def build(self, parsed: ParsedDocument) -> rdflib.Graph:
        """The RDF graph of a parsed document."""
        from .triples import GraphBuilder

        return GraphBuilder(self.iris, self.extractor.gazetteer).document(parsed)

    def ingest(self, path: str | Path, *, max_bytes: int | None = None) -> IngestReport:
        """Ingest one document into its own named graph, replacing an earlier version.

        All of the document is stored, or (on any error) none of it.
        """
        return self.ingest_many([path], max_bytes=max_bytes)[0]

    def ingest_many(
        self,
        paths: Iterable[str | Path],
        *,
        max_bytes: int | None = None,
        on_done: Callable[[Path, IngestReport | Exception], None] | None = None,
    ) -> list[IngestReport]:
        """Ingest several documents; a failing one is reported to ``on_done`` (or raised)
        and leaves the others stored. Links between documents are rebuilt once at the end;
        :meth:`inconsistencies` tells what the linking found."""
        before = self._document_scopes()
        writable = not self.store.read_only
        interrupted = writable and self._pending.is_set()  # an earlier change never finished
        if writable:
            self._pending.set()
        reports: list[IngestReport] = []
        try:
            for path in paths:
                try:
                    report = self._ingest_one(path, max_bytes)
                except Exception as exc:
                    if on_done is None:
                        raise
                    on_done(Path(path), exc)
                    continue
                reports.append(report)
                if on_done is not None:
                    on_done(Path(path), report)
        finally:
            # also when a document failed: those written before it are relinked
            if writable and (reports or interrupted):
                written = {r.graph for r in reports}
                after = self._document_scopes()
                # a replaced document may have moved (another municipality or year): both count
                changed = [s for g, s in after.items() if g in written] + [
                    s for g, s in before.items() if g in written
                ]
                self._relink(None if interrupted else changed, after)
                if len(reports) >= COMPACT_AFTER:
                    self.store.optimize()
            if writable:
                self._pending.clear()
        return reports

    def _ingest_one(self, path: str | Path, max_bytes: int | None) -> IngestReport:
        from .triples import document_id
        from .validation import check

        if self.store.read_only:
            raise StoreError(
                N_(
                    "the example corpus is read-only; ingest into a persistent store with "
                    "--store PATH (or MAALGRAPH_STORE)"
                )
            )
        parsed = self.parse(path, max_bytes=max_bytes)
        graph = self.build(parsed)
        graph_iri = self.iris.graph(document_id(parsed.source.path))
        conformance = check(graph, graph_iri)
        if not conformance.conforms:
            raise ValidationError(
                N_(
                    "{path}: the extracted graph violates {violations} SHACL constraints; "
                    "nothing was stored (details in the report)"
                ),
                conformance.report,
                path=str(parsed.source.path),
                violations=conformance.violations,
            )
        replaced = self.store.graph_size(graph_iri) > 0
        # facts about shared things (partners, units, municipalities …) go to the registry,
        # once; the document's own facts replace its graph; both in one transaction
        shared = [t for t in graph if self._is_shared_fact(t)]
        own = [t for t in graph if not self._is_shared_fact(t)]
        self.store.replace_graph(graph_iri, own, add_to=(self.iris.registry(), shared))
        self.store.flush()
        return IngestReport(
            path=parsed.source.path,
            document_id=document_id(parsed.source.path),
            kind=parsed.kind,
            graph=graph_iri,
            triples=len(graph),
            warnings=parsed.warnings,
            replaced=replaced,
        )

    def _is_shared_fact(self, triple: tuple[rdflib.term.Node, ...]) -> bool:
        """About a shared thing, and not pointing into this document (a meeting handling
        this agenda item is this document's fact)."""
        subject, obj = str(triple[0]), triple[2]
        points_in = (
            isinstance(obj, rdflib.URIRef)
            and str(obj).startswith(self.iris.base)
            and not self.iris.is_shared(str(obj))
        )
        return self.iris.is_shared(subject) and not points_in

    def relink(self, changed: Iterable[DocumentScope] | None = None) -> list[str]:
        """Rebuild what is derived from several documents: the links between agenda items and
        follow-ups (and the inconsistencies found), the projects' partners, and a registry
        without things no document names any more. Only what ``changed`` documents can
        affect is rebuilt; without ``changed``, everything. Returns the inconsistencies of the
        agenda items relinked."""
        if self.store.read_only:
            return []
        interrupted = self._pending.is_set()
        self._pending.set()
        warnings = self._relink(None if interrupted else changed, self._document_scopes())
        self._pending.clear()
        return warnings

    def _relink(
        self, changed: Iterable[DocumentScope] | None, documents: Mapping[str, DocumentScope]
    ) -> list[str]:
        if changed is None:
            for old in self.store.graphs():
                if old.startswith(self.iris.derived()):
                    self.store.drop_graph(old)
        self.store.update(prune_registry_update(self.iris.registry(), self.iris.derived()))
        graphs, warnings = self._derive(plan(documents.values(), changed))
        for graph_iri, graph in graphs.items():
            self.store.replace_graph(graph_iri, graph)
        self._forget_indexes()
        return warnings

    def _derive(self, todo: RelinkPlan) -> tuple[dict[str, rdflib.Graph], list[str]]:
        """The derived graphs ``todo`` names, as the stored documents give them now, and the
        inconsistencies found; nothing is written."""
        graphs: dict[str, rdflib.Graph] = {}
        for municipality in todo.municipalities:
            partners = rdflib.Graph()
            for row in self.named("project_partners", municipality=municipality).rows:
                partners.add(
                    (
                        rdflib.URIRef(str(row["project"])),
                        rdflib.PROV.wasAssociatedWith,
                        rdflib.URIRef(str(row["organisation"])),
                    )
                )
            graphs[self.iris.derived("partners", slug(municipality.rsplit("/", 1)[-1]))] = partners
        warnings = []
        for item in todo.agenda_items:
            statements = self.named("summary_statements", document=item.document).rows
            candidates = self.named("goals", municipality=item.municipality, year=item.year).rows
            graph_iri = self.iris.derived("links", item.doc_id)
            links = build_links(statements, candidates, graph_iri)
            graphs[graph_iri] = links.graph
            warnings += links.warnings
        return graphs, warnings

    def _document_scopes(self) -> dict[str, DocumentScope]:
        """Each stored document's scope (municipality, year), by its graph."""
        return {str(r["graph"]): DocumentScope.from_row(r) for r in self.named("documents").rows}

    def remove(self, doc_id: str) -> bool:
        """Remove one document's graph; True if it was there."""
        graph_iri = self.iris.graph(doc_id)
        if self.store.graph_size(graph_iri) == 0:
            return False
        scope = self._document_scopes().get(graph_iri)
        interrupted = self._pending.is_set()
        self._pending.set()
        self.store.drop_graph(graph_iri)
        self.store.drop_graph(self.iris.derived("links", doc_id))
        self._relink(None if interrupted or not scope else [scope], self._document_scopes())
        self._pending.clear()
        return True

    # ------------------------------------------------------------------ querying

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None) -> QueryResult:
        """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over all graphs.

        ``bindings`` maps variable names to rdflib terms (or strings, taken as literals).
        """
        terms = {k: binding_term(v) for k, v in (bindings or {}).items()}
        return self.store.query(inject_values(sparql, terms))

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update, all of it or nothing. Documents are better replaced with
        :meth:`ingest`; this is for the endpoint's update operation and for repairs."""
        if self.store.read_only:
            raise StoreError(N_("this store is read-only; open it writable to update it"))
        self.store.update(sparql, base_iri)
        self.store.flush()
        self._forget_indexes()

    def named(self, name: str, **params: object) -> QueryResult:
        """Run a named query from ``queries/`` with parameters bound as RDF terms."""
        return self.store.query(get_query(name).render(params))

    @staticmethod
    def named_queries() -> list[str]:
        return sorted(load_queries())

    @property
    def entity_index(self) -> EntityIndex:
        """The names of partners, units, projects, plans, areas and committees, for linking."""
        index = self._entity_index
        if index is None:
            with self._building:
                if (index := self._entity_index) is None:
                    from .question.linking import EntityIndex

                    index = self._entity_index = EntityIndex(
                        lambda: self.named("names").rows,
                        lambda **values: self.named("entities_named", **values).rows,
                    )
        return index

    def _forget_indexes(self) -> None:
        """After a change: the name and topic indexes describe the old content."""
        self._answerer = None
        self._entity_index = None
        self.generation += 1

    def ask(self, question: str) -> Answer:
        """Answer a Danish question with rows, a sentence and the source paragraphs.

        Safe to call from several threads at once. The question is normalised first
        (:func:`maalgraph.text.normalize`): invisible characters and decomposed letters
        do not change its meaning."""
        return self.answerer.ask(normalize(question))

    @property
    def answerer(self) -> QuestionAnswerer:
        """The question layer of this graph (built on first use; it reads its lexicon then)."""
        answerer = self._answerer  # one reference: an update may reset the attribute meanwhile
        if answerer is None:
            with self._building:
                if (answerer := self._answerer) is None:
                    from .question import QuestionAnswerer

                    answerer = self._answerer = QuestionAnswerer(self)
        return answerer

    def stats(self) -> dict[str, int]:
        return {str(r["metric"]): int(str(r["count"])) for r in self.named("stats").rows}

    def documents(self) -> list[dict[str, object]]:
        """The stored documents, by file name."""
        return sorted(self.named("documents").rows, key=lambda r: str(r["fileName"]))  # type: ignore[arg-type]

    def inconsistencies(self) -> list[str]:
        """What linking found between agenda summaries and follow-ups, sorted."""
        return sorted(str(r["text"]) for r in self.named("inconsistencies").rows)

    def validate(self, shapes: rdflib.Graph | None = None) -> list[Conformance]:
        """Check every document graph against the SHACL shapes, and that every derived
        graph says what the documents give now (a stale one is reported as not conforming)."""
        from .validation import check

        skip = {self.iris("graph", "ontology"), self.iris.registry(), self._pending.graph}
        registry = self.store.graph_as_rdflib(self.iris.registry())
        results = [
            check(self.store.graph_as_rdflib(g) + registry, g, shapes)
            for g in self.store.graphs()
            if g not in skip and not g.startswith(self.iris.derived())
        ]
        return results + self._stale_derivations()

    def _stale_derivations(self) -> list[Conformance]:
        from .validation import Conformance

        out = []
        if self._pending.is_set():
            out.append(Conformance(self._pending.graph, False, 1, _INTERRUPTED))
        expected, _ = self._derive(plan(self._document_scopes().values(), None))
        stored = {g: self.store.graph_as_rdflib(g) for g in self.store.graphs()
                  if g.startswith(self.iris.derived())}  # fmt: skip
        for graph, missing, unsupported in stale_graphs(expected, stored):
            report = _STALE.format(missing=missing, unsupported=unsupported)
            out.append(Conformance(graph, False, missing + unsupported, report))
        return out

    def export(self, fmt: str = "trig") -> bytes:
        """Serialise the whole store: ttl, trig, nq, nt or jsonld."""
        if fmt == "jsonld":
            dataset = rdflib.Dataset()
            data = self.store.dump("nq")
            dataset.parse(data=data.decode("utf-8"), format="nquads")
            for prefix, ns in PREFIXES.items():
                dataset.bind(prefix, ns)
            return dataset.serialize(format="json-ld", indent=2).encode("utf-8")
        if fmt not in EXPORT_FORMATS:
            raise QueryError(
                N_("unknown export format {format!r}; use one of ttl, trig, nq, nt, jsonld"),
                format=fmt,
            )
        return self.store.dump(fmt, prefixes=PREFIXES)

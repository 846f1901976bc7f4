"""The Python API: :class:`MaalGraph` opens a store, ingests documents and answers queries."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import rdflib
from rdflib.namespace import PROV

from .analysis.methods import NetworkAnalysis
from .backend import Store
from .errors import QueryError, StoreError, ValidationError
from .ingest import Extractor, ParsedDocument, parse_document
from .ingest.gazetteer import Gazetteer
from .ingest.reading import DEFAULT_MAX_BYTES
from .links import DocumentScope, build_links, plan, prune_registry_update
from .namespaces import DEFAULT_BASE, PREFIXES, IriMinter, slug
from .queries import get_query, inject_values, load_queries
from .question import Answer, QuestionAnswerer
from .question.linking import EntityIndex
from .remote import RemoteStore
from .resources import corpus_files
from .results import QueryResult
from .store import EXPORT_FORMATS, OxigraphStore
from .triples import GraphBuilder, document_id
from .validation import Conformance, check, ontology

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
        self.generation = (
            0  # counts changes: whatever is cached from the content is stale when it moves
        )
        if not store.read_only:
            self._install_ontology()

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
        return cls(OxigraphStore(path, read_only=read_only), base_iri=base, gazetteer=gazetteer)

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
        read-only. The server must show the union of its named graphs as its default graph."""
        store = RemoteStore(
            query_url, update_url, token=token, user=user, password=password, timeout=timeout
        )
        base = base_iri or os.environ.get("MAALGRAPH_BASE") or DEFAULT_BASE
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
        """The bundled example corpus in memory, read-only unless ``writable``."""
        kg = cls.memory(base_iri=base_iri, gazetteer=gazetteer)
        kg.ingest_many(corpus_files())
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
        if self._extractor is None:
            path = self._gazetteer_path or os.environ.get("MAALGRAPH_GAZETTEER")
            self._extractor = Extractor(Gazetteer.load(path))
        return self._extractor

    def _install_ontology(self) -> None:
        graph = self.iris("graph", "ontology")
        onto = ontology()
        if self.store.graph_size(graph) != len(onto):
            self.store.replace_graph(graph, onto)

    # ------------------------------------------------------------------ ingesting

    def parse(self, path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
        """Parse and extract a document without storing it."""
        return parse_document(path, self.extractor, max_bytes=max_bytes)

    def build(self, parsed: ParsedDocument) -> rdflib.Graph:
        """The RDF graph of a parsed document."""
        return GraphBuilder(self.iris, self.extractor.gazetteer).document(parsed)

    def ingest(self, path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestReport:
        """Ingest one document into its own named graph, replacing an earlier version.

        All of the document is stored, or (on any error) none of it.
        """
        return self.ingest_many([path], max_bytes=max_bytes)[0]

    def ingest_many(
        self,
        paths: Iterable[str | Path],
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        on_done: Callable[[Path, IngestReport | Exception], None] | None = None,
    ) -> list[IngestReport]:
        """Ingest several documents; a failing one is reported to ``on_done`` (or raised)
        and leaves the others stored. Links between documents are rebuilt once at the end;
        :meth:`inconsistencies` tells what the linking found."""
        before = self._document_scopes()
        reports = []
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
        if reports and not self.store.read_only:
            written = {r.graph for r in reports}
            after = self._document_scopes()
            # a replaced document may have moved (another municipality or year): both count
            changed = [s for g, s in after.items() if g in written] + [
                s for g, s in before.items() if g in written
            ]
            self._relink(changed, after)
            if len(reports) >= COMPACT_AFTER:
                self.store.optimize()
        return reports

    def _ingest_one(self, path: str | Path, max_bytes: int) -> IngestReport:
        if self.store.read_only:
            raise StoreError(
                "the example corpus is read-only; ingest into a persistent store with "
                "--store PATH (or MAALGRAPH_STORE)"
            )
        parsed = self.parse(path, max_bytes=max_bytes)
        graph = self.build(parsed)
        graph_iri = self.iris.graph(document_id(parsed.source.path))
        conformance = check(graph, graph_iri)
        if not conformance.conforms:
            raise ValidationError(
                f"{parsed.source.path}: the extracted graph violates {conformance.violations} "
                "SHACL constraints; nothing was stored (details in the report)",
                conformance.report,
            )
        replaced = graph_iri in self.store.graphs()
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
        return self._relink(changed, self._document_scopes())

    def _relink(
        self, changed: Iterable[DocumentScope] | None, documents: Mapping[str, DocumentScope]
    ) -> list[str]:
        if changed is None:
            for graph in self.store.graphs():
                if graph.startswith(self.iris.derived()):
                    self.store.drop_graph(graph)
        self.store.update(prune_registry_update(self.iris.registry(), self.iris.derived()))
        todo = plan(documents.values(), changed)
        for municipality in todo.municipalities:
            partners = rdflib.Graph()
            for row in self.named("project_partners", municipality=municipality).rows:
                partners.add(
                    (
                        rdflib.URIRef(str(row["project"])),
                        PROV.wasAssociatedWith,
                        rdflib.URIRef(str(row["organisation"])),
                    )
                )
            self.store.replace_graph(
                self.iris.derived("partners", slug(municipality.rsplit("/", 1)[-1])), partners
            )
        warnings = []
        for item in todo.agenda_items:
            statements = self.named("summary_statements", document=item.document).rows
            candidates = self.named("goals", municipality=item.municipality, year=item.year).rows
            graph_iri = self.iris.derived("links", item.doc_id)
            links = build_links(statements, candidates, graph_iri)
            self.store.replace_graph(graph_iri, links.graph)
            warnings += links.warnings
        self._forget_indexes()
        return warnings

    def _document_scopes(self) -> dict[str, DocumentScope]:
        """Each stored document's scope (municipality, year), by its graph."""
        return {str(r["graph"]): DocumentScope.from_row(r) for r in self.named("documents").rows}

    def remove(self, doc_id: str) -> bool:
        """Remove one document's graph; True if it was there."""
        graph_iri = self.iris.graph(doc_id)
        if graph_iri not in self.store.graphs():
            return False
        scope = self._document_scopes().get(graph_iri)
        self.store.drop_graph(graph_iri)
        self.store.drop_graph(self.iris.derived("links", doc_id))
        self.relink([scope] if scope else None)
        return True

    # ------------------------------------------------------------------ querying

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None) -> QueryResult:
        """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over all graphs.

        ``bindings`` maps variable names to rdflib terms (or strings, taken as literals).
        """
        terms = {k: v if isinstance(v, rdflib.term.Node) else rdflib.Literal(str(v))
                 for k, v in (bindings or {}).items()}  # fmt: skip
        return self.store.query(inject_values(sparql, terms))

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update, all of it or nothing. Documents are better replaced with
        :meth:`ingest`; this is for the endpoint's update operation and for repairs."""
        if self.store.read_only:
            raise StoreError("this store is read-only; open it writable to update it")
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
        if self._entity_index is None:
            self._entity_index = EntityIndex(self.named("labels").rows)  # type: ignore[arg-type]
        return self._entity_index

    def _forget_indexes(self) -> None:
        """After a change: the name and topic indexes describe the old content."""
        self._answerer = None
        self._entity_index = None
        self.generation += 1

    def ask(self, question: str) -> Answer:
        """Answer a Danish question with rows, a sentence and the source paragraphs."""
        if self._answerer is None:
            self._answerer = QuestionAnswerer(self)
        return self._answerer.ask(question)

    def stats(self) -> dict[str, int]:
        return {str(r["metric"]): int(str(r["count"])) for r in self.named("stats").rows}

    def documents(self) -> list[dict[str, object]]:
        """The stored documents, by file name."""
        return sorted(self.named("documents").rows, key=lambda r: str(r["fileName"]))  # type: ignore[arg-type]

    def inconsistencies(self) -> list[str]:
        """What linking found between agenda summaries and follow-ups, sorted."""
        return sorted(str(r["text"]) for r in self.named("inconsistencies").rows)

    def validate(self, shapes: rdflib.Graph | None = None) -> list[Conformance]:
        """Check every document graph against the SHACL shapes."""
        skip = {self.iris("graph", "ontology"), self.iris.registry()}
        registry = self.store.graph_as_rdflib(self.iris.registry())
        return [
            check(self.store.graph_as_rdflib(g) + registry, g, shapes)
            for g in self.store.graphs()
            if g not in skip and not g.startswith(self.iris.derived())
        ]

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
            raise QueryError(f"unknown export format {fmt!r}; use one of ttl, trig, nq, nt, jsonld")
        return self.store.dump(fmt)

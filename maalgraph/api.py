"""The Python API: :class:`MaalGraph` opens a store, ingests documents and answers queries."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from .analysis.methods import NetworkAnalysis
from .backend import Store
from .errors import QueryError, StoreError
from .i18n import N_
from .namespaces import DEFAULT_BASE, PREFIXES, IriMinter, slug
from .pending import PendingMark
from .queries import get_query, inject_values, load_queries
from .resources import corpus_files
from .results import QueryResult
from .store import EXPORT_FORMATS, OxigraphStore
from .terms import binding_term
from .text import normalize

if TYPE_CHECKING:  # the reader, the question layer and SHACL load spaCy/pySHACL, the links
    # rdflib: when used (a question on a stored graph needs none of them)
    import rdflib

    from .ingest import Extractor, ParsedDocument
    from .links import Batch, DocumentScope, LinkInputs, RelinkPlan, Row
    from .pipeline import Prepared
    from .question import Answer, QuestionAnswerer
    from .question.linking import EntityIndex
    from .triples import DocumentQuads, QuadBuilder
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
        self._builder: QuadBuilder | None = None
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
        """The RDF graph of a parsed document (an rdflib view of :meth:`build_quads`)."""
        return self.build_quads(parsed).to_rdflib()

    def build_quads(self, parsed: ParsedDocument) -> DocumentQuads:
        """The quads of a parsed document as the store takes them: its own facts in its named
        graph, the facts about shared things in the registry graph."""
        return self._quad_builder.document(parsed)

    @property
    def _quad_builder(self) -> QuadBuilder:
        builder = self._builder
        if builder is None:
            from .triples import QuadBuilder

            builder = self._builder = QuadBuilder(self.iris, self.extractor.gazetteer)
        return builder

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
        workers: int | None = 0,
    ) -> list[IngestReport]:
        """Ingest several documents; a failing one is reported to ``on_done`` (or raised)
        and leaves the others stored. Each document is written in one transaction, in the
        order given. Links between documents are rebuilt once at the end;
        :meth:`inconsistencies` tells what the linking found.

        ``workers`` processes read the documents (parsing and extraction) while this one
        writes: 0 (the default) reads them here, ``None`` one per core when there are many
        files. Worker processes start as :mod:`multiprocessing` starts them (forkserver): a
        script that uses them must guard its top level with ``if __name__ == "__main__":``,
        as for any multiprocessing code (``maalgraph ingest`` does this for you)."""
        from .ingest.reading import DEFAULT_MAX_BYTES

        files = [Path(p) for p in paths]
        limit = max_bytes or DEFAULT_MAX_BYTES
        if workers is None:
            from .pipeline import default_workers

            workers = default_workers(len(files))
        before = self._document_scopes()
        writable = not self.store.read_only
        interrupted = writable and self._pending.is_set()  # an earlier change never finished
        if writable:
            self._pending.set()
        reports: list[IngestReport] = []
        known: dict[str, LinkInputs] = {}  # what relinking reads of each document written
        prepared = self._prepared(files, limit, workers)
        try:
            for path, document in prepared:
                outcome: IngestReport | Exception = document  # type: ignore[assignment]
                if not isinstance(document, Exception):
                    try:
                        outcome = self._write(document)
                        if document.links is not None:
                            known[document.graph] = document.links
                    except Exception as exc:
                        outcome = exc
                if isinstance(outcome, Exception):
                    if on_done is None:
                        raise outcome
                    on_done(path, outcome)
                    continue
                reports.append(outcome)
                if on_done is not None:
                    on_done(path, outcome)
        finally:
            prepared.close()  # stops the worker processes when a document's error ends it early
            # also when a document failed: those written before it are relinked
            if writable and (reports or interrupted):
                written = {r.graph for r in reports}
                after = self._document_scopes()
                # a replaced document may have moved (another municipality or year): both count
                changed = [s for g, s in after.items() if g in written] + [
                    s for g, s in before.items() if g in written
                ]
                added = frozenset(r.graph for r in reports if not r.replaced)
                # (the store is read where a document came without what relinking reads)
                from .links import Batch

                batch = Batch(known, added) if set(known) == written else None
                self._relink(None if interrupted else changed, after, batch)
                if len(reports) >= COMPACT_AFTER:
                    self.store.optimize()
            if writable:
                self._pending.clear()  # flushes: every document is on disk from here
        return reports

    def _prepared(
        self, paths: list[Path], max_bytes: int, workers: int
    ) -> Generator[tuple[Path, Prepared | Exception]]:
        """Each path with its document read, built and checked (or its error), in order."""
        if self.store.read_only:
            error = StoreError(
                N_(
                    "the example corpus is read-only; ingest into a persistent store with "
                    "--store PATH (or MAALGRAPH_STORE)"
                )
            )
            yield from ((path, error) for path in paths)
            return
        if workers > 0:
            from .pipeline import Settings, prepare_many

            gazetteer = self._gazetteer_path or os.environ.get("MAALGRAPH_GAZETTEER")
            settings = Settings(self.iris.base, str(gazetteer) if gazetteer else None, max_bytes)
            yield from prepare_many(paths, settings, workers)
            return
        from .pipeline import Pipeline
        from .shapes import ShapeCheck

        pipeline = Pipeline(self.extractor, self._quad_builder, ShapeCheck.load())
        for path in paths:
            try:
                prepared: Prepared | Exception = pipeline.prepare(path, max_bytes)
            except Exception as exc:
                prepared = exc
            yield path, prepared

    def _write(self, doc: Prepared) -> IngestReport:
        """One document in one transaction: its graph replaced, its shared facts added."""
        replaced = self.store.write_document(doc.graph, doc.nquads)
        return IngestReport(
            path=doc.path, document_id=doc.document_id, kind=doc.kind, graph=doc.graph,
            triples=doc.triples, warnings=doc.warnings, replaced=replaced,
        )  # fmt: skip

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
        self,
        changed: Iterable[DocumentScope] | None,
        documents: Mapping[str, DocumentScope],
        batch: Batch | None = None,
    ) -> list[str]:
        from .links import plan, prune_registry_update

        if changed is None:
            batch = None  # a full rebuild reads the store
            for old in self.store.graphs():
                if old.startswith(self.iris.derived()):
                    self.store.drop_graph(old)
        self.store.update(prune_registry_update(self.iris.registry(), self.iris.derived()))
        graphs, warnings = self._derive(plan(documents.values(), changed), documents, batch)
        for graph_iri, graph in graphs.items():
            self.store.replace_graph(graph_iri, graph)
        self._forget_indexes()
        return warnings

    def _derive(
        self,
        todo: RelinkPlan,
        documents: Mapping[str, DocumentScope],
        batch: Batch | None = None,
    ) -> tuple[dict[str, rdflib.Graph], list[str]]:
        """The derived graphs ``todo`` names, as the stored documents give them now, and the
        inconsistencies found; nothing is written. What a ``batch`` just written tells is
        read from it instead of the store: an agenda item's statements, the goals of its
        candidate reports when all of them are in the batch, and a municipality's partners
        when the batch only added documents (the stored graph and the batch's pairs)."""
        import rdflib

        from .links import build_links

        graphs: dict[str, rdflib.Graph] = {}
        for municipality in todo.municipalities:
            graph_iri = self.iris.derived("partners", slug(municipality.rsplit("/", 1)[-1]))
            if batch is not None and batch.only_added:
                pairs = {(str(s), str(o)) for s, _, o in self.store.graph_as_rdflib(graph_iri)}
                for inputs in batch.known.values():
                    pairs |= inputs.partners.get(municipality, set())
            else:
                pairs = {(str(r["project"]), str(r["organisation"]))
                         for r in self.named("project_partners", municipality=municipality).rows}  # fmt: skip
            partners = rdflib.Graph()
            for project, organisation in pairs:
                partners.add(
                    (rdflib.URIRef(project), rdflib.PROV.wasAssociatedWith, rdflib.URIRef(organisation))
                )  # fmt: skip
            graphs[graph_iri] = partners
        warnings = []
        for item in todo.agenda_items:
            known = batch.known if batch is not None else {}
            statements: Sequence[Row]
            candidates: Sequence[Row]
            if item.graph in known:
                statements = known[item.graph].statements
            else:
                statements = self.named("summary_statements", document=item.document).rows
            reports = [d.graph for d in documents.values()
                       if d.kind == "follow-up" and item.could_approve(d)]  # fmt: skip
            if all(r in known for r in reports):
                candidates = [
                    g for r in reports for g in known[r].goals_of(item.municipality, item.year)
                ]
            else:
                candidates = self.named(
                    "goals", municipality=item.municipality, year=item.year
                ).rows
            graph_iri = self.iris.derived("links", item.doc_id)
            links = build_links(statements, candidates, graph_iri)
            graphs[graph_iri] = links.graph
            warnings += links.warnings
        return graphs, warnings

    def _document_scopes(self) -> dict[str, DocumentScope]:
        """Each stored document's scope (municipality, year), by its graph."""
        from .links import DocumentScope

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
        from .links import plan, stale_graphs
        from .validation import Conformance

        out = []
        if self._pending.is_set():
            out.append(Conformance(self._pending.graph, False, 1, _INTERRUPTED))
        documents = self._document_scopes()
        expected, _ = self._derive(plan(documents.values(), None), documents)
        stored = {g: self.store.graph_as_rdflib(g) for g in self.store.graphs()
                  if g.startswith(self.iris.derived())}  # fmt: skip
        for graph, missing, unsupported in stale_graphs(expected, stored):
            report = _STALE.format(missing=missing, unsupported=unsupported)
            out.append(Conformance(graph, False, missing + unsupported, report))
        return out

    def export(self, fmt: str = "trig") -> bytes:
        """Serialise the whole store: ttl, trig, nq, nt or jsonld."""
        if fmt == "jsonld":
            import rdflib

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

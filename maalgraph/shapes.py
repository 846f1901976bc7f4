"""SHACL shapes checked over one document's quads in milliseconds, as the ingest needs.

pySHACL (:mod:`maalgraph.validation`) copies the document and the ontology into a new rdflib
graph and walks it through rdflib: about 0.3 s per follow-up, most of an ingest. This module
compiles ``ontology/shapes.ttl`` once into :class:`Shape` objects and evaluates them over an
index of the document's pyoxigraph quads layered on an index of the ontology (the data graph
pySHACL sees: document + ontology). It implements the SHACL Core constraints the shapes use
and their close kin; a shape with any other constraint is refused when it is compiled, so
the fast check never passes a graph because it skipped a rule. pySHACL stays the reference:
``maalgraph validate`` uses it, and the tests check that both give the same conformance and
the same number of results on every test document and on broken graphs.

>>> check = ShapeCheck.load()
>>> doc = ox.NamedNode("https://w3id.org/maalgraph/id/doc/x")
>>> report = check.check([ox.Quad(doc, RDF_TYPE, ox.NamedNode(MAAL + "SourceDocument"))])
>>> report.conforms, report.violations
(False, 3)
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from .resources import ontology_dir

SH = "http://www.w3.org/ns/shacl#"
MAAL = "https://w3id.org/maalgraph/def#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = ox.NamedNode(RDF + "type")
SUBCLASS_OF = ox.NamedNode(RDFS + "subClassOf")
VIOLATION = SH + "Violation"

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Fact = ox.Quad | ox.Triple | tuple[Term, ox.NamedNode, Term]  # what a check reads

# what a lexical form must look like for a literal of the type to be well formed (as rdflib
# tells ill-typed literals, which pySHACL reports under sh:datatype)
_LEXICAL: dict[str, Callable[[str], bool]] = {
    XSD + "string": lambda _: True,
    XSD + "anyURI": lambda _: True,
    XSD + "integer": re.compile(r"[+-]?[0-9]+").fullmatch,  # type: ignore[dict-item]
    XSD + "decimal": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)").fullmatch,  # type: ignore[dict-item]
    XSD + "boolean": re.compile(r"true|false|1|0").fullmatch,  # type: ignore[dict-item]
    XSD + "gYear": re.compile(r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?").fullmatch,  # type: ignore[dict-item]
}


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text))


def _is_datetime(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in text


def _is_double(text: str) -> bool:
    if text in ("INF", "-INF", "+INF", "NaN"):
        return True
    return bool(re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?", text))


_LEXICAL.update({XSD + "date": _is_date, XSD + "dateTime": _is_datetime,
                 XSD + "double": _is_double, XSD + "float": _is_double})  # fmt: skip
_NUMERIC = {XSD + t for t in ("integer", "decimal", "int", "long", "short", "byte",
                              "nonNegativeInteger", "positiveInteger", "negativeInteger",
                              "nonPositiveInteger", "double", "float")}  # fmt: skip


def _comparable(term: Term) -> tuple[str, object] | None:
    """A literal's value for sh:min/maxInclusive/Exclusive: numbers with numbers, dates with
    dates; anything else cannot be compared (a violation, as in pySHACL)."""
    if not isinstance(term, ox.Literal):
        return None
    datatype = term.datatype.value
    try:
        if datatype in _NUMERIC:
            return ("number", Decimal(term.value))
        if datatype == XSD + "date" and _is_date(term.value):
            return ("date", dt.date.fromisoformat(term.value))
    except (InvalidOperation, ValueError):
        return None
    return None


# ---------------------------------------------------------------------- the data graph


class Data:
    """The data graph of one check: an index of the document's quads (graph names dropped),
    over the ontology's index when given."""

    def __init__(self, facts: Iterable[Fact], under: Data | None = None):
        self.under = under
        self.out: dict[Term, dict[ox.NamedNode, list[Term]]] = {}
        self.types: dict[Term, set[Term]] = defaultdict(set)
        subclass = False
        for fact in facts:
            if isinstance(fact, tuple):
                s, p, o = fact
            else:
                s, p, o = fact.subject, fact.predicate, fact.object
            by_predicate = self.out.get(s)
            if by_predicate is None:
                by_predicate = self.out[s] = {}
            values = by_predicate.get(p)
            if values is None:
                by_predicate[p] = [o]
            elif o not in values:
                values.append(o)
            if p == RDF_TYPE:
                self.types[o].add(s)
            elif p == SUBCLASS_OF:
                subclass = True
        self._inverse: dict[ox.NamedNode, dict[Term, list[Term]]] = {}
        self._subclasses: dict[Term, set[Term]] | None = (
            None if subclass or under is None else under._subclass_index()
        )

    def objects(self, s: Term, p: ox.NamedNode) -> list[Term]:
        own = self.out.get(s, {}).get(p, [])
        if self.under is None:
            return own
        below = self.under.objects(s, p)
        if not below:
            return own
        return own + [o for o in below if o not in own] if own else below

    def subjects(self, p: ox.NamedNode, o: Term) -> list[Term]:
        inverse = self._inverse.get(p)
        if inverse is None:
            inverse = self._inverse[p] = defaultdict(list)
            for s, by_predicate in self.out.items():
                for value in by_predicate.get(p, ()):
                    inverse[value].append(s)
        own = inverse.get(o, [])
        if self.under is None:
            return own
        below = self.under.subjects(p, o)
        return own + [s for s in below if s not in own] if below else own

    def _subclass_index(self) -> dict[Term, set[Term]]:
        """Each class with itself and every class below it (rdfs:subClassOf*)."""
        if self._subclasses is not None:
            return self._subclasses
        direct: dict[Term, set[Term]] = defaultdict(set)
        data: Data | None = self
        while data is not None:
            for s, by_predicate in data.out.items():
                for parent in by_predicate.get(SUBCLASS_OF, ()):
                    direct[parent].add(s)
            data = data.under
        closure: dict[Term, set[Term]] = {}
        for cls in list(direct):
            seen, todo = {cls}, [cls]
            while todo:
                for sub in direct.get(todo.pop(), ()):
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
            closure[cls] = seen
        self._subclasses = closure
        return closure

    def instances(self, cls: Term) -> set[Term]:
        """The nodes of type ``cls`` or of a class below it."""
        out: set[Term] = set()
        for c in self._subclass_index().get(cls, {cls}):
            data: Data | None = self
            while data is not None:
                out |= data.types.get(c, set())
                data = data.under
        return out

    def is_instance(self, node: Term, cls: Term) -> bool:
        classes = self._subclass_index().get(cls, {cls})
        if isinstance(node, ox.Literal):
            return False
        return any(t in classes for t in self.objects(node, RDF_TYPE))


# ---------------------------------------------------------------------- shapes


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL counts them."""

    focus: Term
    path: str | None
    component: str  # the constraint component's local name, e.g. "MinCountConstraintComponent"
    value: Term | None
    severity: str = VIOLATION

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f": {self.value}" if self.value is not None else ""
        return f"{self.component} på {self.focus}{where}{value}"


Check = Callable[["Shape", Data, Term, list[Term]], list[Result]]


@dataclass
class Shape:
    """A node shape, or a property shape when ``path`` is set (an IRI, inverse when
    ``inverse``)."""

    name: str
    path: ox.NamedNode | None = None
    inverse: bool = False
    severity: str = VIOLATION
    target_classes: list[Term] = field(default_factory=list)
    target_nodes: list[Term] = field(default_factory=list)
    target_subjects_of: list[ox.NamedNode] = field(default_factory=list)
    target_objects_of: list[ox.NamedNode] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    deactivated: bool = False

    @property
    def path_text(self) -> str | None:
        if self.path is None:
            return None
        return f"^{self.path}" if self.inverse else str(self.path)

    def values(self, data: Data, focus: Term) -> list[Term]:
        if self.path is None:
            return [focus]
        if self.inverse:
            return data.subjects(self.path, focus)
        return data.objects(focus, self.path)

    def focus_nodes(self, data: Data) -> set[Term]:
        nodes: set[Term] = set(self.target_nodes)
        for cls in self.target_classes:
            nodes |= data.instances(cls)
        for p in self.target_subjects_of:
            nodes |= {s for s, by_p in _all_out(data) if p in by_p}
        for p in self.target_objects_of:
            nodes |= {o for _, by_p in _all_out(data) for o in by_p.get(p, ())}
        return nodes

    def validate(self, data: Data, focus: Term) -> list[Result]:
        if self.deactivated:
            return []
        values = self.values(data, focus)
        results: list[Result] = []
        for check in self.checks:
            results += check(self, data, focus, values)
        for prop in self.properties:
            for value in values:
                results += prop.validate(data, value)
        return results

    def conforms(self, data: Data, node: Term) -> bool:
        return not self.validate(data, node)

    def result(self, focus: Term, component: str, value: Term | None) -> Result:
        return Result(focus, self.path_text, component, value, self.severity)


def _all_out(data: Data) -> Iterable[tuple[Term, dict[ox.NamedNode, list[Term]]]]:
    layer: Data | None = data
    while layer is not None:
        yield from layer.out.items()
        layer = layer.under


# ---------------------------------------------------------------------- constraint components


def _per_value(component: str, ok: Callable[[Data, Term], bool]) -> Check:
    def check(shape: Shape, data: Data, focus: Term, values: list[Term]) -> list[Result]:
        return [shape.result(focus, component, v) for v in values if not ok(data, v)]

    return check


def _count(component: str, ok: Callable[[int], bool]) -> Check:
    def check(shape: Shape, data: Data, focus: Term, values: list[Term]) -> list[Result]:
        return [] if ok(len(values)) else [shape.result(focus, component, None)]

    return check


def _lexical_ok(datatype: str) -> Callable[[str], bool]:
    if datatype not in _LEXICAL:
        raise ShapeError(
            f"sh:datatype <{datatype}>: the fast check does not know its lexical forms; add "
            "them to maalgraph.shapes._LEXICAL"
        )
    return _LEXICAL[datatype]


def _datatype(datatype: Term) -> Callable[[Data, Term], bool]:
    lexical = _lexical_ok(_value(datatype))

    def ok(_: Data, v: Term) -> bool:
        return isinstance(v, ox.Literal) and v.datatype == datatype and lexical(v.value)

    return ok


_NODE_KINDS: dict[str, tuple[type, ...]] = {
    SH + "IRI": (ox.NamedNode,),
    SH + "BlankNode": (ox.BlankNode,),
    SH + "Literal": (ox.Literal,),
    SH + "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode),
    SH + "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
    SH + "IRIOrLiteral": (ox.NamedNode, ox.Literal),
}


def _compare(bound: Term, accept: Callable[[int], bool]) -> Callable[[Data, Term], bool]:
    limit = _comparable(bound)
    if limit is None:
        raise ShapeError(f"{bound}: the fast check compares numbers and dates only")

    def ok(_: Data, v: Term) -> bool:
        value = _comparable(v)
        if value is None or value[0] != limit[0]:
            return False
        a, b = value[1], limit[1]
        return accept((a > b) - (a < b))  # type: ignore[operator]

    return ok


def _value(term: Term) -> str:
    """A shape parameter's IRI or lexical form."""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    raise ShapeError(f"{term}: expected an IRI or a literal as a shape parameter")


def _text_of(v: Term) -> str | None:
    return v.value if isinstance(v, (ox.NamedNode, ox.Literal)) else None


def _length(accept: Callable[[int], bool]) -> Callable[[Data, Term], bool]:
    def ok(_: Data, v: Term) -> bool:
        text = _text_of(v)
        return text is not None and accept(len(text))

    return ok


def _pattern(pattern: str, flags: str) -> Callable[[Data, Term], bool]:
    regex = re.compile(pattern, sum(getattr(re, f.upper()) for f in flags if f in "imsx"))

    def ok(_: Data, v: Term) -> bool:
        text = _text_of(v)
        return text is not None and regex.search(text) is not None

    return ok


def _pair(component: str, other: Term, same: bool) -> Check:
    """sh:equals (``same``) and sh:disjoint against another property of the focus node."""
    if not isinstance(other, ox.NamedNode):
        raise ShapeError(f"sh:equals and sh:disjoint take a property IRI, not {other}")

    def check(shape: Shape, data: Data, focus: Term, values: list[Term]) -> list[Result]:
        theirs = data.objects(focus, other)
        if same:
            odd = [v for v in values if v not in theirs] + [v for v in theirs if v not in values]
        else:
            odd = [v for v in values if v in theirs]
        return [shape.result(focus, component, v) for v in odd]

    return check


# ---------------------------------------------------------------------- compiling


class ShapeError(ValueError):
    """A shape uses SHACL the fast check does not implement (see :mod:`maalgraph.shapes`)."""


# sh: terms that describe or label a shape without constraining anything
_DESCRIPTIVE = {SH + n for n in ("name", "description", "message", "order", "group",
                                 "defaultValue")} | {RDF + "type", RDFS + "label", RDFS + "comment"}  # fmt: skip


class _Compiler:
    def __init__(self, triples: Sequence[ox.Triple]):
        self.out: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.out[t.subject][t.predicate.value].append(t.object)
        self.compiled: dict[Term, Shape] = {}

    def one(self, node: Term, key: str) -> Term:
        values = self.out[node][key]
        if len(values) != 1:
            raise ShapeError(f"{node}: expected one {key}, found {len(values)}")
        return values[0]

    def items(self, node: Term) -> list[Term]:
        out = []
        while node != ox.NamedNode(RDF + "nil"):
            out.append(self.one(node, RDF + "first"))
            node = self.one(node, RDF + "rest")
        return out

    def shape(self, node: Term) -> Shape:
        if node in self.compiled:
            return self.compiled[node]
        shape = self.compiled[node] = Shape(str(node))
        for key, values in self.out[node].items():
            for value in values:
                self._parameter(shape, node, key, value)
        return shape

    def _parameter(self, shape: Shape, node: Term, key: str, value: Term) -> None:  # noqa: C901
        name = key.removeprefix(SH)
        if key in _DESCRIPTIVE or key in (SH + "flags",):
            return
        if key == SH + "path":
            if isinstance(value, ox.NamedNode):
                shape.path = value
            elif list(self.out[value]) == [SH + "inversePath"] and isinstance(
                inner := self.one(value, SH + "inversePath"), ox.NamedNode
            ):
                shape.path, shape.inverse = inner, True
            else:
                raise ShapeError(f"{node}: only IRI and inverse paths are supported")
        elif key == SH + "severity":
            shape.severity = _value(value)
        elif key == SH + "deactivated":
            shape.deactivated = _value(value) == "true"
        elif key == SH + "targetClass":
            shape.target_classes.append(value)
        elif key == SH + "targetNode":
            shape.target_nodes.append(value)
        elif key == SH + "targetSubjectsOf":
            shape.target_subjects_of.append(value)  # type: ignore[arg-type]
        elif key == SH + "targetObjectsOf":
            shape.target_objects_of.append(value)  # type: ignore[arg-type]
        elif key == SH + "property":
            shape.properties.append(self.shape(value))
        elif key in (SH + "minCount", SH + "maxCount"):
            bound = int(_value(value))
            ok = (lambda n, b=bound: n >= b) if name == "minCount" else (lambda n, b=bound: n <= b)
            shape.checks.append(_count(f"{name[0].upper()}{name[1:]}ConstraintComponent", ok))
        else:
            component = f"{name[0].upper()}{name[1:]}ConstraintComponent"
            shape.checks.append(self._value_check(node, name, component, value))

    def _value_check(self, node: Term, name: str, component: str, value: Term) -> Check:  # noqa: C901
        ok: Callable[[Data, Term], bool]
        if name == "datatype":
            ok = _datatype(value)
        elif name == "class":
            ok = lambda data, v: data.is_instance(v, value)  # noqa: E731
        elif name == "nodeKind":
            kinds = _NODE_KINDS[_value(value)]
            ok = lambda _, v: isinstance(v, kinds)  # noqa: E731
        elif name == "in":
            allowed = set(self.items(value))
            ok = lambda _, v: v in allowed  # noqa: E731
        elif name == "hasValue":

            def has(shape: Shape, data: Data, focus: Term, values: list[Term]) -> list[Result]:
                return [] if value in values else [shape.result(focus, component, None)]

            return has
        elif name in ("minInclusive", "minExclusive", "maxInclusive", "maxExclusive"):
            accept = {"minInclusive": lambda c: c >= 0, "minExclusive": lambda c: c > 0,
                      "maxInclusive": lambda c: c <= 0, "maxExclusive": lambda c: c < 0}[name]  # fmt: skip
            ok = _compare(value, accept)
        elif name in ("minLength", "maxLength"):
            bound = int(_value(value))
            ok = _length((lambda n: n >= bound) if name == "minLength" else (lambda n: n <= bound))
        elif name == "pattern":
            flags = self.out[node].get(SH + "flags", [])
            ok = _pattern(_value(value), _value(flags[0]) if flags else "")
        elif name in ("equals", "disjoint"):
            return _pair(component, value, name == "equals")
        elif name == "node":
            inner = self.shape(value)
            ok = lambda data, v: inner.conforms(data, v)  # noqa: E731
        elif name == "not":
            inner = self.shape(value)
            ok = lambda data, v: not inner.conforms(data, v)  # noqa: E731
        elif name == "and":
            members = [self.shape(m) for m in self.items(value)]
            ok = lambda data, v: all(m.conforms(data, v) for m in members)  # noqa: E731
        elif name == "or":
            members = [self.shape(m) for m in self.items(value)]
            ok = lambda data, v: any(m.conforms(data, v) for m in members)  # noqa: E731
        else:
            raise ShapeError(
                f"{node}: sh:{name} is not implemented by the fast check (maalgraph.shapes); "
                "implement it there or remove it from the shapes"
            )
        return _per_value(component, ok)


@dataclass(frozen=True)
class Report:
    """The outcome of one check: conforms (no violation-level result) and every result."""

    results: tuple[Result, ...]

    @property
    def conforms(self) -> bool:
        return all(r.severity != VIOLATION for r in self.results)

    @property
    def violations(self) -> int:
        """The number of results, counted as pySHACL counts its validation results."""
        return len(self.results)

    def text(self, limit: int = 20) -> str:
        lines = [str(r) for r in self.results[:limit]]
        if len(self.results) > limit:
            lines.append(f"… og {len(self.results) - limit} brud mere")
        return "\n".join(lines)


class ShapeCheck:
    """Compiled shapes with the ontology they are checked over."""

    def __init__(self, shapes: Sequence[ox.Triple], ontology: Sequence[ox.Triple]):
        compiler = _Compiler(shapes)
        node_shape = ox.NamedNode(SH + "NodeShape")
        property_shape = ox.NamedNode(SH + "PropertyShape")
        targeted = [
            s for s, keys in list(compiler.out.items())
            if any(k.startswith(SH + "target") for k in keys)
            or node_shape in keys.get(RDF + "type", []) or property_shape in keys.get(RDF + "type", [])
        ]  # fmt: skip
        self.shapes = [compiler.shape(s) for s in targeted]
        self.shapes = [s for s in self.shapes if _has_target(s)]
        self.ontology = Data(ontology)

    @classmethod
    @functools.lru_cache(maxsize=1)
    def load(cls, directory: Path | None = None) -> ShapeCheck:
        """maalgraph's shapes and ontology (``ontology/``), compiled once per process."""
        folder = directory or ontology_dir()
        return cls(_triples(folder / "shapes.ttl"), _triples(folder / "maal.ttl"))

    def check(self, facts: Iterable[Fact]) -> Report:
        """Validate one document's facts: quads (all graphs taken as one data graph), triples,
        or (subject, predicate, object) tuples of pyoxigraph terms."""
        data = Data(facts, under=self.ontology)
        results: list[Result] = []
        for shape in self.shapes:
            for focus in shape.focus_nodes(data):
                results += shape.validate(data, focus)
        return Report(tuple(results))


def _has_target(shape: Shape) -> bool:
    return bool(shape.target_classes or shape.target_nodes or shape.target_subjects_of
                or shape.target_objects_of)  # fmt: skip


def _triples(path: Path) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]  # fmt: skip

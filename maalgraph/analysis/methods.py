"""The analysis part of :class:`maalgraph.MaalGraph`: thin methods over :mod:`maalgraph.analysis`
that read the network from the store and resolve names to the things they name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..errors import QueryError
from ..i18n import N_, _
from ..queries import get_query
from ..results import QueryResult

if TYPE_CHECKING:  # networkx loads with the first analysis, not with MaalGraph
    from ..question.linking import Entity, EntityIndex
    from .impact import Impact
    from .network import Network, Row
    from .rankings import EntityRank, SharedEntity, UnsupportedGoal
    from .trends import Trend, VerdictChange

T = TypeVar("T")
ANALYSES_KEPT = 32  # analyses and impacts remembered per store version


@dataclass
class Analysis:
    """Who matters most in one scope (a municipality, a year, or everything)."""

    rankings: list[EntityRank]
    shared: list[SharedEntity]
    unsupported: list[UnsupportedGoal]


class NetworkAnalysis:
    """Mixed into MaalGraph, which supplies ``named`` and ``entity_index``."""

    def named(self, name: str, **params: object) -> QueryResult:
        raise NotImplementedError

    @property
    def entity_index(self) -> EntityIndex:
        raise NotImplementedError

    def to_networkx(self, *, municipality: str | None = None, year: int | None = None) -> Network:
        """The goal network (see :mod:`maalgraph.analysis.network`), of one municipality
        (an IRI or a name) and budget year, or of everything."""
        params = {
            "municipality": self._municipality(municipality) if municipality else None,
            "year": year,
        }
        from .network import build_network

        return build_network(
            self.named("network_nodes", **params).rows, self.named("network_edges", **params).rows
        )

    def network_sparql(self, *, municipality: str | None = None, year: int | None = None) -> str:
        """The two queries :meth:`to_networkx` runs, with their values bound."""
        params = {
            "municipality": self._municipality(municipality) if municipality else None,
            "year": year,
        }
        return "\n\n".join(get_query(n).render(params) for n in ("network_nodes", "network_edges"))

    def find(self, name: str, kinds: tuple[str, ...] | None = None) -> list[Entity]:
        """The things ``name`` names (an IRI, a label, part of one, or a close spelling);
        QueryError with a 'did you mean' suggestion when nothing of ``kinds`` (default:
        partners, units, projects and plans) matches."""
        from .network import ENTITY_TYPES

        kinds = ENTITY_TYPES if kinds is None else kinds
        index = self.entity_index
        known = index.get(name)
        if known is not None and known.kind in kinds:
            return [known]
        links = index.link(name) or index.link_within(name)
        found = sorted(
            {lk.entity for lk in links if lk.entity.kind in kinds}, key=lambda e: (e.label, e.iri)
        )
        if not found:
            suggestion = index.suggest(name)
            template = (
                N_("nothing named {name!r} in the graph is a {kinds}; did you mean {suggestion!r}?")
                if suggestion
                else N_("nothing named {name!r} in the graph is a {kinds}")
            )
            raise QueryError(template, name=name, kinds=" or ".join(kinds), suggestion=suggestion)
        return found

    def impact(self, *names: str, year: int | None = None) -> Impact:
        """What is at risk if all of ``names`` (IRIs or names of partners, units or projects)
        stop: the goals depending on them, directly or through a project, each with the path
        and paragraph that explain why, and the share of each focus area affected."""
        from .impact import Impact, impact

        if not names:
            raise QueryError(N_("impact needs at least one partner, unit or project"))
        entities = sorted({e for name in names for e in self.find(name)}, key=lambda e: e.iri)

        def compute() -> Impact:
            municipalities = sorted({e.municipality for e in entities if e.municipality})
            network = self.around_network([e.iri for e in entities], municipalities, year)
            present = [e.iri for e in entities if e.iri in network]
            if not present:
                return Impact([e.iri for e in entities], [e.label for e in entities])
            return impact(network, present)

        return self._cached(("impact", tuple(e.iri for e in entities), year), compute)

    def around_network(
        self, targets: list[str], municipalities: list[str], year: int | None = None
    ) -> Network:
        """The part of the goal network (of ``municipalities``, or of everything, and ``year``)
        that an impact of ``targets`` walks: the dependency edges into them, into what depends
        on them, and so on (``MAX_STEPS`` deep), the focus areas of the goals reached with all
        their goals (for the shares), and the things on the way. Read around the targets, not a
        municipality at a time: the impact is the same as on the whole network (see
        tests/test_analysis.py), at 1M triples in a tenth of the time."""
        from .impact import MAX_STEPS
        from .network import ENTITY_TYPES, build_network

        scope: dict[str, object] = {"municipality": municipalities or None, "year": year}
        edges: list[Row] = []
        areas: set[str] = set()
        seen, frontier = set(targets), sorted(set(targets))
        for _step in range(MAX_STEPS):
            rows = self.named("dependency_edges", to=frontier, **scope).rows
            edges += rows
            areas |= {str(r["focusArea"]) for r in rows if r.get("focusArea")}
            frontier = sorted({str(r["from"]) for r in rows} - seen)
            seen.update(frontier)
            if not frontier:
                break
        if not areas:
            return build_network([], [])
        within = {"focusArea": sorted(areas), **scope}
        nodes: list[Row] = [
            *self.named("network_nodes", kind=["focus_area", "goal"], **within).rows
        ]
        # the partners, units and projects on the way (each the type and name the network gives)
        ends = {str(r[end]) for r in edges for end in ("from", "to")} - {
            str(n["node"]) for n in nodes
        }
        things = self.entity_index.get_many(ends)
        nodes += [{"node": e.iri, "type": e.kind, "label": e.label}
                  for e in things.values() if e.kind in ENTITY_TYPES]  # fmt: skip
        in_focus_area = self.named("network_edges", kind="in_focus_area", **within).rows
        return build_network(nodes, [*in_focus_area, *edges])

    def analyse(self, *, municipality: str | None = None, year: int | None = None) -> Analysis:
        """Rankings, shared partners and goals without any, for one scope."""
        from .rankings import dependency_graph, rank_entities, shared_entities, unsupported_goals

        place = self._municipality(municipality) if municipality else None

        def compute() -> Analysis:
            network = self._network_for_analysis(place, year)
            two_mode = dependency_graph(network)  # the paths to goals, walked once for both
            return Analysis(
                rank_entities(network, two_mode=two_mode),
                shared_entities(network, two_mode=two_mode),
                unsupported_goals(network),
            )

        return self._cached(("analyse", place, year), compute)

    def _network_for_analysis(self, municipality: str | None, year: int | None) -> Network:
        """The part of the network rankings read: goals, focus areas, partners, units and
        projects, and the edges between them (no measurements or plans: at 1M triples half
        of one municipality's rows)."""
        from .network import DEPENDENCY, ENTITY_TYPES, build_network

        params = {"municipality": municipality, "year": year}
        nodes = self.named("network_nodes", kind=["focus_area", "goal", *ENTITY_TYPES], **params)
        edges = self.named("network_edges", kind=["in_focus_area", *DEPENDENCY], **params)
        return build_network(nodes.rows, edges.rows)

    def _cached(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()``, remembered until the store changes (``generation`` moves): a
        policy officer's page asks the same analysis again and again."""
        generation = getattr(self, "generation", None)
        cache: dict[tuple[object, ...], object] = self.__dict__.setdefault("_analysis_cache", {})
        if cache.get(("generation",)) != generation:
            cache.clear()
            cache[("generation",)] = generation
        if key not in cache:
            if len(cache) > ANALYSES_KEPT:
                cache.clear()
                cache[("generation",)] = generation
            cache[key] = compute()
        return cache[key]  # type: ignore[return-value]

    def verdict_changes(self, *, municipality: str | None = None) -> list[VerdictChange]:
        """Goals whose verdict differs from the same goal's in the previous year."""
        from .trends import verdict_changes

        params = {"municipality": self._municipality(municipality)} if municipality else {}
        return verdict_changes(self.named("goals", **params).rows)

    def trends(self, *, municipality: str | None = None) -> list[Trend]:
        """Measured outcomes as series over periods, with their direction."""
        from .trends import measurement_trends

        params = {"municipality": self._municipality(municipality)} if municipality else {}
        return measurement_trends(self.named("measurements", **params).rows)

    def draw_network(
        self,
        path: str | Path,
        *,
        municipality: str | None = None,
        year: int | None = None,
        focus_area: str | None = None,
        around: str | None = None,
        width: int | None = None,
        height: int | None = None,
    ) -> Path:
        """A picture (.svg, .png) or an export (.graphml, .gexf) of the goal–partner network,
        of everything, one focus area (IRI or words of its title), or around one entity."""
        from . import EXPORT_FORMATS, drawing

        target = Path(path)
        network = self.to_networkx(municipality=municipality, year=year)
        title = None
        if around:
            entities = [e.iri for e in self.find(around) if e.iri in network]
            if not entities:
                raise QueryError(
                    N_("{name!r} is named by no goal in this scope; nothing to draw around it"),
                    name=around,
                )
            network = drawing.around_view(network, entities)
            names = ", ".join(str(network.nodes[e]["label"]) for e in entities)
            title = _("Goal network around {names}", names=names)
        elif focus_area:
            area = self._focus_area(network, focus_area)
            network = drawing.focus_area_view(network, area)
            title = _("Goal network: {focus_area}", focus_area=network.nodes[area]["label"])
        else:
            network = drawing.goal_partner_view(network)
        if target.suffix.lstrip(".").lower() in EXPORT_FORMATS:
            return drawing.export(network, target)
        return drawing.draw(network, target, title=title, width=width, height=height)

    # ------------------------------------------------------------------ names

    def _municipality(self, name: str) -> str:
        matches = self.find(name, kinds=("area",))
        if len(matches) > 1:
            labels = ", ".join(e.label for e in matches)
            raise QueryError(
                N_("{name!r} names several areas ({labels}); say which"), name=name, labels=labels
            )
        return matches[0].iri

    @staticmethod
    def _focus_area(network: Network, text: str) -> str:
        """A focus area by IRI, or the one whose title shares the most words with ``text``."""
        areas = [n for n, data in network.nodes(data=True) if data["type"] == "focus_area"]
        if text in areas:
            return text
        words = set(text.casefold().split())
        scored = sorted(
            (
                (len(words & set(str(network.nodes[a]["label"]).casefold().split())), a)
                for a in areas
            ),
            reverse=True,
        )
        if not scored or scored[0][0] == 0:
            titles = "; ".join(sorted(str(network.nodes[a]["label"]) for a in areas)[:5])
            raise QueryError(
                N_("no focus area matches {text!r}; the focus areas include: {titles}"),
                text=text,
                titles=titles,
            )
        return str(scored[0][1])

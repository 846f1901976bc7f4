"""Graph analysis of the goal network with networkx: what is at risk if a partner or project
stops, who matters most, what changed from year to year, and pictures of the network.

The network comes from :meth:`maalgraph.MaalGraph.to_networkx`; everything here works on it
(or on named-query rows) and never talks to the store.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# what ``maalgraph network`` writes: pictures, and exports for Gephi and yEd
PICTURE_FORMATS = ("svg", "png")
EXPORT_FORMATS = ("graphml", "gexf")

# networkx (and matplotlib) load with the first name used from here, not with the package:
# the command line starts without them
_WHERE = {
    "drawing": ("around_view", "draw", "export", "focus_area_view", "goal_partner_view"),
    "impact": ("FocusAreaShare", "Impact", "ImpactPath", "impact"),
    "network": ("NODE_TYPES", "RELATIONS", "build_network"),
    "rankings": ("EntityRank", "SharedEntity", "UnsupportedGoal", "rank_entities",
                 "shared_entities", "unsupported_goals"),
    "trends": ("Trend", "VerdictChange", "measurement_trends", "verdict_changes"),
}  # fmt: skip
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f".{_MODULE_OF[name]}", __name__)
    # all of the module's names at once: importing ``.impact`` sets this package's attribute
    # ``impact`` to the module, which would hide the function of that name
    for other in _WHERE[_MODULE_OF[name]]:
        globals()[other] = getattr(module, other)
    return globals()[name]


if TYPE_CHECKING:
    from .drawing import around_view, draw, export, focus_area_view, goal_partner_view
    from .impact import FocusAreaShare, Impact, ImpactPath, impact
    from .network import NODE_TYPES, RELATIONS, build_network
    from .rankings import (
        EntityRank,
        SharedEntity,
        UnsupportedGoal,
        rank_entities,
        shared_entities,
        unsupported_goals,
    )
    from .trends import Trend, VerdictChange, measurement_trends, verdict_changes

__all__ = [
    "EXPORT_FORMATS", "PICTURE_FORMATS", "NODE_TYPES", "RELATIONS", "EntityRank", "FocusAreaShare", "Impact", "ImpactPath", "SharedEntity", "Trend",
    "UnsupportedGoal", "VerdictChange", "around_view", "build_network", "draw", "export", "focus_area_view",
    "goal_partner_view", "impact", "measurement_trends", "rank_entities", "shared_entities", "unsupported_goals",
    "verdict_changes",
]  # fmt: skip

"""Graph analysis of the goal network with networkx: what is at risk if a partner or project
stops, who matters most, what changed from year to year, and pictures of the network.

The network comes from :meth:`maalgraph.MaalGraph.to_networkx`; everything here works on it
(or on named-query rows) and never talks to the store.
"""

from __future__ import annotations

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
    "NODE_TYPES", "RELATIONS", "EntityRank", "FocusAreaShare", "Impact", "ImpactPath", "SharedEntity", "Trend",
    "UnsupportedGoal", "VerdictChange", "around_view", "build_network", "draw", "export", "focus_area_view",
    "goal_partner_view", "impact", "measurement_trends", "rank_entities", "shared_entities", "unsupported_goals",
    "verdict_changes",
]  # fmt: skip

"""The ontology's concepts for the model's statuses and roles (``maal:Opfyldt``, ``maal:IGang``,
``maal:Maalvaerdi`` …): one table each, shared by the graph writer (:mod:`maalgraph.triples`)
and the question layer, which must not load the document reader to name a status.
"""

from __future__ import annotations

from .model import Progress, Role, Trend, Verdict
from .namespaces import OX_MAAL as MAAL

VERDICT_IRI = {
    Verdict.MET: MAAL.Opfyldt,
    Verdict.PARTLY_MET: MAAL.DelvistOpfyldt,
    Verdict.NOT_MET: MAAL.IkkeOpfyldt,
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
# how a verdict is said in Danish (maal:IkkeVurderet is deprecated, still read in old graphs)
VERDICT_WORDS = {
    MAAL.Opfyldt.value: "opfyldt",
    MAAL.DelvistOpfyldt.value: "delvist opfyldt",
    MAAL.IkkeOpfyldt.value: "ikke opfyldt",
    MAAL.IkkeVurderet.value: "ikke vurderet",
    NO_VERDICT.value: "uden vurdering",
}

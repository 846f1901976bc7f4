"""Read what an assessment states: a verdict (opfyldt / delvist opfyldt / ikke opfyldt), an
explicit "cannot be judged", a progress status (i gang, afsluttet) and a trend.

Patterns are data (``maalgraph/lang/da/verdicts.jsonl``) in a spaCy ``Matcher`` over lower
forms and lemmas, so "opfyldt", "nået" and "indfriet" all count, with negation ("ikke",
"ej"), degree ("delvist", "ikke helt") and auxiliaries in between. The conclusion is the
last sentence that speaks of the goal ("målet", "ambitionen", "budgetnoten" …), so "Målet
er således ikke opfyldt, men … tilfredsstillende" reads as ikke opfyldt. Nothing is
guessed: a text that states no verdict gets none.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..model import Progress, Trend, Verdict
from ..nlp import danish
from .lexicon import lexicon, verdict_patterns

_VERDICTS = {"MET": Verdict.MET, "PARTLY_MET": Verdict.PARTLY_MET, "NOT_MET": Verdict.NOT_MET}
_PROGRESS = {"IN_PROGRESS": Progress.IN_PROGRESS, "COMPLETED": Progress.COMPLETED}
_TRENDS = {
    "TREND_POSITIVE": Trend.POSITIVE,
    "TREND_NEGATIVE": Trend.NEGATIVE,
    "TREND_FLAT": Trend.FLAT,
}
_PRIORITY = {Verdict.PARTLY_MET: 3, Verdict.NOT_MET: 2, Verdict.MET: 1}
# a positive or negative development is the verdict only when no verdict word is used
TREND_VERDICT = {Trend.POSITIVE: Verdict.MET, Trend.NEGATIVE: Verdict.NOT_MET}


@functools.lru_cache(maxsize=1)
def _matcher() -> Matcher:
    matcher = Matcher(danish().vocab)
    by_label: dict[str, list[list[dict[str, object]]]] = {}
    for label, pattern in verdict_patterns():
        by_label.setdefault(label, []).append(pattern)
    for label, patterns in by_label.items():
        matcher.add(label, patterns, greedy="LONGEST")
    return matcher


def speaks_of_goal(sentence: Span) -> bool:
    """Whether a sentence is about a goal (its subject is "målet", "ambitionen", …)."""
    subjects = lexicon().goal_subjects
    return any(t.lower_.startswith(subjects) or t.lemma_.startswith(subjects) for t in sentence)


_NEGATIONS = {"ikke", "ej", "aldrig"}
_NOT_NEGATING = {"kun", "blot", "bare", "alene"}  # "ikke kun nået, men overgået"
_SCOPE_BREAKS = {",", ";", ":", ".", "men", "og", "eller", "selvom", "mens"}


def _negated(span: Span) -> Span:
    """A 'met' word in the scope of a negation the patterns did not foresee is 'not met':
    "forventes ikke at blive nået", "ikke i tilstrækkelig grad opfyldt"."""
    if span.label_ != "MET":
        return span
    doc = span.doc
    for token in reversed(doc[max(span.sent.start, span.start - 6) : span.start]):
        if token.lower_ in _SCOPE_BREAKS:
            return span
        if token.lower_ in _NEGATIONS:
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if following is not None and following.lower_ in _NOT_NEGATING:
                return span
            return Span(doc, token.i, span.end, label="NOT_MET")
    return span


def _counts(span: Span) -> bool:
    """'Af de 12 mål er 8 opfyldt og 3 delvist opfyldt': a tally of goals, no verdict on one."""
    doc = span.doc
    before = [t for t in doc[max(span.sent.start, span.start - 3) : span.start]]
    if before and before[-1].like_num:
        return True
    return any(
        t.like_num and doc[t.i + 1].lower_.startswith("mål") for t in before if t.i + 1 < len(doc)
    )


@dataclass
class Statement:
    """What a text states about a goal."""

    verdict: Verdict | None = None
    phrase: str | None = None  # the sentence stating the verdict
    no_verdict: str | None = None  # the sentence saying it cannot be judged
    progress: Progress | None = None
    trend: Trend | None = None
    trend_phrase: str | None = None

    @property
    def says_anything(self) -> bool:
        return bool(self.verdict or self.no_verdict or self.progress or self.trend)


def _spans(doc: Doc) -> list[Span]:
    spans = [Span(doc, start, end, label=match_id) for match_id, start, end in _matcher()(doc)]
    return filter_spans(spans)


def read_statement(doc: Doc, *, strict: bool = False) -> Statement:
    """Everything a text states: verdict, explicit no-verdict, progress and trend.

    ``strict``: only sentences that speak of a goal count (used to decide whether a section
    is a goal's assessment at all).

    >>> s = read_statement(danish()("Ambitionen er ikke indfriet, men udviklingen går i den rigtige retning."))
    >>> s.verdict, s.trend
    (<Verdict.NOT_MET: 'ikke opfyldt'>, <Trend.POSITIVE: 'positiv'>)
    >>> read_statement(danish()("Derfor kan udviklingen ikke vurderes.")).no_verdict
    'Derfor kan udviklingen ikke vurderes.'
    """
    out = Statement()
    spans = [_negated(s) for s in _spans(doc)]
    verdicts = [s for s in spans if s.label_ in _VERDICTS and not _counts(s)]
    about_goal = [s for s in verdicts if speaks_of_goal(s.sent)]
    chosen = about_goal or ([] if strict else verdicts)
    if chosen:
        sentence = chosen[-1].sent
        in_sentence = [s for s in chosen if s.sent == sentence]
        best = max(in_sentence, key=lambda s: (_PRIORITY[_VERDICTS[s.label_]], -s.start))
        out.verdict, out.phrase = _VERDICTS[best.label_], sentence.text.strip()
    for span in spans:
        if span.label_ == "NO_VERDICT" and (not strict or speaks_of_goal(span.sent)):
            out.no_verdict = span.sent.text.strip()
        elif span.label_ in _PROGRESS:
            out.progress = _PROGRESS[span.label_]
        elif span.label_ in _TRENDS and out.trend is None:
            out.trend, out.trend_phrase = _TRENDS[span.label_], span.sent.text.strip()
    return out


def find_verdict(doc: Doc) -> tuple[Verdict, str] | None:
    """The verdict stated in a text and the sentence stating it, or None.

    >>> find_verdict(danish()("Målet er således ikke opfyldt, men resultatet er fint."))[0]
    <Verdict.NOT_MET: 'ikke opfyldt'>
    >>> find_verdict(danish()("Det vurderes, at målet er delvist opfyldt."))[0]
    <Verdict.PARTLY_MET: 'delvist opfyldt'>
    """
    statement = read_statement(doc)
    if statement.verdict is None or statement.phrase is None:
        return None
    return statement.verdict, statement.phrase


def verdict_of_text(text: str) -> tuple[Verdict, str] | None:
    """Convenience wrapper: run the pipeline on plain text."""
    return find_verdict(danish()(text))

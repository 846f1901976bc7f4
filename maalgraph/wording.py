"""How the things of the graph are named for a person, in one place for the command line,
the answers and the web page: a goal by its number and its text (short where space is
tight), a kind of thing in Danish."""

from __future__ import annotations

import textwrap

from .i18n import N_, _

KINDS = {
    "partner": N_("partner"),
    "unit": N_("internal unit"),
    "project": N_("project"),
    "plan": N_("plan"),
    "area": N_("area"),
    "committee": N_("committee"),
    "topic": N_("topic"),
    "goal": N_("goal"),
    "focus_area": N_("focus area"),
}
SHORT = 60  # characters of a goal's text where space is tight


def kind_name(kind: str) -> str:
    """The Danish name of a kind of thing (partner → samarbejdspartner)."""
    return _(KINDS[kind]) if kind in KINDS else kind


def goal_name(identifier: object, text: object = "", width: int | None = SHORT) -> str:
    """A goal as a person reads it: its number and its text, cut to ``width`` characters
    (None: the whole text).

    >>> goal_name("3.1", "Flere udsatte borgere oplever en mere helhedsorienteret indsats.", 40)
    'Mål 3.1: Flere udsatte borgere oplever en mere…'
    >>> goal_name("1.2")
    'Mål 1.2'
    """
    words = " ".join(str(text or "").split())
    if width is not None and words:
        words = textwrap.shorten(words, width=width, placeholder="…")
    if not words:
        return _("Goal {number}", number=identifier)
    return _("Goal {number}: {text}", number=identifier, text=words)


def listing(items: list[str], last: str | None = None) -> str:
    """Names as a sentence lists them: 'a', 'a og b', 'a, b og c'.

    >>> listing(["Blå Kors Pensionat", "Blå Kors Varmestue"])
    'Blå Kors Pensionat og Blå Kors Varmestue'
    """
    word = last or _("and")
    return ", ".join(items[:-1]) + f" {word} " + items[-1] if len(items) > 1 else "".join(items)


__all__ = ["KINDS", "goal_name", "kind_name", "listing"]

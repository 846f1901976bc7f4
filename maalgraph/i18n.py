"""The one message catalogue: every text the command line and the web page show a person.

maalgraph follows the gettext convention: the code holds English message ids, marked with
``_`` (translated where it runs) or ``N_`` (marked only, translated later at the edge, as
library errors are); the Danish text is in ``maalgraph/locale/da/LC_MESSAGES/maalgraph.po``.
Babel extracts the ids (``make messages``) and compiles the catalogue to ``maalgraph.mo``:
``make`` does it for a checkout, the build hook (``hatch_build.py``) for a wheel.

Placeholders are named (``{name}``), so a translation may reorder them; a library error
keeps its English template and its values apart (:class:`maalgraph.errors.MaalgraphError`),
and :func:`error_text` phrases it in Danish at the edge.
"""

from __future__ import annotations

import errno
import functools
import gettext
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import MaalgraphError

DOMAIN = "maalgraph"
LANGUAGE = "da"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@functools.cache
def catalogue() -> gettext.GNUTranslations:
    """The compiled Danish catalogue (read once per process)."""
    try:
        found = gettext.translation(DOMAIN, LOCALE_DIR, languages=[LANGUAGE])
    except FileNotFoundError:
        raise FileNotFoundError(
            f"maalgraph's message catalogue {LOCALE_DIR}/{LANGUAGE}/LC_MESSAGES/{DOMAIN}.mo is "
            "missing; run make (a checkout) or reinstall the package"
        ) from None
    assert isinstance(found, gettext.GNUTranslations)
    return found


def _(message: str, /, **values: Any) -> str:
    """``message`` in Danish, its ``{placeholders}`` filled from ``values``."""
    text = catalogue().gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """The Danish singular or plural of a message about ``n`` things (``{n}`` is filled)."""
    return catalogue().ngettext(singular, plural, n).format(n=n, **values)


class Msg(str):
    """A message id kept untranslated until the edge: a template, or a word that fills one
    (``what=N_("update")``), which :func:`error_text` translates as well."""

    __slots__ = ()


def N_(message: str) -> Msg:
    """Mark ``message`` for the catalogue without translating it here (the edge will)."""
    return Msg(message)


OS_REASONS = {  # the operating system's reasons (its own words are English) by errno
    errno.ENOENT: N_("the file does not exist"),
    errno.EACCES: N_("no permission"),
    errno.EPERM: N_("no permission"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOTDIR: N_("a part of the path is no folder"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is read-only"),
}


def os_reason(error: OSError) -> str:
    """Why a file could not be used, as a message id (translated at the edge) where the
    catalogue has one, else the operating system's words."""
    if error.errno in OS_REASONS:
        return OS_REASONS[error.errno]
    return error.strerror or str(error)


def error_text(error: MaalgraphError) -> str:
    """A library error as one Danish sentence: its template translated, its values filled,
    and the file and line it concerns in front (an :class:`~maalgraph.errors.IngestError`)."""
    values = {k: _(v) if isinstance(v, Msg) else v for k, v in error.details.items()}
    text = _(error.template, **values)
    path = getattr(error, "path", None)
    if path is None:
        return text
    line = getattr(error, "line", None)
    where = path if line is None else _("{path}, line {line}", path=path, line=line)
    return f"{where}: {text}"


__all__ = ["Msg", "N_", "_", "os_reason", "catalogue", "error_text", "ngettext"]

"""Text from people, made comparable before anything reads it.

A question copied from a web page or a PDF may carry characters nobody sees: zero-width
spaces and joiners, soft hyphens, right-to-left marks, a byte-order mark. And "å" may come
as one character or as "a" and a combining ring (NFD, as macOS file names and some
keyboards give it). Both change what a word matches, so every question passes through
:func:`normalize` once, at the boundary (:meth:`maalgraph.MaalGraph.ask`).

>>> normalize("Bla\\u200b\\u030a Kors\\u200f?") == "Blå Kors?"
True
>>> normalize("  Hvilke\\u00a0mål\\ter\\nopfyldt? ")
'Hvilke mål er opfyldt?'
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Without format characters (Unicode category Cf) or other control characters, in
    NFC, every run of white space as one space, trimmed. The invisible characters go
    first, so that one between a letter and its accent does not keep them apart."""
    kept = "".join(
        " " if c.isspace() else c
        for c in text
        if c.isspace() or unicodedata.category(c) not in ("Cf", "Cc")
    )
    return _SPACES.sub(" ", unicodedata.normalize("NFC", kept)).strip()

"""The Danish spaCy pipeline shared by ingestion and the question layer.

``spacy.blank("da")`` with spaCy's Danish tokenizer, a sentencizer, and a lookup
lemmatizer over the ``lemma_lookup`` table of ``spacy-lookups-data``. spaCy's own lookup
lemmatizer is case-sensitive ("Målene" stays "Målene"); ours looks up the lower-case form,
which is what questions typed in any case need. No model is downloaded.
"""

from __future__ import annotations

import functools
import threading
import unicodedata

import snowballstemmer
import spacy
from spacy.language import Language
from spacy.lookups import Table, load_lookups
from spacy.tokens import Doc


class LowercaseLookupLemmatizer:
    """Sets ``token.lemma_`` from the Danish lookup table, keyed by the lower-case form."""

    def __init__(self, table: Table):
        self.table = table  # keys are hashed by spaCy; Table.get hashes the string for us

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            lower = token.lower_
            token.lemma_ = self.table.get(lower, lower)
        return doc


@Language.factory("maal_lemmatizer", default_config={})
def make_lemmatizer(nlp: Language, name: str) -> LowercaseLookupLemmatizer:
    lookups = load_lookups("da", ["lemma_lookup"])
    return LowercaseLookupLemmatizer(lookups.get_table("lemma_lookup"))


@functools.lru_cache(maxsize=1)
def danish() -> Language:
    """The shared pipeline (built once per process; about a second)."""
    nlp = spacy.blank("da")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("maal_lemmatizer")
    return nlp


# A snowball stemmer keeps the word it works on in the object itself: one per thread.
_stemmers = threading.local()


def stem(word: str) -> str:
    """Snowball stem of a lower-cased word ("partnerne" → "partn"); safe in any thread.

    >>> stem("Partnerne") == stem("partner")
    True
    """
    stemmer = getattr(_stemmers, "danish", None)
    if stemmer is None:
        stemmer = _stemmers.danish = snowballstemmer.stemmer("danish")
    return str(stemmer.stemWord(word.casefold()))


def fold(text: str) -> str:
    """Case-fold and spell Danish letters the way people type without them.

    >>> fold("Blå Kors"), fold("Blaa kors"), fold("Sundhed & Ældre")
    ('blaa kors', 'blaa kors', 'sundhed & aeldre')
    """
    text = text.casefold()
    for src, dst in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e")):
        text = text.replace(src, dst)
    return unicodedata.normalize("NFKC", text)

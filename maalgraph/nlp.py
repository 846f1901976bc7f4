"""The Danish spaCy pipeline of the document reader, and the stemmer and lemma forms the
question layer uses (which does not import spaCy).

``spacy.blank("da")`` with spaCy's Danish tokenizer, a sentencizer, and a lookup lemmatizer
over the Danish lemma table of ``spacy-lookups-data`` (from Det Centrale Ordregister, COR),
shipped here as ``lang/da/lemma_lookup.tsv.gz`` (see ``lang/da/LICENSE-lemma_lookup.md``).
spaCy's own lookup lemmatizer is case-sensitive ("Målene" stays "Målene"); ours looks up the
lower-case form, which is what questions typed in any case need. No model is downloaded.

spaCy is imported when the pipeline is first needed, not with this module: ``stem`` and
``fold`` cost nothing to import.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import hashlib
import json
import os
import re
import tempfile
import threading
import unicodedata
from typing import TYPE_CHECKING

import snowballstemmer

from .lang import data_file

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


class LemmaTable:
    """The lower-case lemma table: sorted ``form<TAB>lemma`` lines searched by bisection.

    Reading the 469,000 lines takes about a tenth of a second; building a dict of them
    takes several times longer, a spaCy ``Table`` about twenty times (``benchmarks/cli.py``
    measures all three). Only forms whose lemma differs are stored.

    >>> table = lemma_table()
    >>> table.get("målene"), table.get("partnerne"), table.get("xyzzy", "xyzzy")
    ('mål', 'partner', 'xyzzy')
    """

    def __init__(self, lines: list[str]):
        self._lines = lines

    @classmethod
    def load(cls, name: str = "lemma_lookup.tsv.gz") -> LemmaTable:
        with gzip.open(data_file("da", name), "rt", encoding="utf-8") as f:
            return cls(f.read().splitlines())

    def __len__(self) -> int:
        return len(self._lines)

    def get(self, form: str, default: str | None = None) -> str | None:
        key = form + "\t"  # a tab sorts before every character a form has
        i = bisect.bisect_left(self._lines, key)
        if i < len(self._lines) and self._lines[i].startswith(key):
            return self._lines[i][len(key) :]
        return default


@functools.lru_cache(maxsize=1)
def lemma_table() -> LemmaTable:
    """The Danish lemma table (read once per process)."""
    return LemmaTable.load()


LEMMA_FORMS_VERSION = "1"  # part of the cache key: change it when lemma_forms changes


def lemma_forms(lemmas: frozenset[str], name: str = "lemma_lookup.tsv.gz") -> dict[str, str]:
    """Every lower-case form whose lemma is one of ``lemmas``, with that lemma; the lemmas
    themselves too, when the table gives them no other lemma.

    A question's patterns name a dozen lemmas ("være", "nå", …); this is all they need of the
    table, so the question layer neither reads nor searches its 469,000 lines (80 ms) on every
    call: the answer is cached on disk, keyed by the SHA-256 of the table and the lemmas (in the
    folder of :func:`maalgraph.bundled.cache_dir`; when it cannot be written, it is computed).

    >>> forms = lemma_forms(frozenset({"være"}))
    >>> forms["var"], forms["været"], forms["være"], "nå" in forms
    ('være', 'være', 'være', False)
    """
    from .bundled import cache_dir

    raw = data_file("da", name).read_bytes()
    digest = hashlib.sha256(raw)
    digest.update(json.dumps([LEMMA_FORMS_VERSION, sorted(lemmas)]).encode())
    path = cache_dir() / f"lemma-forms-{digest.hexdigest()[:24]}.json"
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(found, dict):
            return {str(k): str(v) for k, v in found.items()}
    except (OSError, ValueError):
        pass
    forms = _search_forms(gzip.decompress(raw).decode("utf-8"), lemmas)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
        ) as f:
            json.dump(forms, f, ensure_ascii=False)
        os.chmod(f.name, 0o644)  # as the bundled corpus's cache: a shared folder stays readable
        os.replace(f.name, path)  # atomic: a process starting meanwhile reads all or nothing
    except OSError:
        pass
    return forms


def _search_forms(text: str, lemmas: frozenset[str]) -> dict[str, str]:
    """The forms of ``lemmas`` in the table's text (``form<TAB>lemma`` lines)."""
    forms = {}
    if lemmas:
        either = "|".join(re.escape(lemma) for lemma in sorted(lemmas))
        for m in re.finditer(rf"\t({either})$", text, flags=re.MULTILINE):
            line_start = text.rfind("\n", 0, m.start()) + 1
            forms[text[line_start : m.start()]] = m.group(1)
        other = {m.group(1) for m in re.finditer(rf"\n({either})\t", "\n" + text)}
        forms.update({lemma: lemma for lemma in lemmas if lemma not in other})
    return forms


class LowercaseLookupLemmatizer:
    """Sets ``token.lemma_`` from the Danish lookup table, keyed by the lower-case form."""

    def __init__(self, table: LemmaTable):
        self.table = table

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            lower = token.lower_
            token.lemma_ = self.table.get(lower) or lower
        return doc


def make_lemmatizer(nlp: Language, name: str) -> LowercaseLookupLemmatizer:
    return LowercaseLookupLemmatizer(lemma_table())


_pipeline_lock = threading.Lock()
_pipeline: Language | None = None


def danish() -> Language:
    """The shared pipeline, built once per process (thread-safe: two threads asking at once
    get the same pipeline, so their documents share one vocabulary)."""
    global _pipeline
    with _pipeline_lock:
        if _pipeline is None:
            import spacy
            from spacy.language import Language

            if not Language.has_factory("maal_lemmatizer"):
                Language.factory("maal_lemmatizer", default_config={}, func=make_lemmatizer)
            nlp = spacy.blank("da")
            nlp.add_pipe("sentencizer")
            nlp.add_pipe("maal_lemmatizer")
            _pipeline = nlp
        return _pipeline


# A snowball stemmer keeps the word it works on in the object itself: one per thread.
_stemmers = threading.local()


def stem(word: str) -> str:
    """Snowball stem of a lower-cased word ("partnerne" → "partn"); safe in any thread.
    snowballstemmer hands the work to PyStemmer's C build of the same algorithm (a
    dependency; a test checks they agree), a few microseconds a word instead of sixteen.

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

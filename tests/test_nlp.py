"""The shared Danish pipeline: the shipped lemma table, lower-case lemmas, one pipeline per
process however many threads ask for it, and no spaCy until it is needed."""

from __future__ import annotations

import gzip
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from maalgraph import nlp
from maalgraph.lang import data_file


def test_lemma_table_is_sorted_lower_case_and_without_identities() -> None:
    with gzip.open(data_file("da", "lemma_lookup.tsv.gz"), "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    assert len(lines) > 400_000
    assert lines == sorted(lines)
    pairs = [line.split("\t") for line in lines[::997]]
    assert all(len(p) == 2 and p[0] == p[0].lower() and p[0] != p[1] and p[1] for p in pairs)


@pytest.mark.parametrize(
    ("form", "lemma"),
    [("målene", "mål"), ("partnerne", "partner"), ("opfyldt", "opfylde"), ("borgere", "borger")],
)
def test_lemma_lookup(form: str, lemma: str) -> None:
    assert nlp.lemma_table().get(form) == lemma


def test_unknown_words_and_neighbours_are_not_confused() -> None:
    table = nlp.lemma_table()
    assert table.get("mål") is None  # its own lemma: not stored
    assert table.get("måle") != table.get("målene")
    assert table.get("") is None and table.get("zzzzzzz", "x") == "x"


def test_pipeline_lemmatizes_any_case() -> None:
    doc = nlp.danish()("Målene for PARTNERNE blev opfyldt.")
    assert [t.lemma_ for t in doc][:3] == ["mål", "for", "partner"]
    assert len(list(doc.sents)) == 1


def test_one_pipeline_for_threads_asking_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "_pipeline", None)
    barrier = threading.Barrier(6)
    found: list[object] = []

    def ask() -> None:
        barrier.wait()
        found.append(nlp.danish())

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(found) == 6 and all(p is found[0] for p in found)


def test_importing_stem_and_fold_loads_no_spacy() -> None:
    code = "import sys, maalgraph.nlp as n; n.stem('partnerne'); n.fold('Å'); print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_forms_of_a_few_lemmas_as_the_table_gives_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the question patterns need of the lemma table (nlp.lemma_forms), against a
    search of the whole table; cached on disk, and a damaged cache file is not believed."""
    monkeypatch.setenv("MAALGRAPH_CACHE_DIR", str(tmp_path))
    lemmas = frozenset({"være", "have", "nå", "udvikle", "zzzz"})
    table = nlp.lemma_table()
    expected = {
        form: lemma
        for form, lemma in (line.split("\t") for line in table._lines)
        if lemma in lemmas
    }
    expected.update({lemma: lemma for lemma in lemmas if table.get(lemma) is None})
    assert nlp.lemma_forms(lemmas) == expected
    assert expected["var"] == "være" and "have" not in expected  # "have" is a form of "hav"
    (cached,) = tmp_path.glob("lemma-forms-*.json")
    assert nlp.lemma_forms(lemmas) == expected
    cached.write_text("[1, 2", encoding="utf-8")
    assert nlp.lemma_forms(lemmas) == expected
    assert nlp.lemma_forms(frozenset()) == {}


def test_the_c_stemmer_stems_as_snowballs_python_one() -> None:
    """nlp.stem runs on PyStemmer (through snowballstemmer); the pure-Python Danish stemmer
    gives the same stems on a sample of the lemma table's forms and lemmas."""
    from snowballstemmer.danish_stemmer import DanishStemmer

    python = DanishStemmer()
    table = nlp.lemma_table()
    words = sorted({w for line in table._lines[::40] for w in line.split("\t")})
    assert len(words) > 15_000
    nlp.stem("x")
    assert type(nlp._stemmers.danish).__module__ == "Stemmer"  # the C build is in use
    assert [nlp.stem(w) for w in words] == [python.stemWord(w) for w in words]

"""Finding the graph's names and texts in a question: names whole, by part, misspelt, in the
genitive; what counts as a name; topics by stems and compounds; cue and verdict words; the
language data files and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import maalgraph.lang as lang
from maalgraph import MaalGraph
from maalgraph.nlp import stem
from maalgraph.question import vocabulary as vocabulary_module
from maalgraph.question.handlers import HANDLERS
from maalgraph.question.linking import NameIndex, TextIndex
from maalgraph.question.mentions import Mentions, find_mentions
from maalgraph.question.vocabulary import vocabulary


def mentions(kg: MaalGraph, question: str) -> Mentions:
    return find_mentions(question, vocabulary(), kg.answerer.lexicon)


def test_names_whole_by_part_and_misspelt() -> None:
    index = NameIndex(
        [("Ungdomscenter Knudmosen", 1), ("Blå Kors Pensionat", 2), ("Blå Kors Varmestue", 3),
         ("Opkvalificering af beskæftigede", 4)]
    )  # fmt: skip
    assert index.lookup(("ungdomscenter", "knudmosen")) == ([1], "exact")
    assert index.lookup(("knudmosen",)) == ([1], "part")
    assert index.lookup(("blaa", "kors")) == ([2, 3], "part")
    assert index.lookup(("af",)) is None  # a connector names nothing
    assert index.correct("knudmosn") == ("knudmosen", pytest.approx(0.94, abs=0.01))
    assert index.correct("knudmosen") is None  # known words are not corrected
    assert "knudmosen" in index.proper and "opkvalificering" not in index.proper


def test_a_word_many_names_share_tells_none_apart() -> None:
    names = [
        (f"{town} Erhvervsskole", i)
        for i, town in enumerate(["Vejle", "Aarhus", "Odense", "Skive", "Varde", "Struer"])
    ]
    index = NameIndex(names)
    assert index.lookup(("erhvervsskole",)) is None
    assert index.lookup(("vejle", "erhvervsskole")) == ([0], "exact")


def test_topics_by_rare_stems_and_compounds() -> None:
    index = TextIndex(
        ["Rekrutteringsindsatsen styrkes og videreudvikles.", "Flere borgere i fleksjob.",
         "Borgere på kanten skal ind på arbejdsmarkedet."]
    )  # fmt: skip
    assert [h.text for h in index.search(["rekruttering"])] == [
        "Rekrutteringsindsatsen styrkes og videreudvikles."
    ]
    best = index.search(["borg", "fleksjob"])
    assert best[0].text == "Flere borgere i fleksjob." and best[0].score == 1.0
    assert best[0].matched == {0, 1} and best[1].score < 0.5
    assert index.search(["fleksjb"])[0].text == "Flere borgere i fleksjob."  # misspelt
    assert index.search(["vejret"]) == []


def test_a_noun_made_of_a_verb_finds_the_verb() -> None:
    index = TextIndex(
        ["Færre dagligrygere blandt unge.", "Flere borgere tilmeldte sig kurset.",
         "Færre sygedage."]
    )  # fmt: skip
    assert [h.text for h in index.search([stem("rygning")])] == ["Færre dagligrygere blandt unge."]
    assert [h.text for h in index.search([stem("tilmelding")])] == [
        "Flere borgere tilmeldte sig kurset."
    ]
    assert index.search([stem("planlægning")]) == []


@pytest.mark.parametrize(
    ("question", "entities", "unknown"),
    [("Hvilke mål hjælper Knudmosen med?", ["Ungdomscenter Knudmosen"], []),
     ("hvilke mål er den blå mølle med i", ["Den Blå Mølle"], []),
     ("Hvad sker der hvis Herningholm stopper?", ["Herningsholm Erhvervsskole"], []),
     ("Hvilke mål afhænger af Røde Kors?", [], ["Røde Kors"]),
     ("Hvilke partnere er involveret i målet om opkvalificering af ledige?", [], []),
     ("Hvad koster en pizza i Rom?", [], ["Rom"])],
)  # fmt: skip
def test_what_is_read_as_a_name(
    example: MaalGraph, question: str, entities: list, unknown: list
) -> None:
    found = mentions(example, question)
    assert sorted({e.label for m in found.entities for e in m.value}) == entities
    assert [u.label for u in found.unknown if u.score >= 1.0] == unknown  # capitalised: names


def test_municipalities_with_and_without_data_and_genitives(example: MaalGraph) -> None:
    found = mentions(
        example, "Hvor mange af Hernings mål er opfyldt sammenlignet med Odder Kommune?"
    )
    assert [(p.value.label, p.value.has_data) for p in found.places] == [
        ("Herning Kommune", True), ("Odder Kommune", False)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("question", "verdicts"),
    [("Hvilke mål er ikke opfyldt?", ["NOT_MET"]), ("Hvilke mål blev kun delvist opfyldt?", ["PARTLY_MET"]),
     ("Hvilke mål lykkedes det ikke at nå?", ["NOT_MET"]), ("Hvilke mål nåede Vejle ikke?", ["NOT_MET"]),
     ("Hvilke mål er ikke helt opfyldt?", ["PARTLY_MET"]), ("Vis de grønne mål", ["MET"]),
     ("Hvilke mål gik fra ikke opfyldt til opfyldt?", ["NOT_MET", "MET"]),
     ("Hvilke mål afhænger af Røde Kors?", []), ("Hvilke mål er SSP Randers med til at nå?", [])],
)  # fmt: skip
def test_verdict_words(example: MaalGraph, question: str, verdicts: list) -> None:
    assert [v.label for v in mentions(example, question).verdicts] == verdicts


def test_count_of_a_thing_or_of_a_measured_topic(example: MaalGraph) -> None:
    assert "COUNT_TOPIC" in mentions(example, "Hvor mange borgere var i fleksjob?").cue_labels
    assert "COUNT_TOPIC" not in mentions(example, "Hvor mange opfyldte mål er der?").cue_labels


def test_every_family_has_a_handler_and_known_slots() -> None:
    vocab = vocabulary()
    assert {f.handler for f in vocab.families} <= set(HANDLERS)
    assert len(vocab.families) >= 25 and len(vocab.municipalities) == 98


def test_a_broken_data_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    questions = tmp_path / "da" / "questions"
    questions.mkdir(parents=True)
    real = Path(lang.__file__).parent / "da" / "questions"
    for name in ("cues.jsonl", "verdicts.jsonl", "municipalities.toml"):
        (questions / name).write_text((real / name).read_text(encoding="utf-8"), encoding="utf-8")
    for name in ("verdicts.jsonl", "goals.toml"):  # the reader's status words, shared
        (tmp_path / "da" / name).write_text(
            (real.parent / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    (questions / "families.toml").write_text(
        '[odd]\nda = "x"\nhandler = "list_goals"\ncues = { NOPE = 1 }\n'
    )
    monkeypatch.setattr(lang, "_LANG", tmp_path)
    lang.load_jsonl.cache_clear()
    lang.load_toml.cache_clear()
    monkeypatch.setattr(vocabulary_module, "_vocabulary", None)
    try:
        with pytest.raises(
            ValueError, match=r"families.toml: \[odd\] names unknown cues \{'NOPE'\}"
        ):
            vocabulary()
    finally:
        lang.load_jsonl.cache_clear()
        lang.load_toml.cache_clear()

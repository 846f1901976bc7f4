"""Normalising people's text: invisible characters and decomposed letters change nothing."""

from __future__ import annotations

import pytest

from maalgraph import MaalGraph

PLAIN = "Hvilke mål afhænger af Blå Kors?"


@pytest.mark.parametrize(
    "variant",
    [
        "Hvilke mål afhænger af Bla\u030a Kors?",  # NFD: a + combining ring
        "Hvilke m\u200bål afhænger af Blå\u200d Kors?",  # zero-width space and joiner
        "\u200fHvilke mål afhænger af \u202eBlå Kors\u202c?",  # right-to-left mark, override
        "\ufeffHvilke mål af\u00adhænger af Blå\u00a0Kors?",  # byte-order mark, soft hyphen, NBSP
        "Hvilke ma\u200b\u030al afhænger af Blå Kors?",  # an invisible one between letter and ring
    ],
)
def test_a_question_means_the_same_with_invisible_or_decomposed_characters(
    example: MaalGraph, variant: str
) -> None:
    expected, got = example.ask(PLAIN).to_dict(), example.ask(variant).to_dict()
    assert got == expected and got["rows"]


def test_normalize() -> None:
    from maalgraph.text import normalize

    assert normalize("Hvilke ma\u030al\u200b er opfyldt?") == "Hvilke mål er opfyldt?"
    assert normalize("\x00Hvilke\t\tmål\r\ner  opfyldt?\x7f") == "Hvilke mål er opfyldt?"

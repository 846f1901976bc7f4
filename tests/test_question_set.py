"""The question sets of tests/questions/: free wording, typos, scopes, yes/no, why, series,
comparisons, unknown names and municipalities without data. ``questions-dev`` and the
two held-out sets are asked on a store of three municipalities over two years;
``seeds-rephrased`` (the shared dev questions in other words) on the bundled corpus.
``questions-dev`` was developed against; the others were written before they were first run
(58/64, 29/30 and 39/40 then; see docs/questions.md)."""

from __future__ import annotations

import pytest
from question_sets import judge, question_set, question_store

from maalgraph import MaalGraph

SETS = ("questions-dev", "questions-heldout", "questions-heldout-2", "seeds-rephrased")
CASES = [(name, item) for name in SETS for item in question_set(name)]


@pytest.fixture(scope="module")
def store() -> MaalGraph:
    return question_store()


@pytest.fixture(scope="module")
def stores(store: MaalGraph, example: MaalGraph) -> dict[str, MaalGraph]:
    return {name: example if name.startswith("seeds") else store for name in SETS}


def test_the_sets_are_large_and_varied() -> None:
    items = [item for name, item in CASES if not name.startswith("seeds")]
    assert len(items) >= 150
    assert len({item["q"] for item in items}) == len(items), "a question is asked twice"
    families = {
        item["id"].split("-")[-2] if item["id"].startswith("h-") else item["id"].split("-")[0]
        for item in items
    }
    assert len(families) >= 15


@pytest.mark.parametrize(("name", "item"), CASES, ids=[f"{n}:{i['id']}" for n, i in CASES])
def test_question(stores: dict[str, MaalGraph], name: str, item: dict) -> None:
    answer = stores[name].ask(item["q"]).to_dict()
    why = judge(item, answer)
    assert why is None, f"{item['q']!r}: {why}\n{answer['answer']}"

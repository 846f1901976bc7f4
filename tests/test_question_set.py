"""The question sets of tests/questions/: free wording, typos, scopes, yes/no, why, series,
comparisons, unknown names and municipalities without data; statuses, target, actual and
baseline values, trends and other portals' agenda items. ``questions-dev`` and the two
held-out sets are asked on a store of three municipalities over two years; the formats sets
on one of twenty municipalities in other layouts and formats; ``seeds-rephrased`` (the shared
dev questions in other words) on the bundled corpus (tests/question_sets.py). The dev sets
were developed against; the others were written before they were first run (see
docs/questions.md)."""

from __future__ import annotations

import pytest
from question_sets import SET_STORES, judge, question_set, question_store

from maalgraph import MaalGraph

CASES = [(name, item) for name in SET_STORES for item in question_set(name)]


@pytest.fixture(scope="module")
def stores(example: MaalGraph) -> dict[str, MaalGraph]:
    """Each set's store, built once (the seeds' is the bundled corpus)."""
    built = {s: question_store(s) for s in set(SET_STORES.values()) - {"seeds"}}
    return {name: example if s == "seeds" else built[s] for name, s in SET_STORES.items()}


def test_the_sets_are_large_and_varied() -> None:
    items = [item for name, item in CASES if not name.startswith("seeds")]
    assert len(items) >= 150
    assert len({item["q"] for item in items}) == len(items), "a question is asked twice"
    families = {
        item["id"].split("-")[-2] if item["id"].count("-") >= 2 else item["id"].split("-")[0]
        for item in items
    }
    assert len(families) >= 15


@pytest.mark.parametrize(("name", "item"), CASES, ids=[f"{n}:{i['id']}" for n, i in CASES])
def test_question(stores: dict[str, MaalGraph], name: str, item: dict) -> None:
    answer = stores[name].ask(item["q"]).to_dict()
    why = judge(item, answer)
    assert why is None, f"{item['q']!r}: {why}\n{answer['answer']}"

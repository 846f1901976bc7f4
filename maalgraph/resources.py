"""Find the files maalgraph ships: ontology, named queries and the example corpus.

``ontology/`` and ``queries/`` live at the top of the repository (the single source of
truth). A wheel carries copies under ``maalgraph/_data/``; an editable install or a
checkout reads the top-level folders directly.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"maalgraph's {name}/ folder is missing next to {_PACKAGE}; reinstall the package"
    )


def ontology_dir() -> Path:
    """The folder holding ``maal.ttl`` and ``shapes.ttl``."""
    return _find("ontology")


def queries_dir() -> Path:
    """The folder holding the named ``.rq`` queries."""
    return _find("queries")


def corpus_files() -> list[Path]:
    """The bundled example corpus (public municipal records)."""
    return sorted((_PACKAGE / "corpus").glob("*.txt"))


def gazetteer_file() -> Path:
    """The default gazetteer shipped with the package."""
    return _PACKAGE / "gazetteer.tsv"

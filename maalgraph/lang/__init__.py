"""Language data: the words and patterns maalgraph reads documents and questions with.

Vocabularies are data, not code (spaCy-style): one small file per concern under
``maalgraph/lang/<language>/`` — JSON Lines (one pattern or entry per line) or TOML (tables
of words). The document reader and the question layer load the same files, so a
municipality's own wording is added in one place, as data. Files are read once per
process and shared read-only between threads.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_LANG = Path(__file__).resolve().parent


def data_file(language: str, name: str) -> Path:
    """The path of one data file, e.g. ``data_file("da", "verdicts.jsonl")``."""
    path = _LANG / language / name
    if not path.is_file():
        raise FileNotFoundError(
            f"maalgraph's language file {language}/{name} is missing; reinstall the package"
        )
    return path


@functools.cache
def load_jsonl(language: str, name: str) -> tuple[dict[str, Any], ...]:
    """The entries of ``<language>/<name>.jsonl`` (blank lines and ``//`` comments skipped)."""
    return tuple(entry for _, entry in numbered_jsonl(language, name))


def numbered_jsonl(language: str, name: str) -> list[tuple[int, dict[str, Any]]]:
    """The entries of ``<language>/<name>.jsonl`` with their line numbers, for error messages
    that name file and line (read anew on each call: loaders call it once per process)."""
    path = data_file(language, f"{name}.jsonl")
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            entries.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not a JSON object ({exc.msg})") from exc
    return entries


@functools.cache
def load_toml(language: str, name: str) -> dict[str, Any]:
    """The tables of ``<language>/<name>.toml``."""
    path = data_file(language, f"{name}.toml")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: {exc}") from exc

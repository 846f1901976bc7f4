"""The language data loader: files are found, parsed, and bad lines named."""

from __future__ import annotations

from pathlib import Path

import pytest

import maalgraph.lang as lang


def test_jsonl_skips_comments_and_names_a_bad_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "words.jsonl").write_text(
        '// a comment\n\n{"label": "A"}\n{broken\n', encoding="utf-8"
    )
    monkeypatch.setattr(lang, "_LANG", tmp_path)
    lang.load_jsonl.cache_clear()
    with pytest.raises(ValueError, match=r"words.jsonl:4"):
        lang.load_jsonl("xx", "words")
    (tmp_path / "xx" / "words.jsonl").write_text(
        '// a comment\n\n{"label": "A"}\n', encoding="utf-8"
    )
    lang.load_jsonl.cache_clear()
    assert lang.load_jsonl("xx", "words") == ({"label": "A"},)
    lang.load_jsonl.cache_clear()


def test_missing_file_says_which(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lang, "_LANG", tmp_path)
    lang.load_toml.cache_clear()
    with pytest.raises(FileNotFoundError, match="xx/none.toml"):
        lang.load_toml("xx", "none")
    lang.load_toml.cache_clear()

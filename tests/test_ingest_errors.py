"""Bad input: a clear error naming file and line (or a warning), never a half-written store."""

from __future__ import annotations

from pathlib import Path

import pytest

from maalgraph import IngestError, MaalGraph

FOLLOWUP_HEAD = (
    "Målopfølgning for budget 2022\n\nServiceområde\t17 Forsørgelse\nFokusområde\tUnge i job\n"
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Hej\nDette er bare en tekst.\n", "unknown document format"),
        (
            "Udvalg: Beskæftigelsesudvalget\nMødedato: 1. maj 2021\n\nBeslutning\nGodkendt.\n",
            "numbered item",
        ),
    ],
)
def test_refused_files(kg: MaalGraph, tmp_path: Path, content: str | bytes, message: str) -> None:
    path = write(tmp_path, "doc.txt", content)
    with pytest.raises(IngestError, match=message) as info:
        kg.ingest(path)
    assert info.value.path == str(path)
    assert kg.documents() == []


def test_non_utf8_names_the_line(kg: MaalGraph, tmp_path: Path, seeds) -> None:
    text = seeds["followup"].read_text(encoding="utf-8")
    path = write(tmp_path, "latin1.txt", text.encode("cp1252", errors="replace"))
    with pytest.raises(IngestError, match="UTF-8") as info:
        kg.ingest(path)
    assert info.value.line == 3  # "Målopfølgning" is on line 3
    assert ":3:" in str(info.value)


def test_huge_file_is_refused_quickly(kg: MaalGraph, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.write(FOLLOWUP_HEAD.encode())
        f.write(b"x" * (50 * 1024 * 1024))
    with pytest.raises(IngestError, match="MB limit"):
        kg.ingest(path)


def test_missing_file_and_directory(kg: MaalGraph, tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot read"):
        kg.ingest(tmp_path / "nope.txt")
    with pytest.raises(IngestError, match="directory"):
        kg.ingest(tmp_path)


def test_ad_beyond_goals_is_a_warning(kg: MaalGraph, tmp_path: Path) -> None:
    path = write(tmp_path, "ad5.txt", FOLLOWUP_HEAD
                 + "Mål\t<p>Flere unge i job.</p> <p>Færre unge på ydelse.</p>\n"
                 "Status på opfyldelse af mål\t<p>Ad 1: Målet er opfyldt.</p> <p>Ad 2: Målet er opfyldt.</p>"
                 " <p>Ad 5: Målet er opfyldt.</p>\n")  # fmt: skip
    report = kg.ingest(path)
    assert any("'Ad 5'" in w and "2 goals" in w and w.startswith("line 6") for w in report.warnings)
    assert kg.named("goal_count").rows == [{"count": 2}]


def test_field_without_value_is_a_warning(kg: MaalGraph, tmp_path: Path) -> None:
    path = write(tmp_path, "novalue.txt", FOLLOWUP_HEAD
                 + "Mål\t<p>Flere unge i job.</p>\nVeje til målet\t\n"
                 "Status på opfyldelse af mål\t<p>Ad 1: Målet er delvist opfyldt.</p>\n")  # fmt: skip
    report = kg.ingest(path)
    assert any("line 6" in w and "'Veje til målet' has no value" in w for w in report.warnings)


def test_truncated_document(kg: MaalGraph, tmp_path: Path, seeds) -> None:
    text = seeds["followup"].read_text(encoding="utf-8")
    cut = text[: text.index("Ad 2: Fra 2019")]  # ends inside an unclosed <p>
    report = kg.ingest(write(tmp_path, "cut.txt", cut))
    assert any("not closed" in w for w in report.warnings)
    assert any("goal 2.2 has no assessment" in w for w in report.warnings)
    assert kg.named("goal_count").rows == [{"count": 6}]


def test_focus_area_without_goals_warns(kg: MaalGraph, tmp_path: Path) -> None:
    path = write(tmp_path, "nogoals.txt", FOLLOWUP_HEAD + "Mål\t\n")
    report = kg.ingest(path)
    assert any("focus area 1" in w and "has no goals" in w for w in report.warnings)
    assert any("line 5" in w and "'Mål' has no value" in w for w in report.warnings)
    assert kg.named("goal_count").rows == [{"count": 0}]


def test_failed_document_does_not_stop_others(kg: MaalGraph, tmp_path: Path, seeds) -> None:
    bad = write(tmp_path, "bad.txt", b"")
    failures = []
    reports = kg.ingest_many(
        [bad, seeds["followup"]],
        on_done=lambda p, r: failures.append(p) if isinstance(r, Exception) else None,
    )
    assert [r.path for r in reports] == [seeds["followup"]]
    assert failures == [bad]

"""Bad input: a clear error naming file and line (or a warning), never a traceback, a stall or
a half-written store; any readable document ingests, with warnings saying what was not found."""

from __future__ import annotations

import time
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
    ("name", "content", "message"),
    [
        ("doc.txt", b"", "empty"),
        ("doc.txt", b"   \n\n", "empty"),
        ("doc.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("doc.pdf", b"%PDF-1.4\n%garbage that is no PDF at all\n", "PDF"),
        ("doc.docx", b"PK\x03\x04 this is no zip", "zip|Word"),
        ("doc.doc", b"\xd0\xcf\x11\xe0 old word", "old Word format"),
        ("doc.xlsx", b"PK\x03\x04", "spreadsheet|zip"),
    ],
)
def test_refused_files(
    kg: MaalGraph, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(IngestError, match=message) as info:
        kg.ingest(path)
    assert info.value.path == str(path)
    assert kg.documents() == []


def test_scanned_pdf_needs_ocr(kg: MaalGraph, tmp_path: Path) -> None:
    """A PDF with pages but no text layer (a scan) is refused with the fix: OCR."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(50, 50, 400, 600, fill=1)  # an "image" of a page: no text at all
    pdf.showPage()
    pdf.save()
    with pytest.raises(IngestError, match="OCR") as info:
        kg.ingest(path)
    assert info.value.path == str(path) and "scan" in str(info.value)


def test_unknown_layout_ingests_with_warnings(kg: MaalGraph, tmp_path: Path) -> None:
    path = write(tmp_path, "note.txt", "Hej\n\nDette er bare en tekst om Blå Kors.\n")
    report = kg.ingest(path)
    assert report.kind == "document"
    assert any("fandt ingen mål" in w for w in report.warnings)
    assert kg.named("goal_count").rows == [{"count": 0}]
    paragraphs = kg.query(
        "SELECT ?t WHERE { ?p a <https://w3id.org/maalgraph/def#Paragraph> ; "
        "<https://w3id.org/maalgraph/def#text> ?t }"
    ).rows
    assert {"t": "Dette er bare en tekst om Blå Kors."} in paragraphs  # citable


def test_agenda_item_without_a_numbered_item(kg: MaalGraph, tmp_path: Path) -> None:
    path = write(tmp_path, "item.txt",
                 "Udvalg: Beskæftigelsesudvalget\nMødedato: 1. maj 2021\n\nBeslutning\n\nGodkendt.\n")  # fmt: skip
    report = kg.ingest(path)
    assert report.kind == "agenda-item"
    (row,) = kg.named("committee_handling").rows
    assert row["committeeLabel"] == "Beskæftigelsesudvalget" and row["outcomeLabel"] == "godkendt"


def test_cp1252_is_read_with_a_warning(kg: MaalGraph, tmp_path: Path, seeds) -> None:
    text = seeds["followup"].read_text(encoding="utf-8")
    path = write(tmp_path, "latin1.txt", text.encode("cp1252", errors="replace"))
    report = kg.ingest(path)
    assert any("ikke UTF-8" in w and "cp1252" in w.casefold() for w in report.warnings)
    assert kg.named("goal_count").rows == [{"count": 12}]
    titles = {r["title"] for r in kg.named("documents").rows}
    assert titles == {"Målopfølgning for budget 2020"}


def test_utf16_is_read(kg: MaalGraph, tmp_path: Path, seeds) -> None:
    text = seeds["followup"].read_text(encoding="utf-8")
    kg.ingest(write(tmp_path, "utf16.txt", text.encode("utf-16")))
    assert kg.named("goal_count").rows == [{"count": 12}]


def test_huge_file_is_refused_quickly(kg: MaalGraph, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.write(FOLLOWUP_HEAD.encode())
        f.write(b"x" * (50 * 1024 * 1024))
    with pytest.raises(IngestError, match="MB limit"):
        kg.ingest(path)


def test_five_megabyte_single_line(kg: MaalGraph, tmp_path: Path) -> None:
    """One 5 MB line is no paragraph of prose: a clear error naming the line, no traceback
    from the NLP (whose limit is 1,000,000 characters) and no stall."""
    path = write(tmp_path, "oneline.txt", "Målet er opfyldt. " * 290_000)
    started = time.perf_counter()
    with pytest.raises(IngestError, match="paragraph of more than") as info:
        kg.ingest(path)
    assert info.value.line == 1 and f"{path}:1:" in str(info.value)
    assert time.perf_counter() - started < 30
    assert kg.documents() == []


def test_nested_paragraphs_do_not_flood_warnings(kg: MaalGraph, tmp_path: Path) -> None:
    """50,000 nested, unclosed <p> in a field value: one summarised warning, not 50,001."""
    value = "<p>" * 50_000 + "Ad 1: Målet er opfyldt."
    path = write(tmp_path, "nested.txt", FOLLOWUP_HEAD + "Mål\tFlere unge i job.\n"
                 f"Status på opfyldelse af mål\t{value}\n")  # fmt: skip
    report = kg.ingest(path)
    assert len(report.warnings) < 30
    assert any("50000 <p> er ikke lukket" in w for w in report.warnings)
    html = write(tmp_path, "nested.html", "<html><body>" + "<p>" * 50_000 + "Tekst</body></html>")
    assert len(kg.ingest(html).warnings) < 30


def test_many_warnings_are_summarised(kg: MaalGraph, tmp_path: Path) -> None:
    lines = [f"Mål\t<p>Mål nummer {n}" for n in range(200)]
    path = write(tmp_path, "many.txt", FOLLOWUP_HEAD + "\n".join(lines) + "\n")
    warnings = kg.ingest(path).warnings
    assert len(warnings) < 80
    assert any(w.startswith("… og ") and "advarsler mere af samme slags" in w for w in warnings)


@pytest.mark.parametrize("caps", ["DROP ALL", "SERVICE", "INSERT DATA", "SELECT"])
def test_capitals_and_sparql_keywords_are_no_partners(
    kg: MaalGraph, tmp_path: Path, caps: str
) -> None:
    path = write(tmp_path, "caps.txt", FOLLOWUP_HEAD + "Mål\tFlere unge i job.\n"
                 f"Status på opfyldelse af mål\tAd 1: Vi samarbejder med {caps} og Blå Kors. Målet er opfyldt.\n")  # fmt: skip
    kg.ingest(path)
    labels = {r["label"] for r in kg.named("entities").rows}
    assert "Blå Kors" in labels
    assert not any(caps.split()[0] in label for label in labels)


def test_ad_beyond_goals_is_a_warning(kg: MaalGraph, tmp_path: Path) -> None:
    path = write(tmp_path, "ad5.txt", FOLLOWUP_HEAD
                 + "Mål\t<p>Flere unge i job.</p> <p>Færre unge på ydelse.</p>\n"
                 "Status på opfyldelse af mål\t<p>Ad 1: Målet er opfyldt.</p> <p>Ad 2: Målet er opfyldt.</p>"
                 " <p>Ad 5: Målet er opfyldt.</p>\n")  # fmt: skip
    report = kg.ingest(path)
    assert any("'Ad 5'" in w and "2 mål" in w and w.startswith("linje 6") for w in report.warnings)
    assert kg.named("goal_count").rows == [{"count": 2}]


def test_field_without_value_is_a_warning(kg: MaalGraph, tmp_path: Path) -> None:
    path = write(tmp_path, "novalue.txt", FOLLOWUP_HEAD
                 + "Mål\t<p>Flere unge i job.</p>\nVeje til målet\t\n"
                 "Status på opfyldelse af mål\t<p>Ad 1: Målet er delvist opfyldt.</p>\n")  # fmt: skip
    report = kg.ingest(path)
    assert any("linje 6" in w and "'Veje til målet' har ingen værdi" in w for w in report.warnings)


def test_truncated_document(kg: MaalGraph, tmp_path: Path, seeds) -> None:
    text = seeds["followup"].read_text(encoding="utf-8")
    cut = text[: text.index("Ad 2: Fra 2019")]  # ends inside an unclosed <p>
    report = kg.ingest(write(tmp_path, "cut.txt", cut))
    assert any("ikke lukket" in w for w in report.warnings)
    assert any("mål 2.2 har ingen vurdering" in w for w in report.warnings)
    assert kg.named("goal_count").rows == [{"count": 6}]


def test_focus_area_without_goals_warns(kg: MaalGraph, tmp_path: Path) -> None:
    path = write(tmp_path, "nogoals.txt", FOLLOWUP_HEAD + "Mål\t\n")
    report = kg.ingest(path)
    assert any("fokusområde 1" in w and "har ingen mål" in w for w in report.warnings)
    assert any("linje 5" in w and "'Mål' har ingen værdi" in w for w in report.warnings)
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

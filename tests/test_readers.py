"""The readers: every format gives the same block model, with locators for provenance."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from maalgraph import MaalGraph
from maalgraph.cli import main
from maalgraph.ingest.blocks import Block, BlockKind, Locator
from maalgraph.ingest.readers import FORMATS, read_blocks


def kinds(blocks: list[Block]) -> list[tuple[str, str]]:
    return [(b.kind.value, b.full_text) for b in blocks]


def test_locators_read_as_references() -> None:
    assert Locator(page=3, table=1, row=2).describe() == "side 3, tabel 1, række 2"
    assert Locator(line=12).describe() == "linje 12"
    assert Locator(paragraph=7).describe() == "afsnit 7"
    assert Locator(page=2, line=4).describe() == "side 2"


def test_text_blocks(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "Opfølgning 2022\n\nFokusområde\tTrivsel\nStatus: Delvist opfyldt\n\n"
        "3. Et nummereret punkt\n\n • Første punkt.\n   Målet er nået.\n • Andet punkt\n\n"
        "Mål\tStatus\tBemærkning\nFlere i job\tGrøn\tGodt\n",
        encoding="utf-8",
    )
    blocks = read_blocks(path).blocks
    assert kinds(blocks) == [
        ("heading", "Opfølgning 2022"),
        ("field", "Fokusområde: Trivsel"),
        ("field", "Status: Delvist opfyldt"),
        ("heading", "3. Et nummereret punkt"),
        ("list-item", "Første punkt. Målet er nået."),
        ("list-item", "Andet punkt"),
        ("table-row", "Flere i job | Grøn | Godt"),
    ]
    assert blocks[4].note == "Målet er nået." and blocks[4].locator == Locator(line=8)
    assert blocks[-1].headers == ("Mål", "Status", "Bemærkning")
    assert blocks[-1].locator.describe() == "tabel 1, række 1, linje 13"


def test_html_drops_chrome_and_never_leaks_markup(tmp_path: Path) -> None:
    path = tmp_path / "side.html"
    path.write_text(
        """<html><head><title>Side</title><script>var x = "Projekt Skjult";</script></head><body>
        <nav><a>Forside</a></nav><header>Kommunens logo</header>
        <div class="cookie-banner">Vi bruger cookies</div>
        <main><h1>Målopfølgning 2022</h1>
        <p class="a>b">Synlig tekst <!-- <p>kommentar</p> --> fortsat.</p>
        <p><strong>Status:</strong> Opfyldt</p>
        <dl><dt>Ansvarlig</dt><dd>Teknik og Miljø</dd></dl>
        <ul><li>Et punkt<br>Målet er nået.</li></ul>
        <table><thead><tr><th>Mål</th><th>Status</th></tr></thead>
        <tbody><tr><td>Flere i job</td><td>Gul</td></tr></tbody></table>
        </main><footer>Adresse og kontakt</footer></body></html>""",
        encoding="utf-8",
    )
    doc = read_blocks(path)
    assert doc.format == "html" and doc.title_hint == "Side"
    assert kinds(doc.blocks) == [
        ("heading", "Målopfølgning 2022"),
        ("paragraph", "Synlig tekst fortsat."),
        ("field", "Status: Opfyldt"),
        ("field", "Ansvarlig: Teknik og Miljø"),
        ("list-item", "Et punkt Målet er nået."),
        ("table-row", "Flere i job | Gul"),
    ]
    text = " ".join(b.full_text for b in doc.blocks)
    for leaked in ("Projekt Skjult", "cookies", "Forside", "kommentar", "Adresse", "a>b", "logo"):
        assert leaked not in text
    assert doc.blocks[0].locator.line == 4


def test_markdown_blocks(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "# Titel\n\n## Fokusområde 1: Trivsel\n\n**Status:** Opfyldt\n\n- punkt *et*\n- punkt to\n\n"
        "| Mål | Status |\n|---|---|\n| Flere i job | Rød |\n",
        encoding="utf-8",
    )
    blocks = read_blocks(path).blocks
    assert [(b.kind.value, b.level) for b in blocks[:2]] == [("heading", 1), ("heading", 2)]
    assert kinds(blocks)[2:] == [
        ("field", "Status: Opfyldt"),
        ("list-item", "punkt et"),
        ("list-item", "punkt to"),
        ("table-row", "Flere i job | Rød"),
    ]
    assert blocks[-1].headers == ("Mål", "Status") and blocks[-1].locator.line == 12


def test_docx_styles_lists_forms_and_tables(tmp_path: Path) -> None:
    d = docx.Document()
    d.core_properties.title = "Årsrapport"
    d.add_heading("Årsrapport 2022", level=1)
    d.add_paragraph("Indledning.")
    d.add_paragraph("Et punkt", style="List Bullet")
    form = d.add_table(rows=0, cols=2)
    for label, value in (
        ("Fokusområde", "Sundhed for alle"),
        ("Mål", "Flere skal motionere hver uge."),
    ):
        cells = form.add_row().cells
        cells[0].text, cells[1].text = label, value
    form.rows[1].cells[1].add_paragraph("Færre skal ryge.")
    table = d.add_table(rows=2, cols=2)
    for cell, text in zip(
        table.rows[0].cells + table.rows[1].cells,
        ["Mål", "Status", "Flere i job", "Grøn"],
        strict=True,
    ):
        cell.text = text
    path = tmp_path / "a.docx"
    d.save(str(path))
    doc = read_blocks(path)
    assert doc.format == "docx" and doc.title_hint == "Årsrapport"
    assert kinds(doc.blocks) == [
        ("heading", "Årsrapport 2022"),
        ("paragraph", "Indledning."),
        ("list-item", "Et punkt"),
        ("field", "Fokusområde: Sundhed for alle"),
        ("field", "Mål: Flere skal motionere hver uge."),
        ("paragraph", "Færre skal ryge."),
        ("table-row", "Flere i job | Grøn"),
    ]
    assert doc.blocks[5].part == 1  # a further paragraph of the goal field's value
    assert doc.blocks[1].locator.describe() == "afsnit 2"
    assert doc.blocks[-1].locator.describe() == "tabel 2, række 1"


def _pdf(path: Path) -> Path:
    styles = getSampleStyleSheet()
    table = Table([["Mål", "Status"], ["Flere i job", "Grøn"], ["Færre på kontanthjælp", "Rød"]])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))

    def running(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("Helvetica", 8)
        canvas.drawString(50, 25, f"Solby Kommune · Side {document.page}")

    story = [Paragraph("Målopfølgning 2022", styles["Title"]),
             Paragraph("Her er status på målene.", styles["BodyText"]), PageBreak(),
             Paragraph("Resultater", styles["Heading2"]), table]  # fmt: skip
    SimpleDocTemplate(str(path), pagesize=A4).build(
        story, onFirstPage=running, onLaterPages=running
    )
    return path


def test_pdf_pages_headings_tables_and_running_footers(tmp_path: Path) -> None:
    doc = read_blocks(_pdf(tmp_path / "a.pdf"))
    assert doc.format == "pdf" and doc.pages == 2
    assert kinds(doc.blocks) == [
        ("heading", "Målopfølgning 2022"),
        ("paragraph", "Her er status på målene."),
        ("heading", "Resultater"),
        ("table-row", "Flere i job | Grøn"),
        ("table-row", "Færre på kontanthjælp | Rød"),
    ]  # the footer "Solby Kommune · Side N" is dropped
    assert doc.blocks[-1].locator.describe() == "side 2, tabel 1, række 2"


def test_provenance_reads_the_same_for_every_format(kg: MaalGraph, tmp_path: Path) -> None:
    """A fact from a PDF table points to its paragraph, and the paragraph says where it is."""
    kg.ingest(_pdf(tmp_path / "solby-2022.pdf"))
    rows = kg.query(
        "PREFIX maal: <https://w3id.org/maalgraph/def#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "SELECT ?text ?where WHERE { ?g a maal:Goal ; maal:text ?text ; prov:wasDerivedFrom ?p . "
        "?p maal:locator ?where } ORDER BY ?where"
    ).rows
    assert rows == [
        {"text": "Flere i job", "where": "side 2, tabel 1, række 1"},
        {"text": "Færre på kontanthjælp", "where": "side 2, tabel 1, række 2"},
    ]
    verdicts = {r["text"]: r["verdictLabel"] for r in kg.named("goals").rows}
    assert verdicts == {"Flere i job": "opfyldt", "Færre på kontanthjælp": "ikke opfyldt"}


@pytest.mark.parametrize(
    ("name", "data", "fmt"),
    [("noget.txt", b"%PDF-1.4", "pdf"), ("side", b"<!DOCTYPE html><html><p>Hej</p></html>", "html"),
     ("noter", "Målet er nået.".encode("cp1252"), "txt")],
)  # fmt: skip
def test_format_from_content(tmp_path: Path, name: str, data: bytes, fmt: str) -> None:
    from maalgraph.ingest.readers import detect_format
    from maalgraph.ingest.reading import RawFile

    assert detect_format(RawFile(tmp_path / name, data)) == fmt


def test_utf16_without_bom_and_latin1(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Målopfølgning 2022\n\nMålet er nået.\n".encode("utf-16-le"))
    assert read_blocks(path).blocks[1].text == "Målet er nået."
    path.write_bytes("Målopfølgning 2022\n\nÆldre og børn får støtte.\n".encode("latin-1"))
    doc = read_blocks(path)
    assert doc.blocks[1].text == "Ældre og børn får støtte." and doc.warnings


def test_formats_command_lists_every_reader() -> None:
    result = CliRunner().invoke(main, ["formats"])
    assert result.exit_code == 0
    for fmt in FORMATS:
        assert fmt.name in result.output and fmt.suffixes[0] in result.output
    assert "OCR" in result.output and "python-docx (MIT)" in result.output


def test_block_kinds_are_all_produced() -> None:
    """Each kind of the block model is produced by some reader (tests above)."""
    assert {k.value for k in BlockKind} == {
        "heading",
        "field",
        "paragraph",
        "list-item",
        "table-row",
    }


def test_docx_content_controls_are_read(tmp_path: Path) -> None:
    """Municipal Word templates keep their fields in content controls (w:sdt)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.add_heading("Målopfølgning 2023", level=1)
    d.element.body.insert(1, parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtContent><w:p><w:r><w:t>Mål: Flere i job.</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>Status: Opfyldt</w:t></w:r></w:p></w:sdtContent></w:sdt>"))  # fmt: skip
    path = tmp_path / "skabelon.docx"
    d.save(str(path))
    assert kinds(read_blocks(path).blocks)[1:] == [
        ("field", "Mål: Flere i job."),
        ("field", "Status: Opfyldt"),
    ]


def test_html_status_colours_without_text(tmp_path: Path) -> None:
    path = tmp_path / "farver.html"
    path.write_text(
        "<table><tr><th>Mål</th><th>Status</th></tr>"
        '<tr><td>Flere i job</td><td style="background-color:#00b050"></td></tr>'
        '<tr><td>Færre ledige</td><td class="status-red"></td></tr>'
        '<tr><td>Kortere ventetid</td><td bgcolor="#FFC000">&nbsp;</td></tr></table>',
        encoding="utf-8",
    )
    assert [b.cells[1] for b in read_blocks(path).blocks] == ["grøn", "rød", "gul"]

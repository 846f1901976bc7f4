"""Build the Word and PDF documents of this dev corpus (run once; the files are committed).

They are made the way municipalities' own tools make them — python-docx with Word's styles
and tables, reportlab with fonts, running headers and ruled tables — so that the readers are
tested on real files, not on text pretending to be one. ``python tests/data/corpus/build.py``
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.shared import Pt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).parent


def egeskov() -> None:
    """Label–value forms in two-column tables, one per focus area."""
    d = docx.Document()
    d.core_properties.title = "Målopfølgning 2021"
    d.add_heading("Egeskov Kommune – Målopfølgning 2021", level=0)
    d.add_paragraph("Socialudvalgets mål for 2021 og status ved årets udgang.")
    areas = [
        ("Fokusområde", "Færre hjemløse"),
        ("Målsætning", "Antallet af hjemløse skal halveres fra 2019 til 2023."),
        (
            "Status",
            "Antallet af hjemløse faldt fra 62 i 2019 til 45 i 2021. Målsætningen er delvist opfyldt. "
            "Indsatsen sker i samarbejde med Kirkens Korshær og Boligforeningen Egehjem.",
        ),
    ]
    second = [
        ("Fokusområde", "Bedre psykisk sundhed"),
        ("Målsætning", "Ventetiden til samtaleforløb må højst være 4 uger."),
        (
            "Status",
            "Ventetiden var i gennemsnit 3 uger. Målsætningen er opfyldt. "
            "Tilbuddet Åben Samtale drives sammen med Psykiatrifonden.",
        ),
    ]
    third = [
        ("Fokusområde", "Inklusion på arbejdsmarkedet"),
        ("Målsætning", "Flere borgere med handicap skal i beskæftigelse."),
        (
            "Status",
            "Der var 118 borgere i fleksjob eller job med løntilskud mod 131 året før. "
            "Målsætningen er ikke opfyldt.",
        ),
    ]
    for rows in (areas, second, third):
        table = d.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
        d.add_paragraph("")
    d.add_paragraph("Ansvarlig: Socialchef Bent Mikkelsen")
    d.save(str(HERE / "egeskov-maalopfoelgning-2021.docx"))


def havbo() -> None:
    """Headings, a bulleted list of goals each with its own verdict, a mayor and a party."""
    d = docx.Document()
    d.add_heading("Ungepolitikken – status for 2020", level=1)
    p = d.add_paragraph("Havbo Kommune følger hvert år op på ungepolitikken. ")
    p.add_run("Status for de tre mål:").bold = False
    for text in (
        "Alle unge skal have en ungdomsuddannelse eller et job. Andelen var 91 % i 2020. Målet er delvist opfyldt.",
        "Flere unge skal være en del af et fritidsfællesskab. 2.340 unge var medlem af en forening. Målet er opfyldt.",
        "Færre unge skal føle sig ensomme. Andelen steg fra 17 % til 19 %. Målet er ikke opfyldt.",
    ):
        d.add_paragraph(text, style="List Bullet")
    d.add_heading("Samarbejde", level=2)
    d.add_paragraph(
        "Indsatserne gennemføres med Ungdomsskolen Havbo, FDF Havbo og Headspace Havbo. "
        "Projektet Ung i Havbo er støttet af Dansk Folkeparti og Venstre i byrådet."
    )
    quote = d.add_paragraph("Vi når langt med foreningerne, siger borgmester Kirsten Lund.")
    quote.runs[0].font.size = Pt(10)
    d.save(str(HERE / "havbo-ungepolitik-2020.docx"))


def _header_footer(name: str):  # type: ignore[no-untyped-def]
    def draw(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(50, A4[1] - 30, name)
        canvas.drawString(50, 25, f"Side {document.page}")
        canvas.restoreState()

    return draw


def lyngbjerg() -> None:
    """A narrative report over two pages: large headings, running header and footer."""
    styles = getSampleStyleSheet()
    body, h1, h2 = styles["BodyText"], styles["Title"], styles["Heading2"]
    story = [
        Paragraph("Effektregnskab 2022", h1),
        Paragraph(
            "Lyngbjerg Kommune gør hvert år status på byrådets effektmål. Effektregnskabet for 2022 "
            "omfatter tre effektmål.",
            body,
        ),
        Paragraph("Effektmål: Flere borgere i beskæftigelse", h2),
        Paragraph(
            "Beskæftigelsesfrekvensen var 77,2 % i 2022 mod 75,8 % i 2021. Målet på 77 % er dermed "
            "indfriet. Jobcentret har samarbejdet med Lyngbjerg Erhvervsforum og 3F Lyngbjerg.",
            body,
        ),
        Paragraph("Effektmål: Kortere ventetid på pladser i dagtilbud", h2),
        Paragraph(
            "Ventetiden var 38 dage. Målet var højst 30 dage, og målet er ikke indfriet. "
            "Forligspartierne Socialdemokratiet og Venstre har afsat midler til flere pladser.",
            body,
        ),
        PageBreak(),
        Paragraph("Effektmål: Et renere vandmiljø", h2),
        Paragraph(
            "Kvaliteten af vandløbene er forbedret på 14 af 20 målestationer. Målet er delvist indfriet. "
            "Projektet Rent Vand i Lyngbjerg gennemføres med Miljøstyrelsen, siger vandchef "
            "Jens Hansen.",
            body,
        ),
    ]
    name = "Lyngbjerg Kommune · Effektregnskab 2022"
    doc = SimpleDocTemplate(str(HERE / "lyngbjerg-effektregnskab-2022.pdf"), pagesize=A4,
                            title="Effektregnskab 2022")  # fmt: skip
    doc.build(story, onFirstPage=_header_footer(name), onLaterPages=_header_footer(name))


def mosede() -> None:
    """A ruled table of goals with traffic-light colours and no legend."""
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    rows = [
        ["Mål", "Status", "Kommentar"],
        [
            Paragraph("Flere ledige skal i job inden for et år.", body),
            "Grøn",
            Paragraph(
                "Afgangen til job steg fra 48 % til 53 %. Sket med Mosede Erhvervsskole.", body
            ),
        ],
        [
            Paragraph("Færre unge på kontanthjælp.", body),
            "Rød",
            Paragraph("Antallet steg fra 210 til 236 unge.", body),
        ],
        [
            Paragraph("Flere sygemeldte skal tilbage i arbejde.", body),
            "Gul",
            Paragraph(
                "Varigheden faldt til 19 uger; projektet Hurtigt Tilbage med PensionDanmark fortsætter.",
                body,
            ),
        ],
    ]
    table = Table(rows, colWidths=[170, 60, 230])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))  # fmt: skip
    story = [
        Paragraph("Mosede Kommune – Beskæftigelsesplan 2021, opfølgning", styles["Title"]),
        Paragraph("Beskæftigelsesudvalget har fulgt op på planens mål for 2021.", body),
        Spacer(1, 12),
        table,
    ]
    doc = SimpleDocTemplate(str(HERE / "mosede-beskaeftigelse-2021.pdf"), pagesize=A4)
    doc.build(story)


def solvang() -> None:
    """Traffic lights as shaded table cells without text, as Word users colour them."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def shade(cell, fill: str) -> None:  # type: ignore[no-untyped-def]
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shd)

    d = docx.Document()
    d.add_heading("Kvalitetsopfølgning 2023 – Dagtilbud", level=1)
    d.add_paragraph(
        "Solvang Kommunes dagtilbud følger op på børne- og ungepolitikkens målsætninger."
    )
    rows = [
        (
            "Alle børn skal have et godt sprog ved skolestart.",
            "00B050",
            "94 % af børnene bestod sprogvurderingen mod 91 % året før. Indsatsen Sprogstart drives med Solvang Bibliotek.",
        ),
        (
            "Færre børn skal skifte dagtilbud.",
            "FFC000",
            "Skiftene faldt fra 120 til 104 i samarbejde med Forældrerådet i Solvang.",
        ),
        (
            "Flere pædagoger skal have en uddannelse.",
            "FF0000",
            "Andelen var 58 % mod 60 % året før; rekrutteringen lykkedes ikke.",
        ),
    ]
    table = d.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Målsætning", "Status", "Kommentar"), strict=True):
        cell.text = text
    for goal, fill, comment in rows:
        cells = table.add_row().cells
        cells[0].text, cells[2].text = goal, comment
        shade(cells[1], fill)
    d.save(str(HERE / "solvang-kvalitetsopfoelgning-2023.docx"))


if __name__ == "__main__":
    solvang()
    egeskov()
    havbo()
    lyngbjerg()
    mosede()

"""Write a document's blocks back out as DOCX, PDF, HTML, Markdown or text, with real writers
(python-docx, reportlab, lxml), the way an office program or a web portal would lay it out:
headings in heading styles or larger fonts, runs of label–value fields as a form (a two-column
table) or as "Label: value" lines, list items as bullets with the verdict line below, tables as
ruled tables with a header row. The format-invariance tests convert the seeds and the dev
corpus with these and check that every format yields the same facts."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import docx
import lxml.html
from lxml.html import builder as E
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from maalgraph.ingest.blocks import Block, BlockKind
from maalgraph.ingest.lexicon import Role, lexicon


def runs(blocks: list[Block]) -> Iterator[tuple[str, list[Block]]]:
    """Blocks grouped as a writer lays them out: a field with its further paragraphs, runs of
    fields (a form), rows of one table, single blocks."""
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind is BlockKind.FIELD:
            j = i + 1
            while j < len(blocks) and (blocks[j].part or blocks[j].kind is BlockKind.FIELD):
                j += 1
            yield "fields", blocks[i:j]
        elif block.kind is BlockKind.TABLE_ROW:
            j = i + 1
            while (
                j < len(blocks)
                and blocks[j].kind is BlockKind.TABLE_ROW
                and blocks[j].locator.table == block.locator.table
            ):
                j += 1
            yield "table", blocks[i:j]
        elif block.kind is BlockKind.LIST_ITEM:
            j = i + 1
            while j < len(blocks) and blocks[j].kind is BlockKind.LIST_ITEM and not blocks[j].part:
                j += 1
            yield "list", blocks[i:j]
        else:
            j = i + 1
            yield block.kind.value, [block]
        i = j


def form_rows(fields: list[Block]) -> list[tuple[str, list[str]]]:
    """(label, value paragraphs) for a run of fields and their further paragraphs."""
    rows: list[tuple[str, list[str]]] = []
    for block in fields:
        if block.kind is BlockKind.FIELD:
            rows.append((block.label, [block.text] if block.text else []))
        else:
            rows[-1][1].append(block.text)
    return rows


def _is_form(fields: list[Block]) -> bool:
    """Several fields, or a field whose value has several paragraphs, make a form."""
    rows = form_rows(fields)
    return len(rows) >= 2 or any(len(values) > 1 for _, values in rows)


# ---------------------------------------------------------------------- DOCX (python-docx)


def write_docx(blocks: list[Block], path: Path) -> Path:
    d = docx.Document()
    for kind, group in runs(blocks):
        if kind == "heading":
            d.add_heading(group[0].text, level=min(group[0].level, 6) or 1)
        elif kind == "fields" and _is_form(group):
            table = d.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, values in form_rows(group):
                cells = table.add_row().cells
                cells[0].text = label
                cells[1].text = values[0] if values else ""
                for value in values[1:]:
                    cells[1].add_paragraph(value)
            d.add_paragraph("")
        elif kind == "fields":
            label, values = form_rows(group)[0]
            d.add_paragraph(f"{label}: {values[0] if values else ''}".rstrip())
        elif kind == "list":
            for item in group:
                p = d.add_paragraph(item.text, style="List Bullet")
                if item.note:
                    p.add_run().add_break()
                    p.add_run(item.note)
        elif kind == "table":
            headers = group[0].headers or tuple("" for _ in group[0].cells)
            table = d.add_table(rows=1, cols=len(headers))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, headers, strict=True):
                cell.text = text
            for row in group:
                for cell, text in zip(table.add_row().cells, row.cells, strict=False):
                    cell.text = text
        else:
            d.add_paragraph(group[0].text)
    d.save(str(path))
    return path


# ---------------------------------------------------------------------- PDF (reportlab)


def write_pdf(blocks: list[Block], path: Path) -> Path:
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    headings = {1: styles["Title"], 2: styles["Heading2"], 3: styles["Heading3"]}
    item_style = ParagraphStyle("item", parent=body, leftIndent=14, bulletIndent=2)
    part_style = ParagraphStyle("part", parent=body, leftIndent=24)
    story: list[object] = []

    def para(text: str, style: ParagraphStyle, **kw: str) -> Paragraph:
        return Paragraph(html.escape(text), style, **kw)

    for kind, group in runs(blocks):
        if kind == "heading":
            story.append(para(group[0].text, headings.get(group[0].level, styles["Heading3"])))
        elif kind == "fields":
            for label, values in form_rows(group):
                first = values[0] if values else ""
                story.append(Paragraph(f"<b>{html.escape(label)}:</b> {html.escape(first)}", body))
                for value in values[1:]:
                    story.append(
                        para(value, part_style)
                    )  # the value's further paragraphs, indented
        elif kind == "list":
            for item in group:
                text = html.escape(item.text) + (
                    f"<br/>{html.escape(item.note)}" if item.note else ""
                )
                story.append(Paragraph(text, item_style, bulletText="•"))
        elif kind == "table":
            headers = list(group[0].headers or ["" for _ in group[0].cells])
            cell_style = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
            rows = [[para(h, cell_style) for h in headers]]
            rows += [[para(c, cell_style) for c in r.cells] for r in group]
            width = 460 / max(1, len(headers))
            table = Table(rows, colWidths=[width] * len(headers))
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
            story += [table, Spacer(1, 10)]
        else:
            story.append(para(group[0].text, body))
    SimpleDocTemplate(str(path), pagesize=A4).build(story)  # type: ignore[arg-type]
    return path


# ---------------------------------------------------------------------- HTML (lxml)


def write_html(blocks: list[Block], path: Path, title: str = "Dokument") -> Path:
    main = E.MAIN()
    for kind, group in runs(blocks):
        if kind == "heading":
            main.append(getattr(E, f"H{min(max(group[0].level, 1), 6)}")(group[0].text))
        elif kind == "fields" and _is_form(group):
            table = E.TABLE(E.CLASS("form"))
            for label, values in form_rows(group):
                table.append(E.TR(E.TH(label), E.TD(*[E.P(v) for v in values])))
            main.append(table)
        elif kind == "fields":
            label, values = form_rows(group)[0]
            main.append(E.P(E.STRONG(f"{label}:"), " " + (values[0] if values else "")))
        elif kind == "list":
            ul = E.UL()
            for item in group:
                li = E.LI(item.text)
                if item.note:
                    li.append(E.BR())
                    li[-1].tail = item.note
                ul.append(li)
            main.append(ul)
        elif kind == "table":
            headers = group[0].headers or tuple("" for _ in group[0].cells)
            main.append(E.TABLE(E.THEAD(E.TR(*[E.TH(h) for h in headers])),
                                E.TBODY(*[E.TR(*[E.TD(c) for c in r.cells]) for r in group])))  # fmt: skip
        else:
            main.append(E.P(group[0].text))
    page = E.HTML(
        E.HEAD(E.META(charset="utf-8"), E.TITLE(title)),
        E.BODY(
            E.NAV(E.A("Forside", href="/"), " › ", E.A("Politik", href="/politik")),
            main,
            E.FOOTER("Kommunens hjemmeside · Kontakt · Cookies"),
        ),
    )
    path.write_bytes(lxml.html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8"))
    return path


# ---------------------------------------------------------------------- Markdown and text


def write_markdown(blocks: list[Block], path: Path) -> Path:
    out: list[str] = []
    for kind, group in runs(blocks):
        if kind == "heading":
            out.append("#" * min(max(group[0].level, 1), 6) + " " + group[0].text)
        elif kind == "fields":
            for label, values in form_rows(group):
                if lexicon().role(label) is Role.GOAL and len(values) > 1:
                    # an exporter lists a field of several goals as a list under its label
                    out.append(f"**{label}:**")
                    out.append("\n".join(f"- {v}" for v in values))
                    continue
                out.append(f"**{label}:** {values[0] if values else ''}".rstrip())
                out += values[1:]
        elif kind == "list":
            out.append(
                "\n".join(f"- {b.text}" + (f"\n\n  {b.note}" if b.note else "") for b in group)
            )
        elif kind == "table":
            headers = group[0].headers or tuple(" " for _ in group[0].cells)
            lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
            lines += ["| " + " | ".join(c.replace("|", "/") for c in r.cells) + " |" for r in group]
            out.append("\n".join(lines))
        else:
            out.append(group[0].text)
    path.write_text("\n\n".join(out) + "\n", encoding="utf-8")
    return path


def write_text(blocks: list[Block], path: Path) -> Path:
    """Plain text as a text export looks: a field per line ("Label: value") with its further
    paragraphs indented below, bullets with the verdict line indented, tables with tabs."""
    out: list[str] = []
    for kind, group in runs(blocks):
        if kind == "heading":
            out.append(group[0].text)
        elif kind == "fields":
            lines = []
            for label, values in form_rows(group):
                lines.append(f"{label}: {values[0] if values else ''}".rstrip())
                lines += [f"\n    {v}\n" for v in values[1:]]
            out.append("\n".join(lines))
        elif kind == "list":
            out.append(
                "\n".join(f" • {b.text}" + (f"\n   {b.note}" if b.note else "") for b in group)
            )
        elif kind == "table":
            headers = group[0].headers or tuple("" for _ in group[0].cells)
            out.append("\n".join("\t".join(row) for row in [headers, *(r.cells for r in group)]))
        else:
            out.append(group[0].text)
    path.write_text("\n\n".join(out) + "\n", encoding="utf-8")
    return path


WRITERS = {
    "docx": write_docx,
    "pdf": write_pdf,
    "html": write_html,
    "md": write_markdown,
    "txt": write_text,
}

"""Parse committee agenda items (dagsordenspunkter) into the typed model.

The format: header lines ``Udvalg:``, ``Mødedato:``, ``Mødested:``; the item line
("23. Opfølgning …"); ``Sagsnr.:`` and ``Sagsbehandler:``; then sections under plain
headings (Sagsresume, Sagsfremstilling, Indstilling, Beslutning, Bilag). The summary of
a follow-up appears in Sagsfremstilling as a focus-area heading followed by bullets, each a
goal with its verdict on the next, indented line.
"""

from __future__ import annotations

import datetime as dt
import re

from ..errors import IngestError
from ..model import AgendaItem, Paragraph, SummaryBullet, SummarySection, Warning_
from .markup import clean
from .reading import SourceText

MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip

_HEADER = re.compile(r"^\s*(udvalg|mødedato|møde dato|dato|mødested|sted)\s*:\s*(.*)$", re.I)
_CASE = re.compile(r"sagsnr\.?\s*:\s*(?P<case>[\w.\-/]+)", re.I)
_OFFICER = re.compile(r"sagsbehandler\s*:\s*(?P<officer>[^\t]+?)\s*$", re.I)
_ITEM = re.compile(r"^\s*(?P<n>\d{1,3})\.\s+(?P<title>\S.*)$")
_BULLET = re.compile(r"^\s*[•\-*–▪·]\s+")
_SECTIONS = {
    "sagsresume": "summary",
    "sagsresumé": "summary",
    "resume": "summary",
    "resumé": "summary",
    "sagsfremstilling": "presentation",
    "indstilling": "recommendation",
    "beslutning": "decision",
    "bilag": "attachments",
}


def looks_like_agenda(text: str) -> bool:
    head = text[:5000].casefold()
    return ("udvalg:" in head or "mødedato:" in head) and (
        "beslutning" in text.casefold() or "indstilling" in text.casefold()
    )


def parse_date(text: str) -> dt.date | None:
    """Danish or ISO date.

    >>> parse_date("tirsdag den 16. marts 2021"), parse_date("2021-03-16"), parse_date("16.03.2021")
    (datetime.date(2021, 3, 16), datetime.date(2021, 3, 16), datetime.date(2021, 3, 16))
    """
    text = text.casefold()
    try:
        if m := re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.search(r"(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4})", text)
        if m and m.group(2) in MONTHS:
            return dt.date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
        if m := re.search(r"(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})", text):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    return None


def parse_agenda(source: SourceText) -> AgendaItem:
    """Parse one agenda item; raises :class:`IngestError` when it has no committee or title."""
    warnings: list[Warning_] = []
    paragraphs: list[Paragraph] = []

    def paragraph(line: int, text: str, section: str) -> Paragraph:
        p = Paragraph(len(paragraphs) + 1, line, text, section)
        paragraphs.append(p)
        return p

    header: dict[str, tuple[int, str]] = {}
    item: tuple[int, int, str] | None = None
    case_number = case_officer = None
    sections: dict[str, list[tuple[int, str]]] = {}
    current: str | None = None
    for number, line in enumerate(source.lines, start=1):
        stripped = line.strip()
        key = stripped.casefold().rstrip(":")
        if key in _SECTIONS:
            current = _SECTIONS[key]
            sections.setdefault(current, [])
            continue
        if current is not None:
            sections[current].append((number, line))
            continue
        if m := _HEADER.match(line):
            name = m.group(1).casefold().replace(" ", "")
            name = {"dato": "mødedato", "sted": "mødested"}.get(name, name)
            header[name] = (number, m.group(2).strip())
        elif (m := _ITEM.match(line)) and item is None and not _CASE.search(line):
            item = (number, int(m.group("n")), clean(m.group("title")))
        if m := _CASE.search(line):
            case_number = m.group("case").rstrip(".")
        if m := _OFFICER.search(line):
            case_officer = clean(m.group("officer"))

    if "udvalg" not in header or not header["udvalg"][1]:
        raise IngestError("agenda item has no committee ('Udvalg: …' line)", path=source.path)
    committee_line, committee = header["udvalg"]
    if item is None:
        raise IngestError(
            "agenda item has no numbered item line such as '23. Opfølgning …'", path=source.path
        )
    item_line, item_number, title = item
    title_paragraph = paragraph(item_line, title, "Dagsordenspunkt")
    date_line, date_text = header.get("mødedato", (committee_line, ""))
    meeting_date = parse_date(date_text)
    if meeting_date is None:
        warnings.append(Warning_(date_line, f"meeting date {date_text!r} is missing or unreadable"))

    def text_of(name: str, label: str) -> tuple[str | None, Paragraph | None]:
        blocks = _plain_blocks(sections.get(name, []))
        if not blocks:
            return None, None
        text = "\n\n".join(t for _, t in blocks)
        return text, paragraph(blocks[0][0], text, label)

    summary, _ = text_of("summary", "Sagsresume")
    summary_sections = _summary(sections.get("presentation", []), paragraph)
    recommendation, _ = text_of("recommendation", "Indstilling")
    decision, decision_paragraph = text_of("decision", "Beslutning")
    if decision is None:
        warnings.append(Warning_(None, "agenda item has no decision ('Beslutning')"))
    attachments = [t for _, t in _plain_blocks(sections.get("attachments", []), bullets=True)]
    year = re.search(r"\b(20\d\d|19\d\d)\b", title)
    return AgendaItem(
        committee=clean(committee),
        meeting_date=meeting_date,
        meeting_place=header.get("mødested", (0, None))[1] or None,
        number=item_number,
        title=title,
        case_number=case_number,
        case_officer=case_officer,
        summary=summary,
        recommendation=recommendation,
        decision=decision,
        decision_paragraph=decision_paragraph,
        attachments=attachments,
        summary_sections=summary_sections,
        year=int(year.group(1)) if year else None,
        municipality=None,
        paragraphs=paragraphs,
        title_paragraph=title_paragraph,
        warnings=warnings,
    )


def _plain_blocks(lines: list[tuple[int, str]], bullets: bool = False) -> list[tuple[int, str]]:
    """Blank-line separated blocks (or bullet items) as (first line, cleaned text)."""
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in [*lines, (0, "")]:
        if not line.strip() or (bullets and _BULLET.match(line)):
            if current:
                out.append((start, clean(" ".join(current))))
            current = []
            if not line.strip():
                continue
        if not current:
            start = number
        current.append(_BULLET.sub("", line, count=1) if bullets else line)
    return [(n, t) for n, t in out if t]


def _summary(lines: list[tuple[int, str]], paragraph) -> list[SummarySection]:  # type: ignore[no-untyped-def]
    """Find 'heading, then bullets with an indented verdict line' in the presentation."""
    sections: list[SummarySection] = []
    pending: list[tuple[int, str]] = []  # non-bullet lines since the last blank
    bullet: list[str] | None = None
    bullet_line = 0
    verdict_lines: list[str] = []

    def close_bullet() -> None:
        nonlocal bullet, verdict_lines
        if bullet is not None and sections:
            section = sections[-1]
            goal = clean(" ".join(bullet))
            verdict = clean(" ".join(verdict_lines))
            text = goal + (" " + verdict if verdict else "")
            p = paragraph(bullet_line, text, f"Resumé: {section.title[:60]}")
            section.bullets.append(SummaryBullet(p, goal, verdict))
        bullet, verdict_lines = None, []

    def close_pending() -> None:
        nonlocal pending
        text = clean(" ".join(t for _, t in pending))
        if text and not re.search(r"[.:;!?]$", text) and len(text) <= 250:
            sections.append(SummarySection(text, paragraph(pending[0][0], text, "Resumé")))
        pending = []

    for number, line in lines:
        if _BULLET.match(line):
            close_bullet()
            close_pending()
            bullet, bullet_line = [_BULLET.sub("", line, count=1)], number
        elif not line.strip():
            close_bullet()
            close_pending()
        elif bullet is not None and line[:1].isspace():
            verdict_lines.append(line)
        else:
            close_bullet()
            pending.append((number, line))
    close_bullet()
    close_pending()
    return sections

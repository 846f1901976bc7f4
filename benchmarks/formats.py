"""Ingest throughput per file format, and for a 100-page PDF.

Every document of the seeds, the shared dev corpus and tests/data/corpus is written out as
txt, md, html, docx and pdf with the same real writers the format tests use
(tests/writers.py), then read back. For each format it prints documents/s and pages/s (a
document's pages are those of its PDF rendition, so the figures compare across formats) for:

- read: the reader alone (file → blocks);
- parse: reader, layout reader and extraction (file → typed model), what ingest costs before
  the store;
- ingest: parse plus building, validating and storing the graph (MaalGraph.ingest, in memory).

Then a 100-page PDF (a long follow-up report with ruled tables): our reader against
pdfminer.six's plain extract_text, measured in the same run (text only, no structure), and the
whole parse. Medians of --repeat runs.

Run: .venv/bin/python benchmarks/formats.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from timing import median_ms  # noqa: E402
from writers import WRITERS  # noqa: E402

from maalgraph import MaalGraph  # noqa: E402
from maalgraph.ingest import Extractor, parse_document  # noqa: E402
from maalgraph.ingest.readers import read_blocks  # noqa: E402
from maalgraph.resources import corpus_files  # noqa: E402

FORMATS = ("txt", "md", "html", "docx", "pdf")


def sources() -> list[Path]:
    found = list(corpus_files())
    for folder in (ROOT.parent / "shared" / "corpus-dev", ROOT / "tests" / "data" / "corpus"):
        truth = folder / "truth.json"
        if truth.is_file():
            found += [
                folder / d["file"] for d in json.loads(truth.read_text(encoding="utf-8"))["docs"]
            ]
    return found


def renditions(folder: Path) -> tuple[dict[str, list[Path]], int]:
    """Every source in every format, and the page count of their PDF renditions."""
    out: dict[str, list[Path]] = {fmt: [] for fmt in FORMATS}
    for index, source in enumerate(sources()):
        blocks = read_blocks(source).blocks
        for fmt in FORMATS:
            path = folder / f"{index:02d}-{source.stem}.{fmt}"
            WRITERS[fmt](blocks, path)
            out[fmt].append(path)
    pages = sum(read_blocks(p).pages or 1 for p in out["pdf"])
    return out, pages


def long_pdf(path: Path, pages: int = 100) -> Path:
    """A follow-up report of ``pages`` pages: focus areas with goals, status prose and tables."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    story: list[object] = [Paragraph("Målopfølgning 2023 – Solby Kommune", styles["Title"])]
    for n in range(1, pages + 1):
        story.append(Paragraph(f"Fokusområde {n}: Område nummer {n}", styles["Heading2"]))
        story.append(
            Paragraph(
                f"<b>Mål:</b> Flere borgere i område {n} skal have et godt liv.", styles["BodyText"]
            )
        )
        for k in range(4):
            story.append(Paragraph(
                f"I 2023 deltog {400 + n + k} borgere i aktiviteter i samarbejde med Solby Idrætsforening "
                f"og Røde Kors, mens der i 2022 deltog {380 + n}. Andelen steg fra {40 + k},5 % til "
                f"{42 + k},1 %. Indsatsen fortsætter i projektet Godt Liv {n}.", styles["BodyText"]))  # fmt: skip
        table = Table([["Indikator", "2022", "2023", "Status"],
                       [f"Tilfredshed {n}", "71 %", "74 %", "Grøn"], [f"Ventetid {n}", "30 dage", "28 dage", "Gul"]])  # fmt: skip
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        story += [table, Paragraph(f"Målet for område {n} er {'opfyldt' if n % 3 else 'delvist opfyldt'}.", styles["BodyText"]), PageBreak()]  # fmt: skip
    SimpleDocTemplate(str(path), pagesize=A4).build(story)  # type: ignore[arg-type]
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    extractor = Extractor()
    extractor.judge(["Målet er opfyldt."])  # load the pipeline before timing
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files, pages = renditions(folder)
        docs = len(files["txt"])
        print(f"maalgraph ingest throughput per format — {platform.python_implementation()} "
              f"{platform.python_version()}, {docs} documents ({pages} pages as PDF), median of {args.repeat}\n")  # fmt: skip
        print(
            f"{'format':<6} {'read docs/s':>12} {'parse docs/s':>13} {'parse pages/s':>14} {'ingest docs/s':>14}"
        )
        for fmt in FORMATS:
            read = median_ms(lambda fmt=fmt: [read_blocks(p) for p in files[fmt]], args.repeat)  # type: ignore[misc]
            parse = median_ms(
                lambda fmt=fmt: [parse_document(p, extractor) for p in files[fmt]], args.repeat
            )  # type: ignore[misc]

            def ingest(fmt: str = fmt) -> None:
                with MaalGraph.memory() as kg:
                    kg._extractor = (
                        extractor  # the pipeline loaded once, as in a long-running process
                    )
                    kg.ingest_many(files[fmt])

            stored = median_ms(ingest, max(1, args.repeat - 1))
            print(f"{fmt:<6} {docs / read * 1000:>12.1f} {docs / parse * 1000:>13.1f} "
                  f"{pages / parse * 1000:>14.1f} {docs / stored * 1000:>14.1f}")  # fmt: skip

        pdf = long_pdf(folder / "long.pdf")
        from pdfminer.high_level import extract_text

        blocks = read_blocks(pdf)
        # the three measured in turn, each run of each, so that load from other work on the
        # machine falls on all of them alike
        times: dict[str, list[float]] = {"plain": [], "ours": [], "parse": []}
        for _ in range(args.repeat):
            times["plain"].append(median_ms(lambda: extract_text(str(pdf)), 1))
            times["ours"].append(median_ms(lambda: read_blocks(pdf), 1))
            times["parse"].append(median_ms(lambda: parse_document(pdf, extractor), 1))
        plain, ours, parse = (statistics.median(times[k]) for k in ("plain", "ours", "parse"))
        parsed = parse_document(pdf, extractor)
        goals = sum(len(a.goals) for a in parsed.report.focus_areas) if parsed.report else 0
        print(f"\n100-page PDF ({blocks.pages} pages, {len(blocks.blocks)} blocks, {goals} goals):")
        print(
            f"  pdfminer.six extract_text (text only) {plain / 1000:6.1f} s  {blocks.pages / plain * 1000:6.1f} pages/s"
        )
        print(f"  maalgraph PDF reader (blocks)         {ours / 1000:6.1f} s  {blocks.pages / ours * 1000:6.1f} pages/s"
              f"  ({ours / plain:.2f}× pdfminer's time)")  # fmt: skip
        print(
            f"  maalgraph parse (blocks + meaning)    {parse / 1000:6.1f} s  {blocks.pages / parse * 1000:6.1f} pages/s"
        )


if __name__ == "__main__":
    main()

"""Write docs/cli.md from the real --help of every command (run: make docs)."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from maalgraph.cli import main

INTRO = """# The `maalgraph` command line

Generated from the real `--help` by `make docs` (a test checks it is current).
Global options (`--store`, `--base`, `--gazetteer`) go before the command:
`maalgraph --store ./store ingest *.txt`. Without `--store` (or `MAALGRAPH_STORE`) every
command reads the bundled example corpus, read-only.

Exit status: 0 on success, 1 when a document, query or store fails (the message names the
file, line or value), 2 on wrong usage.
"""


def render() -> str:
    runner = CliRunner()
    parts = [INTRO, "## maalgraph\n\n```text\n" + runner.invoke(main, ["--help"]).output + "```\n"]
    for name in sorted(main.commands):  # type: ignore[attr-defined]
        text = runner.invoke(main, [name, "--help"]).output
        parts.append(f"## maalgraph {name}\n\n```text\n{text}```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    target = Path(__file__).with_name("cli.md")
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")

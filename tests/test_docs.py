"""Generated docs must be current: docs/cli.md from the real --help, the network pictures."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

from maalgraph import MaalGraph

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_cli_reference_is_current() -> None:
    spec = importlib.util.spec_from_file_location("generate_cli", DOCS / "generate_cli.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == module.render(), "run: make docs"


def _labels(svg: Path) -> set[str]:
    return {t.text for t in ET.parse(svg).getroot().iter() if t.tag.endswith("text") and t.text}


def test_network_pictures_show_the_current_network(example: MaalGraph, tmp_path: Path) -> None:
    """The pictures in docs/analysis.md show what `make docs` draws today (labels compared,
    not bytes: another matplotlib may place them a pixel apart)."""
    assert _labels(DOCS / "network.svg") == _labels(example.draw_network(tmp_path / "n.svg")), (
        "run: make docs"
    )
    around = example.draw_network(tmp_path / "j.svg", around="Jobcentret")
    assert _labels(DOCS / "network-jobcentret.svg") == _labels(around), "run: make docs"
    assert "network.svg" in (DOCS / "analysis.md").read_text(encoding="utf-8")

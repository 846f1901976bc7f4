"""Pictures of the network and exports: real files, checked as images and graphs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from PIL import Image

from maalgraph import MaalGraph, QueryError
from maalgraph.analysis import around_view, draw, focus_area_view, goal_partner_view


def test_png_has_the_size_asked_for_and_is_not_blank(example: MaalGraph, tmp_path: Path) -> None:
    path = example.draw_network(tmp_path / "net.png", width=1200, height=800)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(path) as image:
        assert image.size == (1200, 800)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50  # nodes, labels, lines, legend
    white = max(colours)[0]
    assert white < 0.98 * 1200 * 800  # something drawn beyond the background


def test_svg_keeps_labels_as_text_and_is_sized_to_the_network(
    example: MaalGraph, tmp_path: Path
) -> None:
    path = example.draw_network(tmp_path / "net.svg")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    width, height = (float(root.attrib[a].removesuffix("pt")) for a in ("width", "height"))
    assert width == pytest.approx(1500 / 100 * 72)  # 1500 px at 100 dpi, in points
    assert height > 500 / 100 * 72  # taller than the minimum: 20 partners and units in one column
    text = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    for label in ("Mål 3.1", "Blå Kors Varmestue", "Projekt Småjob", "Mål: ikke opfyldt"):
        assert label in text


def test_the_same_network_gives_the_same_picture(example: MaalGraph, tmp_path: Path) -> None:
    for name in ("a.svg", "b.svg", "a.png", "b.png"):
        example.draw_network(tmp_path / name)
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_read_back(example: MaalGraph, tmp_path: Path, fmt: str) -> None:
    path = example.draw_network(tmp_path / f"net.{fmt}")
    graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(path)
    expected = goal_partner_view(example.to_networkx())
    assert (
        graph.number_of_nodes() == expected.number_of_nodes()
        and graph.number_of_edges() == expected.number_of_edges()
    )
    labels = {str(d.get("label")) for _, d in graph.nodes(data=True)}
    assert {"Mål 3.1", "Blå Kors Varmestue", "Jobcentret"} <= labels


def test_views(example: MaalGraph) -> None:
    network = example.to_networkx()
    area = next(
        n
        for n, d in network.nodes(data=True)
        if d["type"] == "focus_area" and d["label"].startswith("Udsatte")
    )
    labels = {d["label"] for _, d in focus_area_view(network, area).nodes(data=True)}
    assert {"Mål 3.1", "Mål 3.2", "Mål 3.3", "Blå Kors Varmestue", "Kultur på Recept"} <= labels
    assert "Mål 1.1" not in labels and not any(
        d["type"] == "measurement" for _, d in focus_area_view(network, area).nodes(data=True)
    )
    jobcentret = next(e.iri for e in example.find("Jobcentret"))
    around = {d["label"] for _, d in around_view(network, [jobcentret]).nodes(data=True)}
    assert {
        "Jobcentret",
        "Projekt Småjob",
        "Mål 2.1",
        "Mål 4.2",
    } <= around and "Mål 3.1" not in around


def test_drawing_errors(example: MaalGraph, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="use a .svg or .png"):
        draw(goal_partner_view(example.to_networkx()), tmp_path / "net.jpg")
    with pytest.raises(QueryError, match="nothing to draw"):
        draw(nx.MultiDiGraph(), tmp_path / "net.svg")
    with pytest.raises(QueryError, match="no focus area matches"):
        example.draw_network(tmp_path / "x.svg", focus_area="xyzzy")


def _svg_text(path: Path) -> list[str]:
    return [t.text or "" for t in ET.parse(path).getroot().iter() if t.tag.endswith("text")]


def test_focus_area_titles_are_whole_and_goals_carry_their_text(
    example: MaalGraph, tmp_path: Path
) -> None:
    """A focus area's title is wrapped, never cut; a goal is named by number and text."""
    texts = _svg_text(example.draw_network(tmp_path / "net.svg"))
    words = " ".join(" ".join(texts).split())
    for row in example.named("focus_areas").rows:
        assert " ".join(str(row["title"]).split()) in words
    assert any(t.startswith("Mål 3.1: Der iværksættes") for t in texts)


def test_the_legend_explains_what_is_drawn_and_only_that(
    example: MaalGraph, tmp_path: Path
) -> None:
    whole = _svg_text(example.draw_network(tmp_path / "net.svg"))
    assert {"afhænger af", "arbejder sammen med", "Samarbejdspartner", "Projekt"} <= set(whole)
    # one focus area: its goals are all met or partly met, and no project works with anyone
    area = next(r["focusArea"] for r in example.named("focus_areas").rows if r["number"] == 1)
    one = _svg_text(example.draw_network(tmp_path / "one.svg", focus_area=str(area)))
    drawn = set(one)
    assert "Mål: delvist opfyldt" not in drawn and "Mål: ikke opfyldt" in drawn
    assert "Fokusområde" in drawn and "afhænger af" in drawn
    network = focus_area_view(example.to_networkx(), str(area))
    kinds = {d["type"] for _, d in network.nodes(data=True)}
    for kind, name in (("partner", "Samarbejdspartner"), ("unit", "Intern enhed"),
                       ("project", "Projekt")):  # fmt: skip
        assert (name in drawn) == (kind in kinds)
    works_with = any(k == "works_with" for _, _, k in network.edges(keys=True))
    assert ("arbejder sammen med" in drawn) == works_with

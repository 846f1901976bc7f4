"""ontology/, queries/, the web page's assets and the message catalogue are found from a wheel as
well as from a checkout."""

from __future__ import annotations

import gettext
import io
import subprocess
import sys
import zipfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]


def test_checkout_finds_top_level_folders() -> None:
    from maalgraph.resources import ontology_dir, queries_dir

    assert (ontology_dir() / "maal.ttl").is_file() and any(queries_dir().glob("*.rq"))


def test_wheel_carries_ontology_queries_and_corpus(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("maalgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "maalgraph/_data/ontology/maal.ttl" in names
    assert "maalgraph/_data/ontology/shapes.ttl" in names
    assert {f"maalgraph/_data/queries/{p.name}" for p in (ROOT / "queries").glob("*.rq")} <= names
    assert any(n.startswith("maalgraph/corpus/") for n in names)
    assert "maalgraph/gazetteer.tsv" in names and "maalgraph/py.typed" in names
    lang = ROOT / "maalgraph" / "lang" / "da"
    assert {str(p.relative_to(ROOT)) for p in lang.iterdir() if p.is_file()} <= names
    assert {
        "maalgraph/lang/da/lemma_lookup.tsv.gz",
        "maalgraph/lang/da/LICENSE-lemma_lookup.md",
    } <= names
    web = ROOT / "maalgraph" / "web"
    assets = {
        str(p.relative_to(ROOT))
        for p in [*(web / "templates").iterdir(), *(web / "static").iterdir()]
    }
    assert assets and assets <= names  # the web page needs nothing from outside the package
    # the message catalogue, compiled by the build hook from the .po as it is now
    mo = "maalgraph/locale/da/LC_MESSAGES/maalgraph.mo"
    assert mo in names and "maalgraph/web/example.rq" in names
    shipped = gettext.GNUTranslations(io.BytesIO(zipfile.ZipFile(wheel).read(mo)))
    with (ROOT / "maalgraph/locale/da/LC_MESSAGES/maalgraph.po").open("rb") as file:
        catalogue = read_po(file)
    assert all(
        shipped.gettext(m.id) == m.string for m in catalogue if m.id and isinstance(m.id, str)
    )

"""Build hook: compile the message catalogue (maalgraph/locale/*/LC_MESSAGES/*.po) to .mo
with Babel, for a wheel and for an editable install, so that no compiled file is kept in git
and none can be stale in a built package (see maalgraph/i18n.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """Each .po file under ``source`` compiled to the same place under ``target``."""
    written = []
    for po in sorted(source.rglob("*.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as file:
            catalogue = read_po(file)
        with mo.open("wb") as file:
            write_mo(file, catalogue)
        written.append(mo)
    return written


class CompileCatalogues(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        locale = Path(self.root) / "maalgraph" / "locale"
        if version == "editable":  # the package is read from the checkout: compile in place
            compile_catalogues(locale, locale)
            return
        out = Path(tempfile.mkdtemp(prefix="maalgraph-locale-"))
        for mo in compile_catalogues(locale, out):
            build_data["force_include"][str(mo)] = str(
                Path("maalgraph") / "locale" / mo.relative_to(out)
            )

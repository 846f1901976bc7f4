"""A user-editable list of names with their kind and aliases, refining rule-based extraction.

Rules find names the gazetteer has never heard of; the gazetteer adds what rules cannot
know: that "Blaa Kors" is "Blå Kors", that "HR" is an internal unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError
from ..i18n import N_
from ..model import EntityKind
from ..nlp import fold
from ..resources import gazetteer_file


@dataclass(frozen=True)
class Entry:
    label: str
    kind: EntityKind
    aliases: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    entries: dict[str, Entry] = field(default_factory=dict)  # folded label or alias -> entry

    @classmethod
    def load(cls, *paths: str | Path | None) -> Gazetteer:
        """The default gazetteer, overridden by each given file in turn."""
        gazetteer = cls()
        for path in (gazetteer_file(), *paths):
            if path is not None:
                gazetteer.read(Path(path))
        return gazetteer

    def read(self, path: Path) -> None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise IngestError(
                N_("cannot read the gazetteer ({reason})"), path=path, reason=str(exc)
            ) from exc
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = [c.strip() for c in line.split("\t")]
            if len(cells) < 2 or not cells[0]:
                raise IngestError(
                    N_("expected 'label<TAB>kind<TAB>aliases'"), path=path, line=number
                )
            try:
                kind = EntityKind(cells[1].casefold())
            except ValueError:
                kinds = ", ".join(k.value for k in EntityKind)
                raise IngestError(
                    N_("unknown kind {kind!r}; use one of {kinds}"),
                    path=path,
                    line=number,
                    kind=cells[1],
                    kinds=kinds,
                ) from None
            aliases = tuple(
                a.strip() for a in (cells[2] if len(cells) > 2 else "").split("|") if a.strip()
            )
            self.add(Entry(cells[0], kind, aliases))

    def add(self, entry: Entry) -> None:
        for name in (entry.label, *entry.aliases):
            self.entries[fold(name)] = entry

    def lookup(self, name: str) -> Entry | None:
        return self.entries.get(fold(name))

    def names(self) -> list[str]:
        """Every label and alias, for phrase matching."""
        out: set[str] = set()
        for entry in self.entries.values():
            out.update((entry.label, *entry.aliases))
        return sorted(out)

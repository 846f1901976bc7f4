"""Read a document file into text, refusing what is not a text document."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import IngestError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # real follow-ups are tens of kB


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    sha256: str

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def read_source(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read a UTF-8 text file, with errors that name the file, line and problem."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror or exc})", path=path) from exc
    if path.is_dir():
        raise IngestError("is a directory, not a document file", path=path)
    if size > max_bytes:
        raise IngestError(
            f"file is {size / 1e6:.1f} MB, larger than the {max_bytes / 1e6:.0f} MB limit for one "
            "document; split it or raise the limit (max_bytes)",
            path=path,
        )
    data = path.read_bytes()
    if not data.strip():
        raise IngestError("file is empty", path=path)
    if b"\x00" in data[:65536]:
        raise IngestError("file is binary (contains NUL bytes), not a text document", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise IngestError(
            f"not valid UTF-8 (byte 0x{bad}); convert the file to UTF-8, e.g. "
            "iconv -f cp1252 -t utf-8",
            path=path,
            line=line,
        ) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = [c for c in text if ord(c) < 32 and c not in "\n\t\f"]
    if len(controls) > max(8, len(text) // 1000):
        raise IngestError("file has many control characters; it does not look like text", path=path)
    return SourceText(path=path, text=text, sha256=hashlib.sha256(data).hexdigest())

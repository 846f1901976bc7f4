"""Read a file's bytes and, for text formats, decode them — refusing only what is unreadable.

Text that is not UTF-8 (cp1252, latin-1, UTF-16 …) is detected with charset-normalizer and
read with a warning, not refused. Errors name the file and the fix.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import IngestError
from ..i18n import N_, os_reason

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # real follow-ups are tens of kB, long PDFs a few MB
MAX_PARAGRAPH_CHARS = 100_000  # a longer "paragraph" is not prose: it would stall the NLP
MAX_LINE_CHARS = 1_000_000  # a text line longer than this is refused before it is parsed


@dataclass(frozen=True)
class RawFile:
    path: Path
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawFile:
    """The bytes of a document file, or an :class:`IngestError` naming the problem."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(CANNOT_READ, path=path, reason=os_reason(exc)) from exc
    if path.is_dir():
        raise IngestError(N_("is a directory, not a document file"), path=path)
    if size > max_bytes:
        raise IngestError(
            N_(
                "file is {size} MB, larger than the {limit} MB limit for one document; split it "
                "or raise the limit (max_bytes)"
            ),
            path=path,
            size=f"{size / 1e6:.1f}",
            limit=f"{max_bytes / 1e6:.0f}",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(CANNOT_READ, path=path, reason=os_reason(exc)) from exc
    if not data.strip():
        raise IngestError(N_("file is empty"), path=path)
    return RawFile(path, data)


CANNOT_READ = N_("cannot read the file ({reason})")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte order mark: every other byte of ASCII text is NUL."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) * 0.4 and even < len(head) * 0.05:
        return "utf-16-le"
    if even > len(head) * 0.4 and odd < len(head) * 0.05:
        return "utf-16-be"
    return None


_DANISH = re.compile("[æøåÆØÅ]")


def _guess(data: bytes) -> str | None:
    """The encoding of non-UTF-8 text. charset-normalizer's guess, unless the Windows code page
    that Danish offices use (cp1252, a superset of latin-1) reads Danish letters and the guess
    does not: on short texts the detector cannot tell cp1252 from cp1250 by itself."""
    best = from_bytes(data[:200_000]).best()
    guessed = best.encoding if best is not None else None
    sample = data[:200_000]
    try:
        danish = len(_DANISH.findall(sample.decode("cp1252")))
    except UnicodeDecodeError:
        return guessed
    if guessed is None or (
        danish and len(_DANISH.findall(sample.decode(guessed, "replace"))) < danish
    ):
        return "cp1252"
    return guessed


def decode_text(raw: RawFile) -> tuple[str, list[str]]:
    """The text of a text-format file (newlines normalised) and warnings about its encoding."""
    data = raw.data
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    warnings: list[str] = []
    if encoding is None and b"\x00" in data[:65536]:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise IngestError(
                N_(
                    "file is binary (contains NUL bytes), not a text document; maalgraph reads "
                    "txt, md, html, docx and pdf (see: maalgraph formats)"
                ),
                path=raw.path,
            )
    if encoding is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = _guess(data)
            if encoding is None:
                raise IngestError(
                    N_("the text encoding cannot be recognised; save the file as UTF-8"),
                    path=raw.path,
                ) from None
            warnings.append(
                f"teksten er ikke UTF-8; læst som {encoding} (gem filen som UTF-8 for at være sikker)"
            )
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise IngestError(
                N_("the text cannot be decoded as {encoding}; save the file as UTF-8"),
                path=raw.path,
                encoding=encoding,
            ) from exc
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for c in text[:200_000] if ord(c) < 32 and c not in "\n\t\f")
    if controls > max(8, min(len(text), 200_000) // 1000):
        raise IngestError(
            N_("file has many control characters; it does not look like text"), path=raw.path
        )
    return text, warnings

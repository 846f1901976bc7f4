"""The bundled example corpus, ingested once and kept on disk: the command line answers from
it in well under a second instead of reading the documents again on every call.

The cache is one N-Quads file per content hash: of the corpus, the ontology, the named
queries, the code and language data that turn documents into triples, the versions of the
libraries they use, and the base IRI and gazetteer asked for. Any change gives a new hash and
a new file. A file is written under a temporary name and renamed into place (atomic), so
processes starting at the same time never read half a file; each file carries the SHA-256 of
its content, and one that does not match it (cut short, edited) is rebuilt.

The folder is ``MAALGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/maalgraph``, else
``~/.cache/maalgraph``; when it cannot be written, the corpus is ingested in memory as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .resources import corpus_files, ontology_dir, queries_dir

_PACKAGE = Path(__file__).resolve().parent
# what does not shape the graph: the command line, the endpoint and the web page
_NOT_SHAPING = ("cli", "server", "web", "corpus", "_data")
_DATA_SUFFIXES = (".py", ".tsv", ".jsonl", ".toml", ".json", ".gz", ".ttl", ".rq", ".txt", ".po")
_LIBRARIES = ("maalgraph", "pyoxigraph", "rdflib", "spacy", "snowballstemmer", "PyStemmer")
_HEADER = b"# maalgraph example cache sha256="


def cache_dir() -> Path:
    explicit = os.environ.get("MAALGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "maalgraph"


def _shaping_files() -> list[Path]:
    files = [
        *corpus_files(),
        *sorted(ontology_dir().glob("*.ttl")),
        *sorted(queries_dir().glob("*.rq")),
    ]
    for path in sorted(_PACKAGE.rglob("*")):
        relative = path.relative_to(_PACKAGE).parts
        if relative[0] in _NOT_SHAPING or "__pycache__" in relative:
            continue
        if path.suffix in _DATA_SUFFIXES and path.is_file():
            files.append(path)
    return files


def content_hash(base_iri: str, gazetteer: str | Path | None) -> str:
    """The hash naming the cache of the example ingested with these settings."""
    digest = hashlib.sha256()
    extra = [Path(gazetteer)] if gazetteer else []
    for path in [*_shaping_files(), *extra]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for library in _LIBRARIES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            digest.update(f"{library}={importlib.metadata.version(library)}\0".encode())
    digest.update(base_iri.encode())
    return digest.hexdigest()[:24]


def cached_quads(base_iri: str, gazetteer: str | Path | None, build: Callable[[], bytes]) -> bytes:
    """The example's quads (N-Quads) from the cache; built with ``build`` and stored when
    missing, stale or damaged (or only built, when the cache cannot be written)."""
    folder = cache_dir()
    path = folder / f"example-{content_hash(base_iri, gazetteer)}.nq"
    found = _read(path)
    if found is not None:
        return found
    body = build()
    data = _HEADER + hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".example-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would keep other users of a shared folder out
        os.replace(temporary, path)
    except OSError:
        return body
    for old in folder.glob("example-*.nq"):  # earlier versions' caches
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
    return body


def _read(path: Path) -> bytes | None:
    """The cached quads, or None when the file is missing or does not match its checksum."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header, _, body = data.partition(b"\n")
    if header != _HEADER + hashlib.sha256(body).hexdigest().encode():
        return None
    return body

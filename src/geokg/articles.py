"""Reading articles and adding them to the graph, one graph file per article."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from geokg.dates import check_iso_date
from geokg.errors import InputError
from geokg.iris import slugify
from geokg.model import Fact, SourceDocument

if TYPE_CHECKING:
    from geokg.edits import EditSession
    from geokg.extract.lexicon import LexEntry

MAX_TITLE = 200
#: How a graph file records an article's text hash (see :func:`find_source_file`).
SHA256_IN_TURTLE = re.compile(r'geokg:sha256 "([0-9a-f]{64})"')


def read_article_text(source: str | Path) -> tuple[str, str | None]:
    """Read an article as text, strictly: UTF-8, not binary, not empty.

    Args:
        source: A file path, or "-" for standard input.

    Returns:
        The text (a leading byte-order mark removed, newlines kept as they are, so
        offsets count code points of exactly this text) and the file name, or None
        for standard input.

    Raises:
        InputError: If the file is missing, a folder, binary, not UTF-8 or empty.
    """
    if str(source) == "-":
        data = sys.stdin.buffer.read()
        name = None
        where = "standard input"
    else:
        path = Path(source)
        where = str(path)
        if path.is_dir():
            raise InputError(f"{where} is a folder: give the path of an article file")
        if not path.exists():
            raise InputError(f"{where} does not exist: check the path of the article")
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(f"{where}: cannot read: {err.strerror}") from err
        name = path.name
    if b"\x00" in data:
        raise InputError(f"{where} looks like a binary file: give a plain-text article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{where} is not UTF-8 text (bad byte at offset {err.start}): convert it, "
            "e.g. iconv -f latin1 -t utf-8"
        ) from err
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError(f"{where} is empty: give an article with text")
    return text, name


def read_sidecar(source: str | Path) -> dict[str, str]:
    """Metadata from ``X.meta`` beside an article ``X.txt``: "key: value" lines.

    Only ``url``, ``date``, ``title`` and ``publisher`` are read; a date keeps its ISO
    part ("2006-07-15 (dateline)" gives 2006-07-15). A missing file gives nothing.
    """
    if str(source) == "-":
        return {}
    path = Path(source).with_suffix(".meta")
    if not path.is_file():
        return {}
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        key, sep, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if not sep or key not in ("url", "date", "title", "publisher") or not value:
            continue
        if key == "date":
            match = re.match(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value)
            if match is None:
                continue
            value = match.group(0)
        if key == "url":
            value = value.split()[0]
        found[key] = value
    return found


def make_document(
    text: str,
    *,
    file_name: str | None = None,
    name: str | None = None,
    url: str | None = None,
    title: str | None = None,
    publisher: str | None = None,
    date: str | None = None,
) -> SourceDocument:
    """Describe an article: its slug, title and metadata, checked.

    The slug (which names the graph file) comes from ``name``, else the file name,
    else the title; the title defaults to the first non-empty line of the text.

    Raises:
        InputError: If the date is not ISO, the URL is not absolute, or no slug can
            be made.
    """
    if date is not None:
        check_iso_date(date)
    if url is not None:
        check_url(url)
    if title is None:
        first = next(line.strip() for line in text.splitlines() if line.strip())
        title = first if len(first) <= MAX_TITLE else first[: MAX_TITLE - 1] + "…"
    candidates = [name, Path(file_name).stem if file_name else None, title]
    if name is not None and not slugify(name):
        raise InputError(
            f"cannot name an article {name!r}: give --name Latin letters or digits"
        )
    fallback = "article-" + SourceDocument("", text).sha256[:10]
    slug = next((slugify(c) for c in candidates if c and slugify(c)), fallback)
    return SourceDocument(
        slug=slug[:80].strip("-"),
        text=text,
        url=url,
        title=title,
        publisher=publisher,
        date=date,
        file_name=file_name,
    )


def check_url(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) or file URL without spaces.

    Raises:
        InputError: Otherwise, saying what form is expected.
    """
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https", "file") or not (
        parsed.netloc or parsed.path
    ):
        raise InputError(
            f"bad URL {url!r}: expected an absolute URL such as https://example.org/a"
        )
    if re.search(r'[\s<>"{}|\\^`]', url):
        raise InputError(
            f'bad URL {url!r}: percent-encode its spaces and <>"{{}}|\\^` characters'
        )
    return url


@dataclass(frozen=True)
class AddResult:
    """What adding an article did."""

    path: Path
    status: str  # "added", "replaced" or "unchanged"
    facts: int
    slug: str


def find_source_file(folder: Path, sha256: str) -> Path | None:
    """Return the graph file that already holds the article with this text hash."""
    from geokg.store import source_files

    needle = f'geokg:sha256 "{sha256}"'
    for path in source_files(folder):
        if needle in path.read_text(encoding="utf-8", errors="replace"):
            return path
    return None


def source_hashes(folder: Path) -> dict[str, Path]:
    """Map the text hash of every article in the graph folder to the file holding it.

    Reads each file once, as many :func:`find_source_file` calls would read them all
    each time; a hash found in several files maps to the first, as there. A missing
    folder holds nothing.
    """
    from geokg.store import source_files

    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in source_files(folder):
        text = path.read_text(encoding="utf-8", errors="replace")
        for sha256 in SHA256_IN_TURTLE.findall(text):
            found.setdefault(sha256, path)
    return found


@dataclass(frozen=True)
class Extraction:
    """The facts extraction found in an article, and the graph's entities it knew.

    Facts depend only on the article and ``known``: an extraction made elsewhere (in a
    worker process) is used by :func:`write_article` as long as the graph still gives
    the same ``known``.
    """

    known: tuple[LexEntry, ...]
    facts: tuple[Fact, ...]


def extract_article(
    document: SourceDocument, known: tuple[LexEntry, ...]
) -> Extraction:
    """Extract an article's facts, knowing the graph's own entities ``known``.

    spaCy and the model load on the first call in a process (seconds) and stay loaded.
    """
    from geokg.extract import extract_facts

    return Extraction(known, tuple(extract_facts(document, known)))


def add_article(
    folder: Path,
    document: SourceDocument,
    *,
    replace: bool = False,
    extract: bool = True,
) -> AddResult:
    """Extract an article's facts and write them as a new file of the graph.

    Adding the same text again is a no-op; ``replace`` re-extracts it. Extraction knows
    the entities added to the graph by hand; its entities are then matched onto the
    graph's (:mod:`geokg.reconcile`), and facts removed by hand earlier are left out.
    The graph with the new file is checked before anything is written.

    Args:
        folder: The graph folder.
        document: The article.
        replace: Re-extract and overwrite an article that is already there.
        extract: Run extraction (False writes only the document's metadata).

    Raises:
        InputError: If another article already uses the same file name.
        ValidationError: If the graph with this article breaks a shape; nothing is
            written.
    """
    from geokg.edits import EditInfo, default_author, open_session

    info = EditInfo(default_author(Path(folder)))
    with open_session(folder, info, f"geokg add article {document.slug}") as session:
        return write_article(session, document, replace=replace, extract=extract)


def write_article(
    session: EditSession,
    document: SourceDocument,
    *,
    replace: bool = False,
    extract: bool = True,
    extracted: Extraction | None = None,
) -> AddResult:
    """Write an article into an open edit session, as :func:`add_article` does.

    Args:
        session: An open session on the graph folder (it holds the writer lock).
        document: The article.
        replace: Re-extract and overwrite an article that is already there.
        extract: Run extraction (False writes only the document's metadata).
        extracted: Facts already extracted from ``document``; used only if they were
            extracted with the entities the graph gives now, else extraction runs
            again here, so the result is always the one :func:`add_article` gives.

    Raises:
        InputError: If another article already uses the same file name.
        ValidationError: If the graph with this article breaks a shape; nothing is
            written.
    """
    from geokg.build import build_source_graph, fact_iri_for
    from geokg.edits import graph_entries, invalidated
    from geokg.reconcile import reconcile

    existing = find_source_file(session.folder, document.sha256)
    if existing is not None and not replace:
        return AddResult(existing, "unchanged", 0, document.slug)
    path = existing or session.folder / f"{document.slug}.ttl"
    if existing is None and path.exists() and not replace:
        raise InputError(
            f"{path} already holds another article: give this one another name with "
            "--name, or re-extract with --replace"
        )
    status = "replaced" if path.exists() else "added"
    if path in session.files:
        session.delete(path)
    facts: list[Fact] = []
    if extract:
        known = graph_entries(session)
        if extracted is None or extracted.known != known:
            extracted = extract_article(document, known)
        facts = reconcile(extracted.facts, session.graph)
        gone = invalidated(session.graph)
        facts = [f for f in facts if fact_iri_for(f) not in gone]
    session.files[path] = build_source_graph(document, facts)
    session.deleted.discard(path)
    session.changed()
    session.commit()
    return AddResult(path, status, len(facts), document.slug)

"""Reading articles and adding them to the graph, one graph file per article."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from geokg.dates import check_iso_date
from geokg.errors import InputError
from geokg.iris import slugify
from geokg.model import SourceDocument

MAX_TITLE = 200


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
    from geokg.build import build_source_graph, fact_iri_for
    from geokg.edits import (
        EditInfo,
        default_author,
        graph_entries,
        invalidated,
        open_session,
    )
    from geokg.reconcile import reconcile

    info = EditInfo(default_author(Path(folder)))
    with open_session(folder, info, f"geokg add article {document.slug}") as session:
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
        facts = []
        if extract:
            from geokg.extract import extract_facts

            facts = extract_facts(document, graph_entries(session))
            facts = reconcile(facts, session.graph)
            gone = invalidated(session.graph)
            facts = [f for f in facts if fact_iri_for(f) not in gone]
        session.files[path] = build_source_graph(document, facts)
        session.deleted.discard(path)
        session.changed()
        session.commit()
    return AddResult(path, status, len(facts), document.slug)

"""Adding many articles at once: extraction in worker processes, writing in this one.

Extraction is the slow part (spaCy), and articles do not depend on each other for it,
so ``jobs`` worker processes extract in parallel. Writing stays here, one article at a
time in sorted file order, each through :func:`geokg.articles.write_article` in its own
edit session (the writer lock, reconciliation with the graph, validation, commit),
exactly as ``geokg add article FILE`` writes one. An extraction depends only on the
article and on the graph's own entities (:func:`geokg.edits.graph_entries`); when
writing an earlier article changed those, the article is extracted again before it is
written. So the graph comes out byte for byte the same whatever ``jobs`` is, and the
same as adding the files one by one in that order.
"""

from __future__ import annotations

import itertools
import multiprocessing
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geokg.articles import (
    Extraction,
    make_document,
    read_article_text,
    read_sidecar,
    source_hashes,
)
from geokg.errors import InputError, ValidationError
from geokg.model import Fact, SourceDocument

if TYPE_CHECKING:
    from geokg.edits import EditInfo
    from geokg.extract.lexicon import LexEntry

#: The files a folder argument stands for.
ARTICLE_GLOB = "*.txt"


@dataclass(frozen=True)
class ArticleOutcome:
    """What happened to one article of a batch.

    Attributes:
        source: The article file.
        status: "added", "replaced", "unchanged" or "failed".
        slug: The article's name in the graph (None if it could not be read).
        path: The graph file that holds it (None if it failed).
        facts: How many facts were written (0 unless added or replaced).
        message: Why it failed, in one line (None unless it failed).
    """

    source: Path
    status: str
    slug: str | None = None
    path: Path | None = None
    facts: int = 0
    message: str | None = None

    @property
    def error_line(self) -> str:
        """The failure as one line that names the file (the message, if it does)."""
        if self.message is None:
            return ""
        if self.message.startswith(f"{self.source} "):
            return self.message
        return f"{self.source}: {self.message}"


@dataclass(frozen=True)
class IngestReport:
    """What a batch did, one outcome per article in the order they were written."""

    folder: Path
    outcomes: tuple[ArticleOutcome, ...]

    def count(self, status: str) -> int:
        """How many articles ended with ``status``."""
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failures(self) -> tuple[ArticleOutcome, ...]:
        """The articles that failed, in file order."""
        return tuple(o for o in self.outcomes if o.status == "failed")

    @property
    def facts(self) -> int:
        """How many facts were written, over all articles."""
        return sum(outcome.facts for outcome in self.outcomes)

    @property
    def exit_code(self) -> int:
        """0 if every article was added or already there, else 1: the batch ran and
        wrote the others, so the "nothing was written" of code 2 would not hold."""
        return 1 if self.failures else 0

    @property
    def summary(self) -> str:
        """One line with the counts, e.g. "3 articles: 2 added, ... -> graph"."""
        total = len(self.outcomes)
        counts = ", ".join(
            f"{self.count(status)} {status}"
            for status in ("added", "replaced", "unchanged", "failed")
        )
        noun = "article" if total == 1 else "articles"
        return f"{total} {noun}: {counts}; {self.facts} facts -> {self.folder}"


def article_paths(sources: Iterable[str | Path]) -> list[Path]:
    """The article files that ``sources`` name: a folder stands for its ``*.txt``.

    Returns:
        The files, sorted and without repeats, so the order of the arguments does not
        change the graph.

    Raises:
        InputError: If a folder holds no ``*.txt`` file, or "-" (standard input) is
            among them: a batch reads files only.
    """
    found: dict[Path, Path] = {}
    for source in sources:
        if str(source) == "-":
            raise InputError(
                "standard input (-) cannot be part of a batch: give - alone, or save "
                "the article to a file"
            )
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.glob(ARTICLE_GLOB) if p.is_file())
            if not files:
                raise InputError(
                    f"{path} holds no {ARTICLE_GLOB} article: give a folder of "
                    "UTF-8 .txt files, or the files themselves"
                )
        else:
            files = [path]
        for file in files:
            found.setdefault(file.resolve(), file)
    return sorted(found.values())


def ingest_articles(
    folder: Path,
    paths: Sequence[Path],
    *,
    jobs: int = 1,
    replace: bool = False,
    publisher: str | None = None,
    date: str | None = None,
    progress: Callable[[ArticleOutcome], None] | None = None,
) -> IngestReport:
    """Add many articles to the graph, extracting in ``jobs`` worker processes.

    Each article is read as ``geokg add article FILE`` reads it (its ``X.meta``
    sidecar included) and written as that command writes it, in the order of
    ``paths``. An article whose text the graph already holds is reported unchanged
    without being extracted again (unless ``replace``). An article that cannot be read
    or that the shapes refuse is reported as failed; the others are still written.

    Args:
        folder: The graph folder (created if missing).
        paths: The article files, in the order to write them (see
            :func:`article_paths`).
        jobs: Worker processes for extraction; 1 extracts in this process. Each
            worker loads spaCy and the model once (a second or two).
        replace: Re-extract and overwrite articles already in the graph.
        publisher: Publisher of every article (else each sidecar's).
        date: Publication date of every article, ISO (else each sidecar's).
        progress: Called with each article's outcome as soon as it is written or has
            failed, in the order of ``paths``.

    Returns:
        One outcome per path, in the order of ``paths``.

    Raises:
        InputError: If the graph folder or one of its files cannot be read; nothing
            is written.
        LockTimeout: If another command holds the graph's lock too long; the articles
            before are written.

    Warning:
        With ``jobs`` above 1 the workers are started with "spawn", which imports
        the caller's main module again: a script that calls this needs the
        ``if __name__ == "__main__":`` guard. An unexpected error (a bug) in
        extraction stops the batch with its traceback; the articles written before it
        stay written, as they do on Ctrl-C.
    """
    from geokg.edits import EditInfo, default_author, known_entries
    from geokg.transaction import graph_lock

    folder = Path(folder)
    if jobs < 1:
        raise InputError(f"--jobs {jobs}: give 1 or more worker processes")
    prepared = [_prepare(path, publisher, date) for path in paths]
    ingested: dict[str, Path] = {}
    if folder.is_dir():
        with graph_lock(folder):
            ingested = source_hashes(folder)
    pending = [
        item
        for item in prepared
        if isinstance(item, SourceDocument) and (replace or item.sha256 not in ingested)
    ]
    # Parsing the whole graph here also stops a batch on an unreadable graph file
    # before anything is written, rather than failing every article on it.
    known = known_entries(folder) if pending else ()
    info = EditInfo(default_author(folder))
    outcomes: list[ArticleOutcome] = []
    with _extractions(pending, known, min(jobs, len(pending))) as extractions:
        for path, item in zip(paths, prepared, strict=True):
            if isinstance(item, ArticleOutcome):
                outcome = item
            elif not replace and item.sha256 in ingested:
                outcome = ArticleOutcome(
                    path, "unchanged", item.slug, ingested[item.sha256]
                )
            else:
                outcome = _write(folder, path, item, next(extractions), replace, info)
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
    return IngestReport(folder, tuple(outcomes))


def _prepare(
    path: Path, publisher: str | None, date: str | None
) -> SourceDocument | ArticleOutcome:
    """The article at ``path`` as a document, as ``add article FILE`` reads it, or its
    failure."""
    try:
        text, file_name = read_article_text(path)
        meta = read_sidecar(path)
        return make_document(
            text,
            file_name=file_name,
            url=meta.get("url"),
            title=meta.get("title"),
            publisher=publisher or meta.get("publisher"),
            date=date or meta.get("date"),
        )
    except InputError as err:
        return ArticleOutcome(path, "failed", message=str(err))


def _write(
    folder: Path,
    source: Path,
    document: SourceDocument,
    extracted: Extraction | None,
    replace: bool,
    info: EditInfo,
) -> ArticleOutcome:
    """Write one article in its own edit session; a refusal becomes its failure."""
    from geokg.articles import write_article
    from geokg.edits import open_session

    command = f"geokg add article {document.slug}"
    try:
        with open_session(folder, info, command) as session:
            result = write_article(
                session, document, replace=replace, extracted=extracted
            )
    except (InputError, ValidationError) as err:
        return ArticleOutcome(source, "failed", document.slug, message=str(err))
    return ArticleOutcome(source, result.status, result.slug, result.path, result.facts)


@contextmanager
def _extractions(
    pending: Sequence[SourceDocument], known: tuple[LexEntry, ...], workers: int
) -> Iterator[Iterator[Extraction | None]]:
    """The extractions of ``pending``, in order, made by ``workers`` processes; with
    one worker or none, None for each (extraction then runs while writing, here)."""
    if workers <= 1:
        yield itertools.repeat(None)
        return
    # spawn: a fresh interpreter per worker, the same on every platform, and no fork
    # of a parent that may hold a lock or threads.
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(known,),
    )
    try:
        results = pool.map(_extract_in_worker, pending)
        yield (Extraction(known, facts) for facts in results)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: The graph's own entities, in a worker process (set once by :func:`_start_worker`).
_worker_known: tuple[LexEntry, ...] = ()


def _start_worker(known: tuple[LexEntry, ...]) -> None:
    global _worker_known
    _worker_known = known
    # Ctrl-C is the parent's to handle: it stops the pool cleanly. A worker killed by
    # it while waiting for work can die holding the task queue's lock, and the other
    # workers, and so the parent, then wait for ever.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _extract_in_worker(document: SourceDocument) -> tuple[Fact, ...]:
    from geokg.articles import extract_article

    return extract_article(document, _worker_known).facts

"""A persistent Oxigraph index of a graph folder, updated file by file.

The Turtle files stay the source of truth. The index is an on-disk Oxigraph store in a
cache folder (``<parent>/.geokg-cache/<folder name>-<hash>/``, git-ignored, or under
``$GEOKG_CACHE_DIR``) that holds:

- each source file's triples in a named graph of its own (``urn:geokg:file:<hash>``),
  so that a changed file can be taken out and put back alone;
- their union, a set, in the default graph, which queries read.

A manifest beside the store lists each file's size, modification time and SHA-256, as
of the last update. Opening the index compares the folder with the manifest: files
whose size or time changed are hashed, and only those whose content changed are
reloaded. A manifest that is missing, unreadable, of another format version, or marked
as mid-update (a process killed while updating), and a store that fails to open, make
the index be rebuilt from the files.

RocksDB allows one writer, and a reader must not open a store another process is
writing. So a lock file beside the store is held shared by readers (for as long as
their engine lives) and exclusively by the one process that updates it; a process that
cannot get the lock in time loads the folder into memory instead, which is slower but
always right.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyoxigraph

log = logging.getLogger(__name__)

#: Bumped whenever the layout of the store or of the manifest changes.
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
STORE_NAME = "store"
LOCK_NAME = "index.lock"
FILE_GRAPH_PREFIX = "urn:geokg:file:"
#: How long to wait for another process's update before loading into memory, seconds.
LOCK_WAIT_S = float(os.environ.get("GEOKG_INDEX_WAIT", "30"))


@dataclass(frozen=True)
class FileState:
    """What the manifest remembers of one source file."""

    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class IndexUpdate:
    """What opening the index did: the files it (re)loaded and removed.

    Attributes:
        rebuilt: Whether the whole index was built anew (missing, stale or corrupt).
        loaded: Relative paths of the files loaded (new or changed), sorted.
        removed: Relative paths of the files taken out (deleted or changed), sorted.
    """

    rebuilt: bool
    loaded: tuple[str, ...]
    removed: tuple[str, ...]


class IndexUnavailable(Exception):
    """The index could not be used now (locked by another process); load into memory."""


def index_enabled() -> bool:
    """Whether queries use the persistent index (``GEOKG_INDEX=0`` turns it off)."""
    return os.environ.get("GEOKG_INDEX", "1").strip().lower() not in ("0", "off", "no")


def cache_dir(folder: Path) -> Path:
    """The index folder of a graph folder.

    ``$GEOKG_CACHE_DIR/<name>-<hash>`` if set, else ``<parent>/.geokg-cache/<name>-<hash>``
    where the hash is of the folder's absolute path (two graphs never share an index).
    """
    resolved = folder.resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:12]
    root = os.environ.get("GEOKG_CACHE_DIR")
    base = Path(root) if root else resolved.parent / ".geokg-cache"
    return base / f"{resolved.name}-{digest}"


class Index:
    """An open index: a read-only Oxigraph store and the shared lock that keeps it so.

    Close it (or use it as a context manager) to release the lock; the process's exit
    releases it too.
    """

    def __init__(self, store: pyoxigraph.Store, lock: IO[bytes], update: IndexUpdate):
        self.store = store
        self.update = update
        self._lock: IO[bytes] | None = lock

    def close(self) -> None:
        """Release the store and the lock."""
        if self._lock is None:
            return
        del self.store
        _unlock(self._lock)
        self._lock.close()
        self._lock = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_index(folder: Path, files: list[Path], wait: float = LOCK_WAIT_S) -> Index:
    """Bring the index of ``folder`` up to date with ``files`` and open it for reading.

    Args:
        folder: The graph folder.
        files: Its source files (:func:`geokg.store.source_files`).
        wait: Seconds to wait for another process that holds the index.

    Raises:
        IndexUnavailable: If another process keeps the index locked for ``wait``
            seconds, or the cache folder cannot be written.
        InputError: If a source file cannot be parsed (it names the file and line).
    """
    import pyoxigraph as ox

    where = cache_dir(folder)
    try:
        where.mkdir(parents=True, exist_ok=True)
        lock = open(where / LOCK_NAME, "a+b")  # noqa: SIM115 - lives with the Index
    except OSError as err:
        raise IndexUnavailable(f"cannot write the index folder {where}: {err}") from err
    try:
        current = {_relative(path, folder): path for path in files}
        _lock(lock, shared=True, wait=wait)
        states = _read_manifest(where)
        if states is not None and _unchanged(states, current):
            try:
                store = ox.Store.read_only(str(where / STORE_NAME))
                return Index(store, lock, IndexUpdate(False, (), ()))
            except (OSError, RuntimeError):
                log.info("the index at %s does not open: rebuilding it", where)
                states = None
        _unlock(lock)
        _lock(lock, shared=False, wait=wait)
        update = _update(where, current, rebuild=states is None)
        _lock(lock, shared=True, wait=wait)  # flock converts the lock in place
        store = ox.Store.read_only(str(where / STORE_NAME))
        return Index(store, lock, update)
    except BaseException:
        _unlock(lock)
        lock.close()
        raise


def _update(where: Path, current: Mapping[str, Path], rebuild: bool) -> IndexUpdate:
    """Under the exclusive lock: apply the folder's changes to the store, or build it
    anew (``rebuild``, or when it is missing or does not open)."""
    import pyoxigraph as ox

    # Another process may have updated it while this one waited for the lock.
    states = _read_manifest(where)
    store_path = where / STORE_NAME
    rebuilt = rebuild or states is None or not (store_path / "CURRENT").is_file()
    store = None
    if not rebuilt:
        try:
            store = ox.Store(str(store_path))
        except (OSError, RuntimeError):
            log.info("the index at %s is corrupt: rebuilding it", where)
            rebuilt = True
    if rebuilt:
        shutil.rmtree(store_path, ignore_errors=True)
        store = ox.Store(str(store_path))
        states = {}
    assert store is not None and states is not None
    new_states = {
        name: _state(path, states.get(name)) for name, path in sorted(current.items())
    }
    removed = sorted(
        name
        for name, state in states.items()
        if name not in new_states or new_states[name].sha256 != state.sha256
    )
    loaded = sorted(
        name
        for name, state in new_states.items()
        if name not in states or states[name].sha256 != state.sha256
    )
    if removed or loaded:
        _write_manifest(where, None)  # a crash from here on makes the next run rebuild
        for name in removed:
            _unload(store, name)
        for name in loaded:
            _load(store, name, current[name])
        store.flush()
    _write_manifest(where, new_states)
    del store
    return IndexUpdate(rebuilt, tuple(loaded), tuple(removed))


def file_graph(name: str) -> str:
    """The IRI of the named graph that holds one source file (by a hash of its path,
    so that no file name is ever spliced into a SPARQL update)."""
    return FILE_GRAPH_PREFIX + hashlib.sha256(name.encode("utf-8")).hexdigest()


def _unload(store: pyoxigraph.Store, name: str) -> None:
    """Take a file out: its triples leave the union unless another file states them."""
    import pyoxigraph as ox

    graph = file_graph(name)  # hexadecimal: safe in the update's text
    store.update(
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{graph}>) }} }}"
    )
    if store.contains_named_graph(ox.NamedNode(graph)):
        store.remove_graph(ox.NamedNode(graph))


def _load(store: pyoxigraph.Store, name: str, path: Path) -> None:
    """Load one file into its named graph, and its triples into the union."""
    import pyoxigraph as ox

    from geokg.store import read_file

    graph = ox.NamedNode(file_graph(name))
    union = ox.DefaultGraph()
    trig = path.suffix == ".trig"
    try:
        quads = ox.parse(
            path.read_bytes(),
            format=ox.RdfFormat.TRIG if trig else ox.RdfFormat.TURTLE,
            base_iri=path.resolve().as_uri(),
        )
        # A TriG file's named graphs are merged too, as rdflib does.
        store.bulk_extend(
            quad
            for q in quads
            for quad in (
                ox.Quad(q.subject, q.predicate, q.object, graph),
                ox.Quad(q.subject, q.predicate, q.object, union),
            )
        )
    except (SyntaxError, ValueError, OSError):
        read_file(path)  # raises the error with the file and line
        raise


def _state(path: Path, known: FileState | None) -> FileState:
    """The file's state; its hash is reused when its size and time are unchanged."""
    stat = path.stat()
    if known is not None and (known.size, known.mtime_ns) == (
        stat.st_size,
        stat.st_mtime_ns,
    ):
        return known
    return FileState(stat.st_size, stat.st_mtime_ns, _sha256(path))


def _unchanged(states: Mapping[str, FileState], current: Mapping[str, Path]) -> bool:
    """Whether the folder holds exactly the manifest's files, each as it was."""
    if set(states) != set(current):
        return False
    for name, path in current.items():
        try:
            stat = path.stat()
        except OSError:
            return False
        state = states[name]
        # A touched file (a checkout rewrites times) goes through the update, which
        # reloads it only if its content changed, and records its new time.
        if (state.size, state.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            return False
    return True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_manifest(where: Path) -> dict[str, FileState] | None:
    """The manifest's file states, or None if it is missing, stale or mid-update."""
    try:
        data = json.loads((where / MANIFEST_NAME).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT_VERSION or data.get("complete") is not True:
            return None
        return {
            name: FileState(int(s["size"]), int(s["mtime_ns"]), str(s["sha256"]))
            for name, s in data["files"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_manifest(where: Path, states: Mapping[str, FileState] | None) -> None:
    """Write the manifest; None marks the store as mid-update."""
    from geokg.store import write_text_atomic

    data: dict[str, Any] = {"format": FORMAT_VERSION, "complete": states is not None}
    if states is not None:
        data["files"] = {
            name: {"size": s.size, "mtime_ns": s.mtime_ns, "sha256": s.sha256}
            for name, s in sorted(states.items())
        }
    write_text_atomic(where / MANIFEST_NAME, json.dumps(data, indent=1) + "\n")


def _relative(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


def clear_index(folder: Path) -> bool:
    """Delete the index of ``folder``; return whether there was one."""
    where = cache_dir(folder)
    if not where.exists():
        return False
    shutil.rmtree(where)
    return True


# ---- locks ----------------------------------------------------------------------------


def _lock(handle: IO[bytes], *, shared: bool, wait: float) -> None:
    deadline = time.monotonic() + wait
    while not _try_lock(handle, shared):
        if time.monotonic() >= deadline:
            raise IndexUnavailable(
                f"another geokg process has held the index for over {wait:g} s"
            )
        time.sleep(0.05)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: IO[bytes], shared: bool) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False

    def _unlock(handle: IO[bytes]) -> None:
        with suppress(OSError):
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]

else:
    import fcntl

    def _try_lock(handle: IO[bytes], shared: bool) -> bool:
        try:
            mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
            fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(handle: IO[bytes]) -> None:
        with suppress(OSError, ValueError):
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

"""Writing several graph files as one change: a lock for writers, and a journal so a
process killed mid-write leaves the graph as it was before, or as it is after.

A writer takes an exclusive lock on ``<graph>/.geokg.lock`` (so two ``geokg add``
commands run one after the other, and both land; the file is gone again once the
writer is done), writes every new file to a temporary
file beside its target, records the renames in ``<graph>/.geokg-journal.json``, then
renames. If it is killed before the journal is complete, the temporary files are
stray and the graph is unchanged; if it is killed after, the next writer (or reader)
finishes the renames. Hidden files are never loaded as part of the graph.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from geokg.errors import GeokgError

LOCK_NAME = ".geokg.lock"
JOURNAL_NAME = ".geokg-journal.json"
#: How long a writer waits for another one before giving up, in seconds.
LOCK_TIMEOUT_S = float(os.environ.get("GEOKG_LOCK_TIMEOUT", "60"))


class LockTimeout(GeokgError):
    """Another geokg command held the graph's lock for too long."""

    exit_code = 2


@contextmanager
def graph_lock(folder: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the graph folder's writer lock; finish any interrupted change first.

    Raises:
        LockTimeout: If another process keeps the lock longer than ``timeout`` seconds.
    """
    path = folder / LOCK_NAME
    handle = _acquire(path, timeout)
    try:
        try:
            recover(folder)
            yield
        finally:
            # Unlink before unlocking, so the folder holds only graph files between
            # commands; a waiter that locked the unlinked file notices and retries.
            if sys.platform != "win32":  # Windows cannot unlink an open file
                path.unlink(missing_ok=True)
            _release(handle)
    finally:
        handle.close()


def _acquire(path: Path, timeout: float) -> BinaryIO:
    deadline = time.monotonic() + timeout
    while True:
        handle = open(path, "a+b")  # noqa: SIM115 - held open for the life of the lock
        if _try_lock(handle):
            if _is_current(handle, path):
                return handle
            _release(handle)
        handle.close()
        if time.monotonic() >= deadline:
            raise LockTimeout(
                f"another geokg command has been writing to {path.parent} for over "
                f"{timeout:g} s: wait for it to finish, then run this again"
            )
        time.sleep(0.05)


def _is_current(handle: BinaryIO, path: Path) -> bool:
    """Whether the locked file is still the one at ``path`` (not unlinked meanwhile)."""
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(handle.fileno())
    return (on_disk.st_dev, on_disk.st_ino) == (opened.st_dev, opened.st_ino)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: BinaryIO) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False

    def _release(handle: BinaryIO) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]

else:
    import fcntl

    def _try_lock(handle: BinaryIO) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _release(handle: BinaryIO) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def commit_files(folder: Path, changes: Mapping[Path, str | None]) -> None:
    """Write (text) or delete (None) several files of ``folder`` as one change.

    Call it while holding :func:`graph_lock`. Every new text is on disk before any file
    is replaced; the journal makes the replacements all-or-nothing across a crash.
    """
    from geokg.store import write_text_atomic

    if not changes:
        return
    renames: list[tuple[str, str]] = []
    deletes: list[str] = []
    try:
        for path, text in sorted(changes.items()):
            if text is None:
                deletes.append(_relative(path, folder))
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = _write_temp(path, text)
            renames.append((_relative(temp, folder), _relative(path, folder)))
    except BaseException:
        for temp_name, _ in renames:
            (folder / temp_name).unlink(missing_ok=True)
        raise
    journal: dict[str, list[Any]] = {"rename": renames, "delete": deletes}
    write_text_atomic(folder / JOURNAL_NAME, json.dumps(journal, indent=1) + "\n")
    _apply(folder, journal)


def recover(folder: Path) -> None:
    """Finish a change a killed writer left in its journal, and drop stray temp files.

    Call it while holding :func:`graph_lock`.
    """
    journal_path = folder / JOURNAL_NAME
    if journal_path.is_file():
        _apply(folder, json.loads(journal_path.read_text(encoding="utf-8")))
    for stray in folder.rglob(".*.tmp"):
        stray.unlink(missing_ok=True)


def _apply(folder: Path, journal: dict[str, list[Any]]) -> None:
    for temp_name, final_name in journal["rename"]:
        temp = folder / temp_name
        if temp.exists():
            os.replace(temp, folder / final_name)
    for name in journal["delete"]:
        (folder / name).unlink(missing_ok=True)
    _remove_empty_folders(folder, [folder / name for name in journal["delete"]])
    (folder / JOURNAL_NAME).unlink(missing_ok=True)


def _remove_empty_folders(folder: Path, deleted: list[Path]) -> None:
    for path in deleted:
        parent = path.parent
        while parent != folder and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def _write_temp(path: Path, text: str) -> Path:
    from geokg.store import file_mode

    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(name, file_mode())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _relative(path: Path, folder: Path) -> str:
    return path.resolve().relative_to(folder.resolve()).as_posix()

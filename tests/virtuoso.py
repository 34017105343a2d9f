"""A private Virtuoso server for the tests: the ``virtuoso`` session fixture.

It runs Debian's ``virtuoso-t`` (package ``virtuoso-opensource``, which ``.ci/run``
installs) in the foreground as a child process, from a copy of the packaged ini with
its database, log and ports moved into a temporary folder, both ports on 127.0.0.1.
A fresh database has the factory account ``dba``/``dba``. A missing server is a
failure, not a skip: CI must run these tests.
"""

from __future__ import annotations

import configparser
import contextlib
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGED_INI = Path("/usr/share/virtuoso-opensource-7/virtuoso.ini")
START_SECONDS = 60.0


@dataclass(frozen=True)
class Virtuoso:
    """A running private Virtuoso: where to query it, where to write, and as whom."""

    sparql: str
    graph_store: str
    user: str
    password: str
    sql_port: int
    folder: Path

    def isql(self, statements: str) -> str:
        """Run SQL statements through ``isql-vt`` as dba and return its output."""
        return _isql(self.sql_port, self.user, self.password, statements)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _isql(port: int, user: str, password: str, statements: str) -> str:
    isql = shutil.which("isql-vt")
    if isql is None:
        pytest.fail("isql-vt is not installed: apt-get install virtuoso-opensource")
    done = subprocess.run(
        [isql, str(port), user, password, f"EXEC={statements}"],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"isql-vt failed ({done.returncode}): {done.stderr}")
    return done.stdout


def write_ini(
    folder: Path, sql_port: int, http_port: int, max_rows: int = 1_000_000
) -> Path:
    """A copy of the packaged ini that keeps everything inside ``folder``, with
    results capped at ``max_rows`` rows."""
    ini = configparser.ConfigParser(interpolation=None, strict=False)
    ini.optionxform = str  # type: ignore[assignment,method-assign]  # keep key case
    ini.read(PACKAGED_INI, encoding="utf-8")
    db = folder / "db"
    db.mkdir()
    ini["Database"].update(
        DatabaseFile=str(db / "virtuoso.db"),
        ErrorLogFile=str(db / "virtuoso.log"),
        LockFile=str(db / "virtuoso.lck"),
        TransactionFile=str(db / "virtuoso.trx"),
        xa_persistent_file=str(db / "virtuoso.pxa"),
    )
    ini["TempDatabase"].update(
        DatabaseFile=str(db / "virtuoso-temp.db"),
        TransactionFile=str(db / "virtuoso-temp.trx"),
    )
    ini["Parameters"].update(
        ServerPort=f"127.0.0.1:{sql_port}",
        DirsAllowed=f"., {folder}",
        NumberOfBuffers="10000",
        MaxDirtyBuffers="6000",
        DefaultHost=f"127.0.0.1:{http_port}",
    )
    ini["HTTPServer"]["ServerPort"] = f"127.0.0.1:{http_port}"
    # The default, 10,000, truncates larger results without any error.
    ini["SPARQL"]["ResultSetMaxRows"] = str(max_rows)
    path = folder / "virtuoso.ini"
    with path.open("w", encoding="utf-8") as out:
        ini.write(out)
    return path


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _stop(process: subprocess.Popen[bytes], sql_port: int, password: str) -> None:
    # A checkpoint waits for running queries, so "shutdown" can hang: terminate then.
    if process.poll() is None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            _isql(sql_port, "dba", password, "checkpoint; shutdown;")
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running_virtuoso(folder: Path, max_rows: int = 1_000_000) -> Iterator[Virtuoso]:
    """Start a private Virtuoso with its database in ``folder``; stop it on exit."""
    binary = shutil.which("virtuoso-t")
    if binary is None or not PACKAGED_INI.is_file():
        pytest.fail(
            "virtuoso-t is not installed: run .ci/run, or apt-get install "
            "virtuoso-opensource (preseed its dba password with debconf)"
        )
    sql_port, http_port = _free_port(), _free_port()
    ini = write_ini(folder, sql_port, http_port, max_rows)
    log = (folder / "stdout.log").open("wb")
    process = subprocess.Popen(
        [binary, "-f", "-c", str(ini)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http_port}"
    server = Virtuoso(
        sparql=f"{base}/sparql",
        graph_store=f"{base}/sparql-graph-crud-auth",
        user="dba",
        password="dba",
        sql_port=sql_port,
        folder=folder,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _answers(f"{server.sparql}?query=ASK%7B%7D"):
            if process.poll() is not None:
                pytest.fail(
                    f"virtuoso-t exited with {process.returncode} on start: "
                    + (folder / "stdout.log").read_text(errors="replace")[-2000:]
                )
            if time.monotonic() > deadline:
                pytest.fail(f"virtuoso-t did not answer on {base} in {START_SECONDS} s")
            time.sleep(0.2)
        yield server
    finally:
        _stop(process, sql_port, server.password)
        log.close()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A private Virtuoso on loopback, started once per session and stopped after."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server

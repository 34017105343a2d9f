"""Several writers on one graph folder: the writer lock serialises them, and the
journal finishes, or leaves undone, a change whose writer was killed mid-write.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS

from geokg.edits import EditInfo, remove_entity
from geokg.engine import open_engine
from geokg.iris import GEOKG, ID_BASE
from geokg.listing import list_facts
from geokg.store import load_graph, read_file
from geokg.transaction import JOURNAL_NAME, LOCK_NAME, graph_lock
from geokg.validate import validate_graph

from .conftest import snapshot

pytestmark = pytest.mark.slow

SEED_GRAPH = Path(__file__).parents[1] / "graph" / "s400-turkey.ttl"
S400 = URIRef(f"{ID_BASE}weapon/s-400")
CRASH_INFO = EditInfo("Crash Test", "killed mid-write", "2024-05-01T12:00:00Z")
#: Eight facts new to the seed graph (their dates make them so), one per writer.
FACTS = (
    ("Greece", "opposes", "Turkey"),
    ("Greece", "supports", "NATO"),
    ("Turkey", "opposes", "Greece"),
    ("Russia", "supports", "Turkey"),
    ("United States", "opposes", "Russia"),
    ("NATO", "opposes", "Russia"),
    ("Turkey", "supports", "Russia"),
    ("Russia", "opposes", "NATO"),
)

# Runs `remove entity S-400 --cascade` (it rewrites s400-turkey.ttl and writes
# edits/crash-test.ttl) and SIGKILLs itself at the point named by argv[2]:
# "journal" while the journal is half written, "rename-N" after N of the renames.
CRASHING_WRITER = """
import os, signal, sys, tempfile
from pathlib import Path
import geokg.store
from geokg.edits import EditInfo, remove_entity
from geokg.transaction import JOURNAL_NAME

folder, point = Path(sys.argv[1]), sys.argv[2]
write_text_atomic, replace = geokg.store.write_text_atomic, os.replace
renamed = 0

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def half_a_journal(path, text):
    if path.name != JOURNAL_NAME:
        return write_text_atomic(path, text)
    fd, _ = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.write(fd, text[: len(text) // 2].encode())
    os.fsync(fd)
    die()

def counted_replace(src, dst):
    global renamed
    if Path(dst).name != JOURNAL_NAME:
        if point == f"rename-{renamed}":
            die()
        renamed += 1
    replace(src, dst)

if point == "journal":
    geokg.store.write_text_atomic = half_a_journal
else:
    os.replace = counted_replace
info = EditInfo("Crash Test", "killed mid-write", "2024-05-01T12:00:00Z")
remove_entity(folder, "S-400", info, cascade=True)
print("not killed")
"""


def seed_copy(root: Path, name: str = "graph") -> Path:
    folder = root / name
    folder.mkdir()
    shutil.copy(SEED_GRAPH, folder / SEED_GRAPH.name)
    return folder


def geokg(folder: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "geokg", "--graph", str(folder), *args]


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GEOKG_")}
    return {**base, **extra}


def masked(names: list[str]) -> list[str]:
    """File names with mkstemp's random part replaced by "?", sorted."""
    return sorted(re.sub(r"\.[a-z0-9_]{8}\.tmp$", ".?.tmp", name) for name in names)


def test_eight_writers_at_once_all_land(tmp_path: Path) -> None:
    folder = seed_copy(tmp_path)
    seed_bytes = SEED_GRAPH.read_bytes()
    runs = [
        subprocess.Popen(
            geokg(
                folder,
                *("add", "fact", subject, relation, obj),
                *("--date", f"2021-0{i + 1}-01"),
                *("--author", f"Analyst {i % 2}", "--note", f"writer {i}"),
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(GEOKG_LOCK_TIMEOUT="300"),
        )
        for i, (subject, relation, obj) in enumerate(FACTS)
    ]
    outputs = [(*run.communicate(timeout=600), run.returncode) for run in runs]

    expected_ids = []
    for i, ((stdout, stderr, code), (subject, relation, obj)) in enumerate(
        zip(outputs, FACTS, strict=True)
    ):
        assert (code, stderr) == (0, ""), stderr
        written = f"{folder.as_posix()}/edits/analyst-{i % 2}.ttl"
        match = re.fullmatch(
            rf"Added (fact:{relation.lower()}-[0-9a-f]{{12}}) "
            rf"\({subject} {relation} {obj} \[reported\]\) -> {re.escape(written)}\n",
            stdout,
        )
        assert match is not None, stdout
        expected_ids.append(match.group(1))

    manual = [
        (row.id, row.subject, row.relation, row.object, row.status, row.date)
        for row in list_facts(open_engine(folder, "oxigraph"))
        if row.manual
    ]
    assert sorted(manual) == sorted(
        (fact_id, subject, relation, obj, "reported", f"2021-0{i + 1}-01")
        for i, (fact_id, (subject, relation, obj)) in enumerate(
            zip(expected_ids, FACTS, strict=True)
        )
    )
    graph = load_graph(folder)
    notes = {
        str(graph.value(edit, RDFS.comment))
        for edit in graph.subjects(RDF.type, GEOKG.ManualEdit)
    }
    assert notes == {f"writer {i}" for i in range(8)}
    report = validate_graph(graph)
    assert (report.conforms, report.violations) == (True, ())
    files = snapshot(folder)
    assert sorted(files) == [
        "edits/analyst-0.ttl",
        "edits/analyst-1.ttl",
        "s400-turkey.ttl",
    ]
    assert files["s400-turkey.ttl"] == seed_bytes


def crash(folder: Path, point: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CRASHING_WRITER, str(folder), point],
        capture_output=True,
        text=True,
        env=env(),
        timeout=300,
    )


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The folder as the uninterrupted change leaves it."""
    folder = seed_copy(tmp_path_factory.mktemp("reference"))
    remove_entity(folder, "S-400", CRASH_INFO, cascade=True)
    return snapshot(folder)


@pytest.mark.parametrize("renamed", [0, 1])
def test_a_change_killed_after_its_journal_is_finished_by_the_next_reader(
    tmp_path: Path, renamed: int, finished: dict[str, bytes]
) -> None:
    folder = seed_copy(tmp_path)
    seed_bytes = SEED_GRAPH.read_bytes()

    killed = crash(folder, f"rename-{renamed}")

    assert (killed.returncode, killed.stdout) == (-signal.SIGKILL, "")
    left = snapshot(folder)
    assert masked(list(left)) == sorted(
        [
            JOURNAL_NAME,
            LOCK_NAME,
            ".s400-turkey.ttl.?.tmp",
            "s400-turkey.ttl",
            "edits/crash-test.ttl" if renamed else "edits/.crash-test.ttl.?.tmp",
        ]
    )
    assert left["s400-turkey.ttl"] == seed_bytes
    journal = json.loads(left[JOURNAL_NAME])
    assert masked([temp for temp, _ in journal["rename"]]) == [
        ".s400-turkey.ttl.?.tmp",
        "edits/.crash-test.ttl.?.tmp",
    ]
    assert (
        [final for _, final in journal["rename"]],
        journal["delete"],
    ) == (["edits/crash-test.ttl", "s400-turkey.ttl"], [])

    graph = load_graph(folder)

    assert snapshot(folder) == finished
    assert list(graph.predicate_objects(S400)) == []
    assert [p for _, p in graph.subject_predicates(S400)] == [PROV.invalidated]


def test_a_change_killed_before_its_journal_is_complete_never_happened(
    tmp_path: Path,
) -> None:
    folder = seed_copy(tmp_path)
    before = snapshot(folder)

    killed = crash(folder, "journal")

    assert (killed.returncode, killed.stdout) == (-signal.SIGKILL, "")
    left = snapshot(folder)
    assert masked(list(left)) == [
        f".{JOURNAL_NAME}.?.tmp",
        LOCK_NAME,
        ".s400-turkey.ttl.?.tmp",
        "edits/.crash-test.ttl.?.tmp",
        "s400-turkey.ttl",
    ]
    assert left["s400-turkey.ttl"] == before["s400-turkey.ttl"]
    assert isomorphic(load_graph(folder), read_file(SEED_GRAPH))

    with graph_lock(folder):
        pass

    assert snapshot(folder) == before


def test_a_writer_gives_up_after_the_lock_timeout(tmp_path: Path) -> None:
    folder = seed_copy(tmp_path)
    before = snapshot(folder)
    with graph_lock(folder):
        held = snapshot(folder)
        start = time.monotonic()
        result = subprocess.run(
            geokg(
                folder, "add", "fact", "Greece", "opposes", "Turkey", "--author", "Late"
            ),
            capture_output=True,
            text=True,
            env=env(GEOKG_LOCK_TIMEOUT="1"),
            timeout=300,
        )
        waited = time.monotonic() - start
        assert snapshot(folder) == held
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: another geokg command has been writing to {folder} for over 1 s: "
        "wait for it to finish, then run this again\n"
    )
    assert waited >= 1.0
    assert snapshot(folder) == before


def test_a_writer_waits_for_the_lock_then_writes(tmp_path: Path) -> None:
    folder = seed_copy(tmp_path)
    before = snapshot(folder)
    with graph_lock(folder):
        run = subprocess.Popen(
            geokg(
                folder,
                "add",
                "fact",
                "Greece",
                "opposes",
                "Turkey",
                "--date",
                "2021",
                "--author",
                "Patient",
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(GEOKG_LOCK_TIMEOUT="300"),
        )
        time.sleep(3)
        assert run.poll() is None
        assert {k: v for k, v in snapshot(folder).items() if k != LOCK_NAME} == before
    _, stderr = run.communicate(timeout=300)
    assert (run.returncode, stderr) == (0, "")
    assert sorted(snapshot(folder)) == ["edits/patient.ttl", "s400-turkey.ttl"]
    rows = [
        (row.subject, row.relation, row.object, row.date)
        for row in list_facts(open_engine(folder, "oxigraph"))
        if row.manual
    ]
    assert rows == [("Greece", "opposes", "Turkey", "2021")]

"""The persistent query index: updated file by file, rebuilt when stale or corrupt,
shared safely between processes, and always giving the answers of the files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geokg.engine import OxigraphEngine, open_engine
from geokg.index import (
    LOCK_NAME,
    MANIFEST_NAME,
    STORE_NAME,
    IndexUnavailable,
    cache_dir,
    clear_index,
    open_index,
)
from geokg.queries import spec_from_text
from geokg.store import source_files

PREFIX = "@prefix ex: <https://example.org/> .\n"
COUNT = spec_from_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "count")
ROWS = spec_from_text("SELECT ?s ?o WHERE { ?s <https://example.org/p> ?o }", "rows")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A graph folder of three files; ``a`` and ``b`` share one triple."""
    monkeypatch.setenv("GEOKG_CACHE_DIR", str(tmp_path / "cache"))
    graph = tmp_path / "graph"
    graph.mkdir()
    write(graph / "a.ttl", "ex:shared ex:p 1 . ex:a ex:p 2 .")
    write(graph / "b.ttl", "ex:shared ex:p 1 . ex:b ex:p 3 .")
    (graph / "sub").mkdir()
    write(graph / "sub" / "c.ttl", "ex:c ex:p 4 .")
    return graph


def write(path: Path, body: str) -> None:
    path.write_text(PREFIX + body + "\n", encoding="utf-8")


def answers(folder: Path) -> tuple[int, list[tuple[str, str]]]:
    """The triple count and the rows of ROWS, read through the index."""
    engine = OxigraphEngine.from_folder(folder, use_index=True)
    try:
        assert engine.index is not None
        return _answers(engine)
    finally:
        engine.close()


def _answers(engine: OxigraphEngine) -> tuple[int, list[tuple[str, str]]]:
    count = engine.run(COUNT, {}, None).terms[0][0]
    rows = sorted(
        (str(s), str(o)) for s, o in engine.run(ROWS, {}, None).terms if s and o
    )
    return int(str(count)), rows


def in_memory(folder: Path) -> tuple[int, list[tuple[str, str]]]:
    return _answers(OxigraphEngine.from_folder(folder, use_index=False))


def update_of(folder: Path) -> tuple[bool, tuple[str, ...], tuple[str, ...]]:
    with open_index(folder, source_files(folder)) as index:
        return index.update.rebuilt, index.update.loaded, index.update.removed


def test_first_open_builds_then_nothing_is_reloaded(folder: Path) -> None:
    assert update_of(folder) == (True, ("a.ttl", "b.ttl", "sub/c.ttl"), ())
    assert update_of(folder) == (False, (), ())
    assert (
        answers(folder)
        == in_memory(folder)
        == (
            4,
            [
                ("https://example.org/a", "2"),
                ("https://example.org/b", "3"),
                ("https://example.org/c", "4"),
                ("https://example.org/shared", "1"),
            ],
        )
    )


def test_editing_one_file_reloads_that_file_only(folder: Path) -> None:
    update_of(folder)
    write(folder / "b.ttl", "ex:shared ex:p 1 . ex:b ex:p 30 .")
    assert update_of(folder) == (False, ("b.ttl",), ("b.ttl",))
    assert answers(folder) == in_memory(folder)
    assert ("https://example.org/b", "30") in answers(folder)[1]


def test_a_triple_stays_while_another_file_states_it(folder: Path) -> None:
    update_of(folder)
    (folder / "a.ttl").unlink()
    assert update_of(folder) == (False, (), ("a.ttl",))
    assert answers(folder) == in_memory(folder)
    assert ("https://example.org/shared", "1") in answers(folder)[1]
    (folder / "b.ttl").unlink()
    write(folder / "new.ttl", "ex:n ex:p 5 .")
    assert update_of(folder) == (False, ("new.ttl",), ("b.ttl",))
    assert (
        answers(folder)
        == in_memory(folder)
        == (
            2,
            [("https://example.org/c", "4"), ("https://example.org/n", "5")],
        )
    )


def test_a_touched_file_with_the_same_bytes_is_not_reloaded(folder: Path) -> None:
    update_of(folder)
    stat = (folder / "a.ttl").stat()
    os.utime(folder / "a.ttl", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert update_of(folder) == (False, (), ())
    manifest = json.loads((cache_dir(folder) / MANIFEST_NAME).read_text())
    assert manifest["files"]["a.ttl"]["mtime_ns"] == stat.st_mtime_ns + 10**9


def test_a_corrupt_store_is_rebuilt(folder: Path) -> None:
    update_of(folder)
    for path in (cache_dir(folder) / STORE_NAME).iterdir():
        path.write_bytes(b"not a database")
    write(folder / "a.ttl", "ex:a ex:p 20 .")  # so the store must be opened to update
    rebuilt, loaded, _ = update_of(folder)
    assert (rebuilt, loaded) == (True, ("a.ttl", "b.ttl", "sub/c.ttl"))
    assert answers(folder) == in_memory(folder)


def test_a_store_that_fails_to_open_for_reading_is_rebuilt(folder: Path) -> None:
    update_of(folder)
    for path in (cache_dir(folder) / STORE_NAME).iterdir():
        path.unlink()
    assert update_of(folder)[0] is True
    assert answers(folder) == in_memory(folder)


@pytest.mark.parametrize(
    "manifest",
    ["{not json", '{"format": 999, "complete": true, "files": {}}', '{"format": 1}'],
    ids=["unreadable", "other-version", "mid-update"],
)
def test_a_stale_or_half_written_manifest_rebuilds(folder: Path, manifest: str) -> None:
    update_of(folder)
    (cache_dir(folder) / MANIFEST_NAME).write_text(manifest)
    assert update_of(folder) == (True, ("a.ttl", "b.ttl", "sub/c.ttl"), ())
    assert answers(folder) == in_memory(folder)


def test_a_bad_file_is_reported_and_the_index_recovers(folder: Path) -> None:
    from geokg.errors import InputError

    update_of(folder)
    (folder / "a.ttl").write_text("ex:oops ex:p .\n")
    with pytest.raises(InputError, match=r"a\.ttl"):
        update_of(folder)
    write(folder / "a.ttl", "ex:a ex:p 2 .")
    assert update_of(folder)[0] is True  # the interrupted update left it marked
    assert answers(folder) == in_memory(folder)


def test_an_index_held_by_a_writer_makes_readers_load_into_memory(
    folder: Path,
) -> None:
    from geokg.index import _lock

    update_of(folder)
    where = cache_dir(folder)
    with open(where / LOCK_NAME, "a+b") as held:
        _lock(held, shared=False, wait=1)
        with pytest.raises(IndexUnavailable, match="held the index"):
            open_index(folder, source_files(folder), wait=0.2)
        env = {**os.environ, "GEOKG_INDEX_WAIT": "0.2"}
        out = subprocess.run(
            [sys.executable, "-m", "geokg", "--graph", str(folder), "query", "-"],
            input="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
    assert out.stdout.split()[-3:] == ["4", "(1", "row)"]


def test_readers_share_the_index(folder: Path) -> None:
    update_of(folder)
    with (
        open_index(folder, source_files(folder)) as first,
        open_index(folder, source_files(folder), wait=1) as second,
    ):
        assert len(list(first.store)) == len(list(second.store))


def test_concurrent_query_processes_agree(folder: Path) -> None:
    write(folder / "d.ttl", "ex:d ex:p 6 .")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "geokg", "--graph", str(folder), "query", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outs = [p.communicate("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0]
    assert {out.split()[-3] for out, _ in outs} == {"5"}
    assert update_of(folder) == (False, (), ())


def test_default_location_is_beside_the_graph_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GEOKG_CACHE_DIR")
    graph = tmp_path / "graph"
    graph.mkdir()
    write(graph / "a.ttl", "ex:a ex:p 1 .")
    where = cache_dir(graph)
    assert where.parent == tmp_path / ".geokg-cache"
    assert where.name.startswith("graph-")
    engine = open_engine(graph)
    assert isinstance(engine, OxigraphEngine) and engine.index is not None
    engine.close()
    assert sorted(p.name for p in graph.iterdir()) == ["a.ttl"]
    assert (where / MANIFEST_NAME).is_file()
    assert clear_index(graph) is True
    assert clear_index(graph) is False


def test_geokg_index_0_turns_the_index_off(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOKG_INDEX", "0")
    engine = open_engine(folder)
    assert isinstance(engine, OxigraphEngine) and engine.index is None
    assert not cache_dir(folder).exists()

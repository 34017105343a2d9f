"""Virtuoso's known traps, met on a real server (tests/virtuoso.py) and handled:

* a transitive property path over cyclic data fails ("transitive temp memory") or
  silently drops the start node: geokg reports it in one line and names the fix;
* results stop silently at ``ResultSetMaxRows``: geokg refuses the cut answer, and a
  ``--limit`` below the cap still works;
* a large load is not atomic: a push that fails half-way says how much of the graph
  the server holds, and pushing again makes it whole.
"""

from __future__ import annotations

import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from geokg.cli import cli
from geokg.engine import open_engine
from geokg.queries import load_query, run_query, spec_from_text
from geokg.remote import (
    CappedResult,
    RemoteError,
    UnsupportedPath,
    count_triples,
    graph_iri,
    push,
    run_remote,
)
from tests.proxy import ProxyRules, running_proxy
from tests.virtuoso import Virtuoso, running_virtuoso

ROOT = Path(__file__).parents[1]
NODES = 50
EX = "http://example.org/ring/"


def ring_turtle(nodes: int) -> str:
    """A directed graph with many cycles: node i links to i+1, 7i+3 and 11i+5 (mod n)."""
    lines = [f"@prefix ex: <{EX}> ."]
    for i in range(nodes):
        targets = sorted({(i + 1) % nodes, (7 * i + 3) % nodes, (11 * i + 5) % nodes})
        lines.append(
            f"ex:n{i} ex:link " + ", ".join(f"ex:n{j}" for j in targets) + " ."
        )
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def ring(tmp_path_factory: pytest.TempPathFactory, virtuoso: Virtuoso) -> Path:
    """A graph folder holding the ring, pushed to the server."""
    folder = tmp_path_factory.mktemp("ring") / "graph"
    folder.mkdir()
    (folder / "ring.ttl").write_text(ring_turtle(NODES), encoding="utf-8")
    push(folder, virtuoso.sparql, None, virtuoso.user, virtuoso.password)
    return folder


def reachable_query(graph: str | None) -> str:
    source = f"FROM <{graph}> " if graph else ""
    return (
        f"PREFIX ex: <{EX}>\n"
        f"SELECT (COUNT(DISTINCT ?b) AS ?reached) {source}"
        "WHERE { ex:n0 ex:link+ ?b }\n"
    )


def test_transitive_path_over_cycles_is_answered_locally(ring: Path) -> None:
    spec = spec_from_text(reachable_query(None), "reach")
    result = run_query(open_engine(ring), spec)
    # Every node, the start included: the ring leads back to it.
    assert [int(str(row[0])) for row in result.terms] == [NODES]


def test_transitive_path_over_cycles_fails_clearly_on_virtuoso(
    ring: Path, virtuoso: Virtuoso
) -> None:
    query = reachable_query(graph_iri(ring, ring / "ring.ttl"))
    with pytest.raises(UnsupportedPath) as caught:
        run_remote(spec_from_text(query, "reach"), virtuoso.sparql, timeout=60)
    message = str(caught.value)
    assert message.startswith(
        f"{virtuoso.sparql} could not follow a transitive property path (+ or *): "
        "Virtuoso 42000 Error TN...: Exceeded "
    )
    assert message.endswith(
        "bind the path's start, or drop --endpoint to run the query on the local graph"
    )
    assert "\n" not in message
    assert caught.value.exit_code == 2


def test_cli_reports_the_transitive_failure_in_one_line(
    ring: Path, virtuoso: Virtuoso, tmp_path: Path
) -> None:
    query = tmp_path / "reach.rq"
    query.write_text(reachable_query(graph_iri(ring, ring / "ring.ttl")), "utf-8")
    args = ["-g", str(ring), "query", str(query), "--endpoint", virtuoso.sparql]
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert len(result.stderr.splitlines()) == 1
    assert "could not follow a transitive property path" in result.stderr


# ---- ResultSetMaxRows ----------------------------------------------------------------

CAP = 20


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A second private Virtuoso whose results stop at CAP rows, holding the demo."""
    with running_virtuoso(tmp_path_factory.mktemp("capped"), CAP) as server:
        push(ROOT / "graph", server.sparql, None, server.user, server.password)
        yield server


def test_an_answer_cut_at_the_cap_is_refused(capped: Virtuoso) -> None:
    local = open_engine(ROOT / "graph")
    spec = load_query("claims")
    assert len(run_query(local, spec).terms) == 23  # more than the cap
    with pytest.raises(CappedResult) as caught:
        run_remote(spec, capped.sparql, local=local)
    assert str(caught.value) == (
        f"{capped.sparql} stopped at its cap of 20 rows (X-SPARQL-MaxRows), so the "
        "answer may be incomplete: pass --limit below the cap, narrow the query, or "
        "raise ResultSetMaxRows in the server's [SPARQL] settings"
    )


def test_an_answer_below_the_cap_is_whole(capped: Virtuoso) -> None:
    local = open_engine(ROOT / "graph")
    spec = load_query("entity")
    params = {"name": "Russia"}
    expected = run_query(local, spec, params)
    assert 0 < len(expected.terms) < CAP
    remote = run_remote(spec, capped.sparql, params, local=local)
    assert sorted(map(str, remote.terms)) == sorted(map(str, expected.terms))


def test_limit_below_the_cap_is_sent_to_the_server(capped: Virtuoso) -> None:
    local = open_engine(ROOT / "graph")
    spec = load_query("claims")
    everything = {tuple(map(str, row)) for row in run_query(local, spec).terms}
    result = run_remote(spec, capped.sparql, local=local, limit=5)
    assert (len(result.terms), result.truncated) == (5, True)
    assert {tuple(map(str, row)) for row in result.terms} <= everything


def test_cli_refuses_a_capped_answer(capped: Virtuoso) -> None:
    args = ["-g", str(ROOT / "graph"), "query", "-", "--endpoint", capped.sparql]
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    result = CliRunner().invoke(cli, args, input=query)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"Error: {capped.sparql} stopped at its cap of 20")
    result = CliRunner().invoke(cli, [*args, "--limit", "3", "-f", "tsv"], input=query)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1 + 3


# ---- loads are not atomic ------------------------------------------------------------


@pytest.fixture
def half_way(virtuoso: Virtuoso) -> Iterator[str]:
    """The Graph Store URL behind a proxy that cuts the second POST."""
    with running_proxy(ProxyRules(virtuoso.graph_store, drop_post=2)) as proxy:
        yield proxy.url + urllib.parse.urlsplit(virtuoso.graph_store).path


def test_a_load_cut_half_way_is_reported_and_mended(
    virtuoso: Virtuoso, half_way: str, tmp_path: Path
) -> None:
    folder = tmp_path / "graph"
    folder.mkdir()
    shutil.copy(ROOT / "graph" / "s400-turkey.ttl", folder / "big.ttl")
    (folder / "small.ttl").write_text(ring_turtle(10), encoding="utf-8")
    big = graph_iri(folder, folder / "big.ttl")
    login = (virtuoso.user, virtuoso.password)
    # big.ttl (765 triples) goes as a PUT of 300 and POSTs; the second POST is cut.
    with pytest.raises(RemoteError) as caught:
        push(folder, virtuoso.sparql, half_way, *login, chunk=300)
    assert str(caught.value) == (
        f"{half_way.split('/sparql')[0]} dropped the connection during POST "
        "/sparql-graph-crud-auth; "
        f"graph <{big}> holds 600 of its 765 triples on the server, and 0 graph(s) "
        "before it were loaded whole: fix the cause and push again (each graph is "
        "replaced whole)"
    )
    assert count_triples(virtuoso.sparql, big) == 600
    report = push(folder, virtuoso.sparql, virtuoso.graph_store, *login, chunk=300)
    assert [(g.name, g.triples, g.requests) for g in report.graphs] == [
        ("big", 765, 3),
        ("small", 26, 1),
    ]
    assert count_triples(virtuoso.sparql, big) == 765

"""Push the graph to a real Virtuoso (tests/virtuoso.py) and query it there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geokg.engine import open_engine
from geokg.queries import list_queries, run_query
from geokg.remote import RemoteError, count_triples, graph_iri, push, run_remote
from tests.virtuoso import Virtuoso

ROOT = Path(__file__).parents[1]
PARAMS = {
    "entity": {"name": "Turkey"},
    "between": {"a": "Turkey", "b": "United States"},
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo graph plus the six dev articles of tests/data/corpus, added as
    `geokg add article` adds them, and a copy of the demo file in a subfolder."""
    from geokg.articles import (
        add_article,
        make_document,
        read_article_text,
        read_sidecar,
    )

    folder = tmp_path_factory.mktemp("push") / "graph"
    shutil.copytree(ROOT / "graph", folder)
    for path in sorted((ROOT / "tests" / "data" / "corpus").glob("*.txt")):
        text, file_name = read_article_text(path)
        meta = read_sidecar(path)
        add_article(
            folder,
            make_document(
                text,
                file_name=file_name,
                url=meta.get("url"),
                title=meta.get("title"),
                date=meta.get("date"),
            ),
        )
    (folder / "copy").mkdir()
    shutil.copy(folder / "s400-turkey.ttl", folder / "copy" / "s400-again.ttl")
    return folder


def local_counts(folder: Path) -> dict[str, int]:
    """Each file's triple count, by its graph name."""
    from geokg.store import read_file, source_files

    return {
        path.relative_to(folder).with_suffix("").as_posix(): len(read_file(path))
        for path in source_files(folder)
    }


@pytest.fixture(scope="module")
def pushed(folder: Path, virtuoso: Virtuoso) -> dict[str, int]:
    report = push(
        folder,
        virtuoso.sparql,
        virtuoso.graph_store,
        virtuoso.user,
        virtuoso.password,
        chunk=300,
    )
    return {graph.name: graph.triples for graph in report.graphs}


def remote_counts(folder: Path, virtuoso: Virtuoso) -> dict[str, int]:
    return {
        name: count_triples(virtuoso.sparql, graph_iri(folder, folder / f"{name}.ttl"))
        for name in local_counts(folder)
    }


def test_push_loads_each_file_as_a_graph(
    folder: Path, virtuoso: Virtuoso, pushed: dict[str, int]
) -> None:
    assert len(pushed) == 8
    assert pushed == local_counts(folder)
    assert pushed["s400-turkey"] == pushed["copy/s400-again"] == 765
    assert remote_counts(folder, virtuoso) == pushed
    assert graph_iri(folder, folder / "copy" / "s400-again.ttl") == (
        "https://w3id.org/geokg/graph/copy/s400-again"
    )


def test_push_again_is_idempotent(
    folder: Path, virtuoso: Virtuoso, pushed: dict[str, int]
) -> None:
    report = push(folder, virtuoso.sparql, None, virtuoso.user, virtuoso.password)
    assert [(g.name, g.triples, g.requests) for g in report.graphs] == [
        (name, count, 1) for name, count in sorted(local_counts(folder).items())
    ]
    assert remote_counts(folder, virtuoso) == pushed


def test_wrong_password_changes_nothing(
    folder: Path, virtuoso: Virtuoso, pushed: dict[str, int], tmp_path: Path
) -> None:
    empty = tmp_path / "graph"
    shutil.copytree(folder, empty)
    (empty / "s400-turkey.ttl").write_text("", encoding="utf-8")
    with pytest.raises(RemoteError) as caught:
        push(empty, virtuoso.sparql, None, virtuoso.user, "wrong")
    host = virtuoso.sparql.rsplit("/", 1)[0]
    assert str(caught.value) == (
        f"{host} refused user 'dba': check the user and the password in the "
        "--password-env variable"
    )
    assert caught.value.exit_code == 2
    assert remote_counts(folder, virtuoso) == pushed


def test_cli_push_and_wrong_password(
    folder: Path, virtuoso: Virtuoso, pushed: dict[str, int]
) -> None:
    from click.testing import CliRunner

    from geokg.cli import cli

    args = ["-g", str(folder), "push", "--endpoint", virtuoso.sparql, "--user", "dba"]
    args += ["--password-env", "VIRTUOSO_TEST_PASSWORD"]
    result = CliRunner().invoke(cli, args, env={"VIRTUOSO_TEST_PASSWORD": "dba"})
    assert (result.exit_code, result.stdout.splitlines()[:8]) == (
        0,
        [
            f"{name}\t{count} triples"
            for name, count in sorted(local_counts(folder).items())
        ],
    )
    result = CliRunner().invoke(cli, args, env={"VIRTUOSO_TEST_PASSWORD": "nope"})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("Error: http://127.0.0.1:")
    assert remote_counts(folder, virtuoso) == pushed


def _values(result: object) -> list[tuple[str, ...]]:
    # Virtuoso orders and types some literals differently (xsd:string vs plain, its
    # own collation): compare sorted lexical values.
    terms = result.terms  # type: ignore[attr-defined]
    return sorted(tuple("" if t is None else str(t) for t in row) for row in terms)


@pytest.mark.parametrize("name", [spec.name for spec in list_queries()])
def test_named_query_matches_local(
    name: str, folder: Path, virtuoso: Virtuoso, pushed: dict[str, int]
) -> None:
    spec = next(spec for spec in list_queries() if spec.name == name)
    merged = folder.parent / "merged"
    if not merged.exists():
        shutil.copytree(folder, merged, ignore=shutil.ignore_patterns("copy"))
    local = open_engine(merged)
    expected = run_query(local, spec, PARAMS.get(name, {}))
    # Virtuoso's default graph is the union of all graphs, a bag, where the copy would
    # double every fact: name the graphs to merge (their merge is a set).
    remote = run_remote(
        spec,
        virtuoso.sparql,
        PARAMS.get(name, {}),
        local=local,
        timeout=20,
        default_graph=[
            graph_iri(folder, folder / f"{name}.ttl")
            for name in local_counts(folder)
            if not name.startswith("copy/")
        ],
    )
    assert (remote.kind, remote.variables) == (expected.kind, expected.variables)
    if expected.kind == "ASK":
        assert remote.boolean == expected.boolean
    else:
        assert _values(remote) == _values(expected)


def test_parameters_are_replaced_by_terms_outside_strings_and_comments() -> None:
    from rdflib import Literal, URIRef

    from geokg.queries import spec_from_text
    from geokg.remote import bound_query_text

    spec = spec_from_text(
        "# ?_x in a comment\n"
        'SELECT ?_x ?label WHERE { ?_x <urn:p> ?label . FILTER(?label != "?_x") '
        "FILTER(?label != ?_name) }",
        "probe",
    )
    text = bound_query_text(
        spec,
        {"_x": URIRef("urn:a"), "_name": Literal('say "hi"\n')},
    )
    assert text == (
        "# ?_x in a comment\n"
        "SELECT (<urn:a> AS ?_x) ?label WHERE { <urn:a> <urn:p> ?label . "
        'FILTER(?label != "?_x") FILTER(?label != "say \\"hi\\"\\n") }'
    )

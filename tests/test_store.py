"""The graph on disk: deterministic, atomic, and clear about files it cannot read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, XSD

from geokg.build import new_graph
from geokg.errors import InputError
from geokg.iris import mint_iri, slugify
from geokg.store import load_graph, serialize_turtle, write_graph, write_text_atomic

from .conftest import DATA, snapshot

SEED = Path(__file__).parents[1] / "src" / "geokg" / "corpus" / "s400-turkey.txt"


def build_in_subprocess(folder: Path, hash_seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "geokg",
            "--graph",
            str(folder),
            "add",
            "article",
            str(SEED),
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    return snapshot(folder)


def test_building_twice_gives_byte_identical_files(tmp_path: Path) -> None:
    first = build_in_subprocess(tmp_path / "a", "1")
    second = build_in_subprocess(tmp_path / "b", "2024")
    assert list(first) == ["s400-turkey.ttl"]
    assert first == second


def test_serialization_is_sorted_and_stable() -> None:
    graph = new_graph()
    b = URIRef("https://w3id.org/geokg/id/state/b")
    a = URIRef("https://w3id.org/geokg/id/state/a")
    graph.add((b, RDFS.label, Literal('B "quoted"\nline')))
    graph.add((a, RDFS.comment, Literal("7", datatype=XSD.integer)))
    graph.add((a, RDFS.label, Literal("A")))
    assert serialize_turtle(graph).split("\n\n", 1)[1] == (
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix state: <https://w3id.org/geokg/id/state/> .\n"
        "\n"
        "state:a\n"
        "    rdfs:comment 7 ;\n"
        '    rdfs:label "A" .\n'
        "\n"
        "state:b\n"
        '    rdfs:label "B \\"quoted\\"\\nline" .\n'
    )


def test_interrupted_write_leaves_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("previous content\n", encoding="utf-8")

    def crash(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, "new content that never lands\n" * 1000)
    assert snapshot(tmp_path) == {"graph.ttl": b"previous content\n"}


def test_corrupt_file_is_named_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "graph"
    folder.mkdir()
    (folder / "good.ttl").write_bytes((DATA / "small.ttl").read_bytes())
    (folder / "bad.ttl").write_text(
        "@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c ;\n  nope:d ex:e .\n",
        encoding="utf-8",
    )
    before = snapshot(folder)
    with pytest.raises(InputError) as info:
        load_graph(folder)
    assert str(info.value) == (
        f'{folder / "bad.ttl"}: line 4: Turtle syntax error (Prefix "nope:" not bound): '
        "fix the line, or restore the file with git checkout"
    )
    assert snapshot(folder) == before


def test_missing_graph_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_graph(tmp_path / "nowhere")
    assert info.value.exit_code == 2
    assert str(info.value) == (
        f"graph folder '{tmp_path / 'nowhere'}' does not exist: create it, or pass "
        "--graph DIR (or set GEOKG_GRAPH) to an existing graph"
    )


def test_non_utf8_graph_file_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "latin.ttl").write_bytes(b'<http://a> <http://b> "caf\xe9" .\n')
    with pytest.raises(InputError) as info:
        load_graph(tmp_path)
    assert (
        str(info.value)
        == f"{tmp_path / 'latin.ttl'}: not UTF-8 text (byte 26): save it as UTF-8"
    )


def test_trig_files_are_read_too(tmp_path: Path) -> None:
    (tmp_path / "extra.trig").write_text(
        "@prefix ex: <http://example.org/> .\nex:g { ex:a ex:b ex:c . }\n",
        encoding="utf-8",
    )
    graph = load_graph(tmp_path)
    assert list(graph) == [
        (
            URIRef("http://example.org/a"),
            URIRef("http://example.org/b"),
            URIRef("http://example.org/c"),
        )
    ]


text_strategy = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=80,
)


@settings(max_examples=150, deadline=None)
@given(text=text_strategy)
def test_any_text_literal_survives_a_round_trip(text: str) -> None:
    graph = new_graph()
    graph.add((URIRef("https://w3id.org/geokg/id/state/x"), RDFS.label, Literal(text)))
    back = Graph().parse(data=serialize_turtle(graph), format="turtle")
    assert isomorphic(graph, back)


@settings(max_examples=150, deadline=None)
@given(label=st.text(min_size=1, max_size=40))
def test_minted_iris_are_stable_and_idempotent(label: str) -> None:
    slug = slugify(label)
    if not slug:
        with pytest.raises(InputError):
            mint_iri("state", label)
        return
    iri = mint_iri("state", label)
    assert iri == mint_iri("state", label)
    assert mint_iri("state", slug) == iri
    assert str(iri) == f"https://w3id.org/geokg/id/state/{slug}"


def test_write_graph_round_trips(tmp_path: Path) -> None:
    graph = load_graph(DATA)
    write_graph(graph, tmp_path / "out.ttl")
    assert isomorphic(Graph().parse(tmp_path / "out.ttl"), graph)
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]

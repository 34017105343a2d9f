"""Ingesting a corpus: seven articles into one graph folder, one file per article.

The seed article and the six development articles of ``tests/data/corpus`` are added
once per module through the library (spaCy loads once), as ``geokg add article``
does; each test then reads that folder, or changes a copy of it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from geokg.articles import (
    AddResult,
    add_article,
    make_document,
    read_article_text,
    read_sidecar,
)
from geokg.edits import EditInfo, remove_article
from geokg.engine import fold, open_engine
from geokg.iris import GEOKG, ID_BASE, SCHEMA
from geokg.listing import FactRow, list_entities, list_facts
from geokg.model import SourceDocument
from geokg.store import load_graph, read_file
from geokg.validate import validate_graph

from .conftest import DATA, snapshot

pytestmark = pytest.mark.slow

SEED = Path(__file__).parents[1] / "src" / "geokg" / "corpus" / "s400-turkey.txt"
ARTICLES = (SEED, *sorted((DATA / "corpus").glob("*.txt")))
SLUGS = (
    "s400-turkey",
    "01-wikinews-unsc-north-korea-sanctions",
    "02-crs-nato-finland-sweden-accession",
    "03-dsca-turkey-ch47f-chinook",
    "04-dsca-taiwan-himars",
    "05-state-iran-conventional-arms-designations",
    "06-state-briefing-russia-veto-dprk-panel",
)
CHINOOK = "03-dsca-turkey-ch47f-chinook"


@dataclass(frozen=True)
class Ingested:
    """The graph folder the corpus went into, and what each add returned."""

    folder: Path
    results: tuple[AddResult, ...]


def document_for(path: Path) -> SourceDocument:
    """The article as ``geokg add article PATH`` describes it (with its .meta)."""
    text, file_name = read_article_text(path)
    meta = read_sidecar(path)
    return make_document(
        text,
        file_name=file_name,
        url=meta.get("url"),
        title=meta.get("title"),
        publisher=meta.get("publisher"),
        date=meta.get("date"),
    )


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    folder = tmp_path_factory.mktemp("ingest") / "graph"
    results = tuple(add_article(folder, document_for(path)) for path in ARTICLES)
    return Ingested(folder, results)


def copy_of(ingested: Ingested, tmp_path: Path) -> Path:
    folder = tmp_path / "graph"
    shutil.copytree(ingested.folder, folder)
    return folder


def test_each_article_gives_its_own_file(ingested: Ingested) -> None:
    assert [(r.slug, r.status, r.path) for r in ingested.results] == [
        (slug, "added", ingested.folder / f"{slug}.ttl") for slug in SLUGS
    ]
    assert sorted(snapshot(ingested.folder)) == sorted(f"{s}.ttl" for s in SLUGS)
    for slug in SLUGS:
        graph = read_file(ingested.folder / f"{slug}.ttl")
        assert list(graph.subjects(RDF.type, GEOKG.SourceDocument)) == [
            URIRef(f"{ID_BASE}source/{slug}")
        ]


def test_sidecar_date_and_url_reach_the_source(ingested: Ingested) -> None:
    for path, slug in zip(ARTICLES, SLUGS, strict=True):
        meta = read_sidecar(path)
        graph = read_file(ingested.folder / f"{slug}.ttl")
        source = URIRef(f"{ID_BASE}source/{slug}")
        dates = [str(d) for d in graph.objects(source, DCTERMS.date)]
        urls = [str(u) for u in graph.objects(source, SCHEMA.url)]
        assert (dates, urls) == (
            [meta["date"]] if "date" in meta else [],
            [meta["url"]] if "url" in meta else [],
        ), slug
    assert read_sidecar(SEED) == {}
    assert read_sidecar(DATA / "corpus" / "03_dsca-turkey-ch47f-chinook.txt") == {
        "date": "2009-12-07",
        "url": "https://defencetalk.com/turkey-to-acquire-ch-47f-chinook-helicopters-23305",
    }


def test_the_whole_graph_validates(ingested: Ingested) -> None:
    report = validate_graph(load_graph(ingested.folder))
    assert (report.conforms, report.violations) == (True, ())


@pytest.mark.parametrize(
    ("name", "type_name", "curie"),
    [
        ("Turkey", "state", "state:turkey"),
        ("United States", "state", "state:united-states"),
        ("NATO", "alliance", "organization:nato"),
        ("Russia", "state", "state:russia"),
        ("China", "state", "state:china"),
        ("North Korea", "state", "state:north-korea"),
    ],
)
def test_an_entity_named_in_several_articles_exists_once(
    ingested: Ingested, name: str, type_name: str, curie: str
) -> None:
    rows = list_entities(open_engine(ingested.folder, "oxigraph"))
    named = [
        row
        for row in rows
        if fold(name) in {fold(n) for n in (row.label, *row.aliases)}
    ]
    assert [(row.label, row.type, row.id) for row in named] == [
        (name, type_name, curie)
    ]


def test_a_fact_two_articles_state_is_one_fact_with_both_sources(
    ingested: Ingested,
) -> None:
    rows = list_facts(open_engine(ingested.folder, "oxigraph"), relation="memberOf")
    turkey = [
        (row.subject, row.relation, row.object, row.status, row.sources)
        for row in rows
        if row.subject == "Turkey"
    ]
    assert turkey == [
        ("Turkey", "memberOf", "NATO", "reported", (CHINOOK, "s400-turkey"))
    ]


def test_every_article_is_a_source_of_some_fact(ingested: Ingested) -> None:
    rows = list_facts(open_engine(ingested.folder, "oxigraph"))
    assert {s for row in rows for s in row.sources} == set(SLUGS)


def test_adding_an_article_again_changes_nothing(
    ingested: Ingested, tmp_path: Path
) -> None:
    folder = copy_of(ingested, tmp_path)
    before = snapshot(folder)
    again = [add_article(folder, document_for(path)) for path in ARTICLES]
    assert [(r.slug, r.status, r.facts, r.path) for r in again] == [
        (slug, "unchanged", 0, folder / f"{slug}.ttl") for slug in SLUGS
    ]
    assert snapshot(folder) == before


def test_removing_an_article_keeps_what_other_articles_support(
    ingested: Ingested, tmp_path: Path
) -> None:
    folder = copy_of(ingested, tmp_path)
    before_files = snapshot(folder)
    before = list_facts(open_engine(folder, "oxigraph"))
    info = EditInfo("Test Remover", "misfiled", "2024-05-01T12:00:00Z")

    remove_article(folder, CHINOOK, info)

    after_files = snapshot(folder)
    assert sorted(after_files) == sorted(
        [*(f"{s}.ttl" for s in SLUGS if s != CHINOOK), "edits/test-remover.ttl"]
    )
    assert {k: v for k, v in after_files.items() if not k.startswith("edits/")} == {
        k: v for k, v in before_files.items() if k != f"{CHINOOK}.ttl"
    }
    edits = read_file(folder / "edits" / "test-remover.ttl")
    assert [str(o) for o in edits.objects(None, PROV.invalidated)] == [
        f"{ID_BASE}source/{CHINOOK}"
    ]
    assert list(edits.objects(None, RDFS.comment)) == [Literal("misfiled")]

    after = list_facts(open_engine(folder, "oxigraph"))
    assert sources_by_fact(after) == {
        row.iri: tuple(s for s in row.sources if s != CHINOOK)
        for row in before
        if set(row.sources) - {CHINOOK}
    }
    assert [
        (row.subject, row.object, row.sources)
        for row in after
        if row.relation == "memberOf" and row.subject == "Turkey"
    ] == [("Turkey", "NATO", ("s400-turkey",))]
    report = validate_graph(load_graph(folder))
    assert (report.conforms, report.violations) == (True, ())


def sources_by_fact(rows: list[FactRow]) -> dict[URIRef, tuple[str, ...]]:
    return {row.iri: row.sources for row in rows}


def _query_names() -> list[str]:
    from geokg.queries import list_queries

    return [spec.name for spec in list_queries()]


@pytest.mark.parametrize("name", _query_names())
def test_every_named_query_gives_the_same_rows_on_both_engines(
    ingested: Ingested, name: str
) -> None:
    """On the seven-article graph, through the persistent index and through rdflib."""
    from geokg.queries import load_query, run_query

    spec = load_query(name)
    params = {
        "entity": {"name": "Turkey"},
        "between": {"a": "Turkey", "b": "NATO"},
    }.get(name, {})
    oxigraph = run_query(open_engine(ingested.folder, "oxigraph"), spec, params)
    rdflib_ = run_query(open_engine(ingested.folder, "rdflib"), spec, params)
    assert (oxigraph.variables, oxigraph.terms) == (rdflib_.variables, rdflib_.terms)
    assert oxigraph.labels == rdflib_.labels


def test_the_sources_query_lists_the_seven_articles(ingested: Ingested) -> None:
    from geokg.queries import load_query, run_query

    result = run_query(open_engine(ingested.folder), load_query("sources"), {})
    assert len(result.terms) == len(ARTICLES)
    assert all(
        int(str(row[result.variables.index("facts")])) > 0 for row in result.terms
    )

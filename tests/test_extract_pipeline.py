"""Extraction end to end: the seed article's graph, the facts table, bad input, robustness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from geokg.articles import make_document
from geokg.build import build_source_graph
from geokg.cli import cli
from geokg.extract import extract_facts
from geokg.iris import GEOKG
from geokg.table import COLUMNS
from geokg.validate import validate_graph

from .conftest import snapshot

SEED = Path(__file__).parents[1] / "src" / "geokg" / "corpus" / "s400-turkey.txt"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_graph(seed_text: str) -> Graph:
    document = make_document(seed_text, file_name=SEED.name)
    return build_source_graph(document, extract_facts(document))


def test_seed_graph_validates(seed_graph: Graph) -> None:
    report = validate_graph(seed_graph)
    assert (report.conforms, report.violations) == (True, ())


def test_every_fact_rests_on_a_sentence_that_slices_the_article(
    seed_graph: Graph, seed_text: str
) -> None:
    facts = {f for f in seed_graph.subjects(GEOKG.status, None)}
    assert len(facts) == 44
    for fact in facts:
        sentences = list(seed_graph.objects(fact, PROV.wasDerivedFrom))
        assert sentences, fact
        for sentence in sentences:
            start = int(seed_graph.value(sentence, GEOKG.startOffset))
            end = int(seed_graph.value(sentence, GEOKG.endOffset))
            assert seed_text[start:end] == str(seed_graph.value(sentence, GEOKG.text))


def test_seed_threat_keeps_its_law_and_condition(seed_graph: Graph) -> None:
    threats = [
        f
        for f in seed_graph.subjects(RDF.type, GEOKG.SanctionThreat)
        if seed_graph.value(f, GEOKG.legalBasis) is not None
    ]
    assert len(threats) == 1
    (threat,) = threats
    assert seed_graph.value(threat, GEOKG.imposer) == URIRef(
        "https://w3id.org/geokg/id/state/united-states"
    )
    assert seed_graph.value(threat, GEOKG.sanctionTarget) == URIRef(
        "https://w3id.org/geokg/id/state/turkey"
    )
    assert seed_graph.value(threat, GEOKG.legalBasis) == URIRef(
        "https://w3id.org/geokg/id/law/caatsa"
    )
    assert (
        str(seed_graph.value(threat, GEOKG.condition))
        == "if the S-400 system is activated"
    )
    assert len(list(seed_graph.objects(threat, PROV.wasDerivedFrom))) == 2


def test_extract_prints_the_facts_table(runner: CliRunner, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "India bought 36 Rafale fighter jets from France in 2016.\n", encoding="utf-8"
    )
    result = runner.invoke(cli, ["extract", str(article)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == list(COLUMNS)
    sentence = "India bought 36 Rafale fighter jets from France in 2016."
    assert [line.split("\t")[:6] for line in lines[1:]] == [
        ["India", "acquires", "Rafale", "2016", sentence, "reported"],
        ["France", "supplies", "India", "2016", sentence, "reported"],
    ]


def test_denied_relations_are_listed_only_on_request(
    runner: CliRunner, tmp_path: Path
) -> None:
    article = tmp_path / "a.txt"
    sentence = "The Kremlin said it had no plans to sell weapons to North Korea."
    article.write_text(sentence + "\n", encoding="utf-8")
    default = runner.invoke(cli, ["extract", str(article)]).stdout.splitlines()[1:]
    assert [line.split("\t")[:2] + line.split("\t")[5:6] for line in default] == [
        ["Russia", "statesThat", "claimed"]
    ]
    everything = runner.invoke(cli, ["extract", str(article), "--denied"]).stdout
    assert [
        line.split("\t")[:3] + line.split("\t")[5:6]
        for line in everything.splitlines()[1:]
    ] == [
        [
            "Russia",
            "statesThat",
            "it had no plans to sell weapons to North Korea",
            "claimed",
        ],
        ["Russia", "supplies", "North Korea", "denied"],
    ]
    turtle = runner.invoke(cli, ["extract", str(article), "-f", "turtle"]).stdout
    assert "geokg:status geokg:Denied" in turtle


def test_extract_json_and_turtle(runner: CliRunner, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Norway, a member of NATO, bought NASAMS.\n", encoding="utf-8")
    rows = json.loads(
        runner.invoke(cli, ["extract", str(article), "-f", "json"]).stdout
    )
    assert [(r["subject"], r["relation"], r["object"]) for r in rows] == [
        ("Norway", "acquires", "NASAMS"),
        ("Norway", "memberOf", "NATO"),
    ]
    assert rows[0]["evidence"] == [
        {"end": 40, "start": 0, "text": "Norway, a member of NATO, bought NASAMS."}
    ]
    turtle = runner.invoke(cli, ["extract", str(article), "-f", "turtle"]).stdout
    graph = Graph().parse(data=turtle, format="turtle")
    assert validate_graph(graph).conforms


def test_relative_date_resolves_against_the_article_date(
    runner: CliRunner, tmp_path: Path
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Poland signed a deal on Thursday to buy K2 tanks from South Korea.\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["extract", str(article), "--date", "2022-07-29"])
    rows = [line.split("\t") for line in result.stdout.splitlines()[1:]]
    assert [(r[1], r[3]) for r in rows] == [
        ("acquires", "2022-07-28"),
        ("supplies", "2022-07-28"),
    ]
    undated = runner.invoke(cli, ["extract", str(article)]).stdout.splitlines()[1:]
    assert [line.split("\t")[3] for line in undated] == ["", ""]


def test_sidecar_metadata_gives_the_date(runner: CliRunner, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Poland signed a deal on Thursday to buy K2 tanks from South Korea.\n",
        encoding="utf-8",
    )
    (tmp_path / "a.meta").write_text(
        "url: https://example.org/a\ndate: 2022-07-29 (dateline)\n", encoding="utf-8"
    )
    rows = runner.invoke(cli, ["extract", str(article)]).stdout.splitlines()[1:]
    assert [line.split("\t")[3] for line in rows] == ["2022-07-28", "2022-07-28"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty: give an article with text"),
        (b"  \n\n ", "is empty: give an article with text"),
        (
            b"caf\xe9 au lait",
            "is not UTF-8 text (bad byte at offset 3): convert it, e.g. iconv -f latin1 -t utf-8",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00",
            "looks like a binary file: give a plain-text article",
        ),
    ],
)
def test_bad_articles_get_one_line_errors(
    runner: CliRunner, tmp_path: Path, content: bytes, message: str
) -> None:
    article = tmp_path / "bad.txt"
    article.write_bytes(content)
    graph = tmp_path / "graph"
    graph.mkdir()
    before = snapshot(tmp_path)
    for args in (
        ["extract", str(article)],
        ["--graph", str(graph), "add", "article", str(article)],
    ):
        result = runner.invoke(cli, args)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == f"Error: {article} {message}\n"
    assert snapshot(tmp_path) == before


def test_a_directory_is_not_an_article(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["extract", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {tmp_path} is a folder: give the path of an article file\n",
    )


def test_adding_the_same_article_twice_is_a_no_op(
    runner: CliRunner, tmp_path: Path
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "India bought 36 Rafale fighter jets from France.\n", encoding="utf-8"
    )
    graph = tmp_path / "graph"
    first = runner.invoke(cli, ["--graph", str(graph), "add", "article", str(article)])
    assert first.stdout == f"Added a: 2 facts -> {graph / 'a.ttl'}\n"
    before = snapshot(graph)
    second = runner.invoke(cli, ["--graph", str(graph), "add", "article", str(article)])
    assert second.stdout == (
        f"Unchanged: this article is already in {graph / 'a.ttl'} (use --replace to re-extract it).\n"
    )
    assert snapshot(graph) == before


unicode_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    min_size=1,
    max_size=300,
)
wordy_text = st.lists(
    st.sampled_from(
        [
            "Turkey",
            "bought",
            "the",
            "S-400",
            "from",
            "Russia",
            "sanctions",
            "NATO",
            "said",
            "not",
            "\n",
            "it",
            "he",
            "the",
            "defense",
            "minister",
            '"',
            ",",
            ".",
            "threatened",
            "Act",
            "if",
            "(",
            ")",
            "2019",
            "under",
            "member",
            "of",
            "Greece",
            "sold",
            "to",
            "F-35",
            "ally",
            "our",
            "we",
            "allegedly",
        ]
    ),
    min_size=1,
    max_size=60,
).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(unicode_text, wordy_text))
def test_any_text_extracts_to_a_valid_graph(text: str) -> None:
    document = make_document(text if text.strip() else text + "x")
    facts = extract_facts(document)
    for fact in facts:
        for span in fact.evidence:
            assert document.text[span.start : span.end] == span.text
    assert validate_graph(build_source_graph(document, facts)).conforms

"""Named queries and `geokg query`: headers, binding, formats, errors, goldens, docs."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from geokg import resources
from geokg.cli import cli
from geokg.errors import InputError, NotFoundError
from geokg.queries import (
    QueryResult,
    list_queries,
    load_query,
    parse_header,
    prepare,
    render_docs,
    run_query,
    spec_from_text,
)
from geokg.results import format_result
from geokg.store import load_graph

from .conftest import GOLDEN, snapshot

ROOT = Path(__file__).parents[1]
DEMO = ROOT / "graph"
#: Parameters for the queries that have no defaults, so every query runs in the tests.
EXAMPLE_PARAMS = {
    "entity": {"name": "Turkey"},
    "between": {"a": "Turkey", "b": "United States"},
}


@pytest.fixture(scope="module")
def demo_graph() -> Graph:
    return load_graph(DEMO)


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "graph"
    shutil.copytree(DEMO, folder)
    return folder


def names() -> list[str]:
    return [spec.name for spec in list_queries()]


# ---- every named query ------------------------------------------------------------


@pytest.mark.parametrize("name", names())
def test_query_has_a_header_and_runs_on_the_demo_graph(
    demo_graph: Graph, name: str
) -> None:
    spec = load_query(name)
    assert spec.summary and not spec.summary.endswith(".")
    assert spec.description
    assert spec.tags
    assert "SELECT *" not in spec.text
    assert "ORDER BY" in spec.text
    for param in spec.params:
        assert f"?{param.variable}" in spec.text, param
    result = run_query(demo_graph, spec, EXAMPLE_PARAMS.get(name, {}))
    assert result.kind == "SELECT"


@pytest.mark.parametrize("name", names())
def test_query_matches_its_golden_result(
    demo_graph: Graph, name: str, update_golden: bool
) -> None:
    result = run_query(demo_graph, load_query(name), EXAMPLE_PARAMS.get(name, {}))
    actual = format_result(result, "json")
    golden = GOLDEN / "queries" / f"{name}.srj"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_docs_are_not_stale() -> None:
    expected = render_docs(list_queries())
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == expected, (
        "docs/queries.md is stale: run `make docs`"
    )


def _transitive_paths(node: object) -> list[str]:
    """The `+` and `*` property paths anywhere in a parsed query's algebra."""
    from rdflib.paths import MulPath

    if isinstance(node, MulPath):
        return [node.n3()]
    if isinstance(node, dict):
        children: list[object] = list(node.values())
    elif isinstance(node, (list, tuple, set)):
        children = list(node)
    else:
        return []
    return [path for child in children for path in _transitive_paths(child)]


def test_transitive_path_finder_finds_one() -> None:
    spec = spec_from_text("SELECT ?b WHERE { ?a (<x:p>|^<x:p>)+ ?b }", "probe")
    assert _transitive_paths(prepare(spec).algebra) == ["(<x:p>|^<x:p>)+"]


@pytest.mark.parametrize("name", names())
def test_named_queries_use_no_transitive_path(name: str) -> None:
    # Virtuoso fails on `+`/`*` paths over cyclic data, or drops the start node
    # (tests/test_virtuoso_traps.py): the named queries must run on it unchanged.
    assert _transitive_paths(prepare(load_query(name)).algebra) == []


def test_the_checks_folder_is_not_listed() -> None:
    assert "term-metadata-violation" not in names()
    assert len(names()) == 22


# ---- headers ----------------------------------------------------------------------


def test_header_with_params_and_tags() -> None:
    header = parse_header(
        "#+ summary: One line\n"
        "#+ description: Longer text.\n"
        "#+ params:\n"
        "#+   - name: buyer\n"
        "#+     type: entity\n"
        "#+     default: Turkey\n"
        "#+     description: Who buys.\n"
        "#+   - name: since\n"
        "#+     type: date\n"
        "#+ tags: arms, CQ2\n"
        "SELECT ?x WHERE { ?x ?p ?_buyer_iri } ORDER BY ?x\n"
    )
    assert header["summary"] == "One line"
    assert [
        (p.name, p.type, p.default, p.description, str(p.variable))
        for p in header["params"]
    ] == [
        ("buyer", "entity", "Turkey", "Who buys.", "_buyer_iri"),
        ("since", "date", None, "", "_since_date"),
    ]
    assert header["tags"] == ("arms", "CQ2")


def test_unknown_parameter_type_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        parse_header(
            "#+ params:\n#+   - name: x\n#+     type: colour\nSELECT ?x WHERE {}"
        )
    assert str(info.value) == (
        "query 'query': parameter 'x' has type 'colour': use one of entity, iri, string, date, integer"
    )


# ---- binding ----------------------------------------------------------------------


STRING_QUERY = """#+ summary: Texts equal to a value
#+ params:
#+   - name: text
#+     type: string
PREFIX geokg: <https://w3id.org/geokg/ns#>
SELECT ?fact WHERE { ?fact geokg:objectText ?_text } ORDER BY ?fact
"""


@pytest.mark.parametrize(
    "value",
    [
        'joint working group" } ; DELETE WHERE { ?s ?p ?o } #',
        "}\n}",
        "a;b#c",
        'x"\n?fact ?p ?o . #',
    ],
)
def test_values_with_query_syntax_cannot_change_the_query(
    demo_graph: Graph, value: str
) -> None:
    before = len(demo_graph)
    result = run_query(demo_graph, spec_from_text(STRING_QUERY, "t"), {"text": value})
    assert result.terms == []
    assert len(demo_graph) == before


def test_string_parameter_matches_exactly(demo_graph: Graph) -> None:
    result = run_query(
        demo_graph, spec_from_text(STRING_QUERY, "t"), {"text": "joint working group"}
    )
    assert len(result.terms) == 1


def test_entity_parameter_by_alias_capital_demonym_and_iri(demo_graph: Graph) -> None:
    spec = load_query("acquisitions")
    expected = run_query(demo_graph, spec, {"buyer": "Turkey"}).rows
    for value in (
        "Ankara",
        "türkiye",
        "Turkish",
        "state:turkey",
        "https://w3id.org/geokg/id/state/turkey",
    ):
        assert run_query(demo_graph, spec, {"buyer": value}).rows == expected, value


def test_unknown_entity_lists_the_closest_names(demo_graph: Graph) -> None:
    with pytest.raises(NotFoundError) as info:
        run_query(demo_graph, load_query("acquisitions"), {"buyer": "Turkei"})
    assert str(info.value) == (
        "no entity named 'Turkei' in the graph. Closest names: turkey, turkiye, türkiye. "
        "Add it with `geokg add entity`, or check the spelling"
    )


def test_date_and_integer_parameters_are_typed(demo_graph: Graph) -> None:
    text = """#+ summary: Facts on a date
#+ params:
#+   - name: day
#+     type: date
#+   - name: count
#+     type: integer
PREFIX geokg: <https://w3id.org/geokg/ns#>
SELECT ?fact ?n WHERE { ?fact geokg:date ?_day_date . BIND(?_count_integer AS ?n) } ORDER BY ?fact
"""
    result = run_query(
        demo_graph, spec_from_text(text, "t"), {"day": "2019-07-12", "count": "3"}
    )
    assert [row["n"] for row in result.rows] == [3]
    with pytest.raises(InputError) as info:
        run_query(
            demo_graph, spec_from_text(text, "t"), {"day": "12 July", "count": "3"}
        )
    assert str(info.value) == "bad date '12 July': expected YYYY-MM-DD, YYYY-MM or YYYY"


# ---- formats ----------------------------------------------------------------------


def _select(demo_graph: Graph) -> QueryResult:
    return run_query(demo_graph, load_query("sanction-threats"))


def _parsed(text: str, fmt: str) -> list[tuple[object, ...]]:
    result = Result.parse(
        io.StringIO(text) if fmt != "xml" else io.BytesIO(text.encode()), format=fmt
    )
    variables = list(result.vars or [])
    return [
        tuple(row.get(v) if hasattr(row, "get") else row[v] for v in variables)
        for row in result
    ]


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_w3c_formats_round_trip_with_rdf_terms(demo_graph: Graph, fmt: str) -> None:
    result = _select(demo_graph)
    back = _parsed(format_result(result, fmt), fmt)
    assert back == result.terms


def test_csv_round_trips_as_plain_values(demo_graph: Graph) -> None:
    result = _select(demo_graph)
    text = format_result(result, "csv")
    assert text.split("\r\n")[0] == ",".join(result.variables)
    back = _parsed(text, "csv")
    assert [tuple("" if v is None else str(v) for v in row) for row in back] == [
        tuple("" if t is None else str(t) for t in row) for row in result.terms
    ]


def test_tsv_writes_rdf_terms() -> None:
    result = QueryResult(
        "SELECT",
        ["s", "label", "n", "when"],
        [
            (
                URIRef("https://w3id.org/geokg/id/state/x"),
                Literal('say "hi"\tand\nbye', lang="en"),
                Literal(3, datatype=XSD.integer),
                None,
            )
        ],
    )
    assert format_result(result, "tsv") == (
        "?s\t?label\t?n\t?when\n"
        '<https://w3id.org/geokg/id/state/x>\t"say \\"hi\\"\\tand\\nbye"@en\t'
        '"3"^^<http://www.w3.org/2001/XMLSchema#integer>\t\n'
    )


def test_markdown_and_table_use_labels(demo_graph: Graph) -> None:
    result = run_query(demo_graph, load_query("refusals"))
    assert format_result(result, "md") == (
        "| supplier | system | status | claimant | origin | evidence |\n"
        "|---|---|---|---|---|---|\n"
        "| United States | Patriot | claimed | Turkey | extracted | Ankara argues that it was forced to buy the "
        "Russian system because the USA refused to sell the American-made Patriot system. |\n"
    )
    assert format_result(result, "table") == (
        "supplier       system   status   claimant  origin     evidence\n"
        "-------------  -------  -------  --------  ---------  ----------------------------------------------------------\n"
        "United States  Patriot  claimed  Turkey    extracted  Ankara argues that it was forced to buy the Russian system\n"
        "                                                      because the USA refused to sell the American-made Patriot\n"
        "                                                      system.\n"
        "(1 row)\n"
    )


def test_construct_writes_rdf(
    runner: CliRunner, demo_copy: Path, tmp_path: Path
) -> None:
    query = tmp_path / "c.rq"
    query.write_text(
        "PREFIX geokg: <https://w3id.org/geokg/ns#>\n"
        "CONSTRUCT { ?s geokg:acquires ?o } WHERE { ?s geokg:acquires ?o }\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        cli, ["--graph", str(demo_copy), "query", str(query), "-f", "nt"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "<https://w3id.org/geokg/id/state/turkey> <https://w3id.org/geokg/ns#acquires> "
        "<https://w3id.org/geokg/id/weapon/s-400> .\n"
    )


# ---- the command ------------------------------------------------------------------


def test_ask_prints_and_exits_by_its_answer(runner: CliRunner, demo_copy: Path) -> None:
    yes = (
        "PREFIX geokg: <https://w3id.org/geokg/ns#>\nASK { ?f a geokg:SanctionThreat }"
    )
    no = "PREFIX geokg: <https://w3id.org/geokg/ns#>\nASK { ?f a geokg:SanctionImposition }"
    first = runner.invoke(cli, ["--graph", str(demo_copy), "query", "-"], input=yes)
    assert (first.exit_code, first.stdout) == (0, "true\n")
    second = runner.invoke(cli, ["--graph", str(demo_copy), "query", "-"], input=no)
    assert (second.exit_code, second.stdout) == (1, "false\n")
    as_json = runner.invoke(
        cli, ["--graph", str(demo_copy), "query", "-", "-f", "json"], input=yes
    )
    assert json.loads(as_json.stdout) == {"boolean": True, "head": {}}


def test_output_format_from_the_extension(
    runner: CliRunner, demo_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "members.csv"
    result = runner.invoke(
        cli, ["--graph", str(demo_copy), "query", "alliance-members", "-o", str(out)]
    )
    assert (result.exit_code, result.stdout) == (0, "")
    assert (
        out.read_text(encoding="utf-8").splitlines()[0]
        == "member,status,claimant,date,origin,evidence"
    )


def test_limit_keeps_the_first_rows(runner: CliRunner, demo_copy: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "--graph",
            str(demo_copy),
            "query",
            "alliance-members",
            "-f",
            "tsv",
            "--limit",
            "1",
        ],
    )
    assert len(result.stdout.splitlines()) == 2


def test_queries_lists_names_summaries_and_parameters(runner: CliRunner) -> None:
    lines = runner.invoke(cli, ["queries"]).stdout.splitlines()
    assert len(lines) == 22
    assert lines[0] == (
        "acquisitions                   Weapon systems one actor acquires, and from whom  [-p buyer=<entity>]"
    )
    shown = runner.invoke(cli, ["queries", "deliveries"]).stdout
    assert shown.startswith(
        "deliveries: Deliveries of weapons to one recipient, with their dates\n\n"
        "Each delivery fact to the recipient"
    )
    assert (
        "\nParameters:\n  recipient (entity) (default: Turkey): The state or other actor"
        in shown
    )


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["query", "alliance-memberz"],
            None,
            "Error: no query named 'alliance-memberz': did you mean alliance-members? run `geokg queries` to list them",
        ),
        (
            ["query", "-"],
            "SELECT ?x WHERE { ?x ?p }",
            "Error: query 'stdin': SPARQL syntax error at line 1, column",
        ),
        (
            ["query", "entity"],
            None,
            "Error: query 'entity' needs -p name=<entity> (The entity, by label, alias or IRI.)",
        ),
        (
            ["query", "acquisitions", "-p", "seller=Russia"],
            None,
            "Error: query 'acquisitions' has no parameter 'seller': its parameters are buyer",
        ),
        (
            ["query", "acquisitions", "-p", "buyer"],
            None,
            "Error: bad parameter 'buyer': write it as NAME=VALUE, e.g. -p buyer=Turkey",
        ),
        (
            ["query", "acquisitions", "-f", "yaml"],
            None,
            "Error: Invalid value for '-f' / '--format': unknown format 'yaml'",
        ),
        (
            ["query", "acquisitions", "-f", "turtle"],
            None,
            "Error: format 'turtle' does not fit a SELECT query: use one of table, json, xml, csv, tsv, md",
        ),
    ],
)
def test_bad_input_is_a_one_line_error_with_exit_2(
    runner: CliRunner, demo_copy: Path, args: list[str], stdin: str | None, message: str
) -> None:
    before = snapshot(demo_copy)
    result = runner.invoke(cli, ["--graph", str(demo_copy), *args], input=stdin)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
    assert snapshot(demo_copy) == before


def test_syntax_error_names_line_and_column(demo_graph: Graph) -> None:
    spec = spec_from_text(
        "PREFIX geokg: <https://w3id.org/geokg/ns#>\nSELECT ?x\nWHERE { ?x geokg:p }\n",
        "broken",
    )
    with pytest.raises(InputError) as info:
        run_query(demo_graph, spec)
    assert str(info.value).startswith(
        "query 'broken': SPARQL syntax error at line 3, column "
    )


def test_queries_folder_is_found() -> None:
    assert (resources.queries_dir() / "alliance-members.rq").is_file()


# ---- engines ----------------------------------------------------------------------


@pytest.mark.parametrize("name", names())
def test_oxigraph_and_rdflib_give_the_same_rows(demo_graph: Graph, name: str) -> None:
    from geokg.engine import OxigraphEngine, RdflibEngine

    spec = load_query(name)
    params = EXAMPLE_PARAMS.get(name, {})
    oxigraph = run_query(OxigraphEngine.from_folder(DEMO), spec, params)
    rdflib_ = run_query(RdflibEngine(demo_graph), spec, params)
    assert (oxigraph.variables, oxigraph.terms) == (rdflib_.variables, rdflib_.terms)
    assert oxigraph.labels == rdflib_.labels


def test_timeout_during_parsing_is_still_a_timeout(demo_graph: Graph) -> None:
    """The alarm may land while rdflib parses the query: that is a timeout, not a
    syntax error, and it never leaves the query running."""
    from geokg.engine import RdflibEngine
    from geokg.queries import QueryTimeout

    spec = spec_from_text("SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f }", "runaway")
    for _ in range(20):
        with pytest.raises(QueryTimeout):
            run_query(RdflibEngine(demo_graph), spec, {}, timeout=0.000_001)


def test_a_triple_in_several_files_counts_once(tmp_path: Path) -> None:
    """The merged graph is a set: entities described in every file, and a file loaded
    twice, give the rows of one copy on both engines."""
    from geokg.engine import OxigraphEngine, RdflibEngine

    folder = tmp_path / "graph"
    folder.mkdir()
    for name in ("a.ttl", "b.ttl", "c.ttl"):
        shutil.copy(DEMO / "s400-turkey.ttl", folder / name)
    spec = spec_from_text(
        "PREFIX geokg: <https://w3id.org/geokg/ns#> "
        "SELECT (COUNT(*) AS ?n) WHERE { ?fact geokg:subject ?s ; geokg:status ?st ; geokg:object ?o }",
        "count",
    )
    single = run_query(OxigraphEngine.from_folder(DEMO), spec, {}).rows
    assert run_query(OxigraphEngine.from_folder(folder), spec, {}).rows == single
    assert run_query(RdflibEngine(load_graph(folder)), spec, {}).rows == single
    assert len(OxigraphEngine.from_folder(folder)) == len(load_graph(DEMO))


def test_unknown_engine_is_a_usage_error(runner: CliRunner, demo_copy: Path) -> None:
    result = runner.invoke(
        cli, ["--graph", str(demo_copy), "query", "offices", "--engine", "jena"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: Invalid value for '--engine': 'jena' is not one of"
    )


def test_select_parameters_must_be_projected_for_oxigraph(demo_copy: Path) -> None:
    from geokg.engine import open_engine

    text = """#+ summary: x
#+ params:
#+   - name: who
#+     type: entity
PREFIX geokg: <https://w3id.org/geokg/ns#>
SELECT ?fact WHERE { ?fact geokg:buyer ?_who_iri } ORDER BY ?fact
"""
    with pytest.raises(InputError) as info:
        run_query(
            open_engine(demo_copy), spec_from_text(text, "mine"), {"who": "Turkey"}
        )
    assert str(info.value) == (
        "query 'mine': a SELECT query must list its parameter ?_who_iri in its projection "
        "(SELECT ?_who_iri ...): parameters are bound before evaluation (SEP-0007)"
    )


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_timeout_stops_a_runaway_query(
    runner: CliRunner, demo_copy: Path, engine: str
) -> None:
    runaway = "SELECT ?a ?d ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    result = runner.invoke(
        cli,
        [
            "--graph",
            str(demo_copy),
            "query",
            "-",
            "--timeout",
            "0.5",
            "--engine",
            engine,
            "-f",
            "tsv",
        ],
        input=runaway,
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: the query ran longer than 0.5 s: raise --timeout or narrow the query\n"
    )

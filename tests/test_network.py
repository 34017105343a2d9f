"""The network projection and its analytics, the view's selection, and the CLI around
them (`geokg view`, `geokg path`, `geokg neighbours`, `geokg export -f graphml|gexf`).

The graph is written here from model objects, so every count and every line of output is
known; the browser side of the page is in test_view_browser.py.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from geokg.build import build_source_graph
from geokg.cli import cli
from geokg.engine import open_engine
from geokg.errors import InputError, NotFoundError
from geokg.model import Entity, Fact, SourceDocument, Span
from geokg.network import (
    export_network,
    filter_edges,
    find_node,
    format_neighbours,
    format_path,
    neighbours,
    shortest_path,
    to_networkx,
)
from geokg.store import load_graph, write_graph
from geokg.view import page_data, render_html, select_network, write_view

from .conftest import snapshot

SENTENCES = (
    "Northland bought the Skyshield system from Eastmark in 2017.",
    "Eastmark also supplies Skyshield to Westland.",
    "Northland is a member of the Harbour Pact.",
    "Westland threatened sanctions against Northland.",
    "The Northland minister said the deal was final.",
    "Northland plans to buy more Skyshield units next year.",
)

NORTH = Entity("state", "Northland", aliases=("Republic of Northland",))
EAST = Entity("state", "Eastmark")
WEST = Entity("state", "Westland")
PACT = Entity("alliance", "Harbour Pact")
SKY = Entity("weapon-system", "Skyshield")
LONE = Entity("state", "Lonely Isle")


def spans() -> list[Span]:
    out, offset = [], 0
    for sentence in SENTENCES:
        out.append(Span(offset, offset + len(sentence), sentence))
        offset += len(sentence) + 1
    return out


def facts() -> list[Fact]:
    s = spans()
    return [
        Fact(
            "acquires",
            NORTH,
            SKY,
            date="2017",
            roles=(("geokg:supplier", EAST),),
            evidence=(s[0],),
            rule="t",
        ),
        Fact("supplies", EAST, SKY, evidence=(s[1],), rule="t"),
        Fact("memberOf", NORTH, PACT, evidence=(s[2],), rule="t"),
        Fact(
            "threatensSanctions",
            WEST,
            NORTH,
            status="threatened",
            date="2019-07",
            evidence=(s[3],),
            rule="t",
        ),
        Fact(
            "statesThat",
            NORTH,
            object_text="the deal was final",
            status="claimed",
            claimant=NORTH,
            roles=(("geokg:about", SKY),),
            evidence=(s[4],),
            rule="t",
        ),
        Fact("acquires", NORTH, SKY, status="expected", evidence=(s[5],), rule="t"),
    ]


@pytest.fixture
def graph_dir(tmp_path: Path) -> Path:
    """A graph folder with one source of six facts over five entities, plus an entity
    no fact touches."""
    folder = tmp_path / "graph"
    folder.mkdir()
    document = SourceDocument(
        "toy", " ".join(SENTENCES), title="Toy article", date="2019-08-01"
    )
    write_graph(build_source_graph(document, facts()), folder / "toy.ttl")
    isolated = build_source_graph(
        SourceDocument("lone", "Lonely Isle is calm.", title="Calm"),
        [
            Fact(
                "memberOf",
                LONE,
                Entity("alliance", "Island Forum"),
                evidence=(Span(0, 20, "Lonely Isle is calm."),),
                rule="t",
            )
        ],
    )
    write_graph(isolated, folder / "lone.ttl")
    return folder


@pytest.fixture
def net(graph_dir: Path) -> nx.MultiDiGraph:
    return to_networkx(open_engine(graph_dir))


def label_of(net: nx.MultiDiGraph, node: str) -> str:
    return str(net.nodes[node]["label"])


def edge_summary(net: nx.MultiDiGraph) -> list[tuple[str, str, str, str]]:
    return sorted(
        (label_of(net, a), d["relation"], label_of(net, b), d["status"])
        for a, b, d in net.edges(data=True)
    )


# ---- the projection -------------------------------------------------------------------


def test_every_fact_is_one_edge_and_text_facts_are_nodes(net: nx.MultiDiGraph) -> None:
    assert edge_summary(net) == [
        ("Eastmark", "supplies", "Skyshield", "reported"),
        ("Lonely Isle", "memberOf", "Island Forum", "reported"),
        ("Northland", "acquires", "Skyshield", "expected"),
        ("Northland", "acquires", "Skyshield", "reported"),
        ("Northland", "memberOf", "Harbour Pact", "reported"),
        ("Northland", "statesThat", "the deal was final", "claimed"),
        ("Westland", "threatensSanctions", "Northland", "threatened"),
        ("the deal was final", "about", "Skyshield", "claimed"),
    ]
    types = sorted((d["label"], d["type"]) for _, d in net.nodes(data=True))
    assert types == [
        ("Eastmark", "state"),
        ("Harbour Pact", "alliance"),
        ("Island Forum", "alliance"),
        ("Lonely Isle", "state"),
        ("Northland", "state"),
        ("Skyshield", "weapon-system"),
        ("Westland", "state"),
        ("the deal was final", "statement"),
    ]


def test_parallel_relations_between_one_pair_both_survive(net: nx.MultiDiGraph) -> None:
    north, sky = find_node(net, "Northland"), find_node(net, "Skyshield")
    statuses = sorted(d["status"] for d in net.get_edge_data(north, sky).values())
    assert statuses == ["expected", "reported"]


def test_edges_carry_date_claimant_and_evidence(net: nx.MultiDiGraph) -> None:
    west, north = find_node(net, "Westland"), find_node(net, "Northland")
    (threat,) = net.get_edge_data(west, north).values()
    assert threat["date"] == "2019-07"
    assert [e.text for e in threat["evidence"]] == [SENTENCES[3]]
    assert threat["evidence"][0].source == "Toy article"
    assert threat["evidence"][0].source_date == "2019-08-01"
    (said,) = [
        d
        for _, _, d in net.out_edges(north, data=True)
        if d["relation"] == "statesThat"
    ]
    assert said["claimant"] == "Northland"


def test_projection_is_the_same_on_rdflib_and_oxigraph(graph_dir: Path) -> None:
    on_rdflib = to_networkx(load_graph(graph_dir))
    on_oxigraph = to_networkx(open_engine(graph_dir))
    assert sorted(on_rdflib.edges(keys=True, data=True)) == sorted(
        on_oxigraph.edges(keys=True, data=True)
    )
    assert sorted(on_rdflib.nodes(data=True)) == sorted(on_oxigraph.nodes(data=True))


def test_demo_graph_projection() -> None:
    demo = to_networkx(open_engine(Path(__file__).parents[1] / "graph"))
    assert (demo.number_of_nodes(), demo.number_of_edges()) == (34, 44)
    types = Counter(d["type"] for _, d in demo.nodes(data=True))
    assert types == {"statement": 12, "weapon-system": 5, "person": 5, "state": 4, "post": 4,
                     "proposal": 2, "alliance": 1, "law": 1}  # fmt: skip
    turkey, s400 = find_node(demo, "Turkey"), find_node(demo, "S-400")
    edges = sorted(
        (d["relation"], d["status"], d["claimant"])
        for d in demo.get_edge_data(turkey, s400).values()
    )
    assert edges == [
        ("acquires", "claimed", "Hulusi Akar"),
        ("acquires", "claimed", "Turkey"),
        ("acquires", "reported", ""),
        ("operates", "expected", "Hulusi Akar"),
    ]
    (reported,) = [
        d
        for d in demo.get_edge_data(turkey, s400).values()
        if d["status"] == "reported"
    ]
    assert [e.start for e in reported["evidence"]] == [69, 857, 1239, 2375]
    assert (
        reported["evidence"][0].text
        == "Turkey's purchase of Russian weapons has alarmed NATO allies."
    )


# ---- names, paths, neighbours ---------------------------------------------------------


def test_find_node_takes_a_label_an_alias_or_an_iri(net: nx.MultiDiGraph) -> None:
    iri = find_node(net, "northland")
    assert find_node(net, "Republic of Northland") == iri
    assert find_node(net, iri) == iri


def test_unknown_name_lists_the_closest_names(net: nx.MultiDiGraph) -> None:
    with pytest.raises(
        NotFoundError,
        match=r"no entity named 'Nortland' in the network: closest names are Northland",
    ):
        find_node(net, "Nortland")


def test_shortest_path_prefers_reported_facts_and_shows_evidence(
    net: nx.MultiDiGraph,
) -> None:
    hops = shortest_path(net, find_node(net, "Westland"), find_node(net, "Eastmark"))
    assert format_path(net, hops) == (
        "Westland --threatensSanctions--> Northland  [threatened]\n"
        f"    \u201c{SENTENCES[3]}\u201d (Toy article)\n"
        "Northland --acquires--> Skyshield  [reported]\n"
        f"    \u201c{SENTENCES[0]}\u201d (Toy article)\n"
        "Skyshield <--supplies-- Eastmark  [reported]\n"
        f"    \u201c{SENTENCES[1]}\u201d (Toy article)\n"
    )


def test_no_path_is_a_clear_error(net: nx.MultiDiGraph) -> None:
    with pytest.raises(
        NotFoundError, match="no chain of facts links 'Lonely Isle' and 'Northland'"
    ):
        shortest_path(net, find_node(net, "Lonely Isle"), find_node(net, "Northland"))


def test_neighbours_by_distance_then_name(net: nx.MultiDiGraph) -> None:
    found = neighbours(net, find_node(net, "Northland"), 2)
    assert format_neighbours(net, found) == (
        "1  alliance  Harbour Pact\n"
        "1  weapon-system  Skyshield\n"
        "1  state  Westland\n"
        "1  statement  the deal was final\n"
        "2  state  Eastmark\n"
    )


# ---- selection for the page -----------------------------------------------------------


def test_filter_by_relation_status_and_date(net: nx.MultiDiGraph) -> None:
    assert edge_summary(filter_edges(net, relations=["acquires"])) == [
        ("Northland", "acquires", "Skyshield", "expected"),
        ("Northland", "acquires", "Skyshield", "reported"),
    ]
    assert edge_summary(filter_edges(net, statuses=["threatened", "claimed"])) == [
        ("Northland", "statesThat", "the deal was final", "claimed"),
        ("Westland", "threatensSanctions", "Northland", "threatened"),
        ("the deal was final", "about", "Skyshield", "claimed"),
    ]
    # Undated facts are left out once a bound is given; a year overlaps a month bound.
    assert edge_summary(filter_edges(net, since="2017-06", until="2018")) == [
        ("Northland", "acquires", "Skyshield", "reported"),
    ]
    assert edge_summary(filter_edges(net, since="2019-01-01")) == [
        ("Westland", "threatensSanctions", "Northland", "threatened"),
    ]


def test_unknown_relation_or_status_is_refused(net: nx.MultiDiGraph) -> None:
    with pytest.raises(InputError, match="unknown relation 'buys': use one of"):
        filter_edges(net, relations=["buys"])
    with pytest.raises(
        InputError, match="unknown status 'rumoured': use one of reported"
    ):
        filter_edges(net, statuses=["rumoured"])


def test_focus_keeps_the_ego_network(net: nx.MultiDiGraph) -> None:
    shown, dropped, summary = select_network(net, focus="Eastmark", depth=1)
    assert sorted(label_of(shown, n) for n in shown) == ["Eastmark", "Skyshield"]
    assert (dropped, summary) == (0, "2 nodes, 1 edge within 1 step of Eastmark")
    shown, _, _ = select_network(net, focus="Eastmark", depth=2)
    assert sorted(label_of(shown, n) for n in shown) == [
        "Eastmark",
        "Northland",
        "Skyshield",
        "the deal was final",
    ]


def test_max_nodes_keeps_the_most_central_and_pins_the_focus(
    net: nx.MultiDiGraph,
) -> None:
    shown, dropped, _ = select_network(net, max_nodes=2)
    assert dropped == 6
    assert sorted(label_of(shown, n) for n in shown) == ["Northland", "Skyshield"]
    shown, dropped, _ = select_network(net, focus="Westland", depth=3, max_nodes=1)
    assert [label_of(shown, n) for n in shown] == ["Westland"]
    assert dropped == 5


def test_max_edges_keeps_the_focus_edges_then_the_strongest(
    net: nx.MultiDiGraph,
) -> None:
    total = net.number_of_edges()
    shown, _, summary = select_network(net, max_edges=2)
    assert shown.number_of_nodes() == net.number_of_nodes()
    assert shown.number_of_edges() == 2
    assert summary.endswith(f"; {total - 2} weaker edges left out (--max-edges 2)")
    shown, _, _ = select_network(net, focus="Eastmark", depth=2, max_edges=1)
    [(source, target)] = [(s, t) for s, t, _ in shown.edges(keys=True)]
    assert "Eastmark" in (label_of(shown, source), label_of(shown, target))
    again, _, _ = select_network(net, max_edges=2)
    assert sorted(again.edges(keys=True)) == sorted(
        select_network(net, max_edges=2)[0].edges(keys=True)
    )
    with pytest.raises(InputError, match="--max-edges must be at least 1, not 0"):
        select_network(net, max_edges=0)


def test_an_edge_carries_three_sentences_and_counts_the_rest() -> None:
    from geokg.network import Evidence

    net = nx.MultiDiGraph()
    net.add_node("a", label="A", type="state")
    net.add_node("b", label="B", type="state")
    sentences = [Evidence("src", "", i, i + 1, f"Sentence {i}.") for i in range(5)]
    net.add_edge("a", "b", key="f", relation="supports", evidence=sentences)
    [edge] = page_data(net)["edges"]
    assert [e["text"] for e in edge["evidence"]] == [
        "Sentence 0.",
        "Sentence 1.",
        "Sentence 2.",
    ]
    assert edge["moreEvidence"] == 2


def test_bad_selection_is_refused(net: nx.MultiDiGraph) -> None:
    with pytest.raises(InputError, match="--max-nodes must be at least 1, not 0"):
        select_network(net, max_nodes=0)
    with pytest.raises(InputError, match="2019-13"):
        select_network(net, since="2019-13")


# ---- the page -------------------------------------------------------------------------


def test_page_data_holds_the_facts_for_tooltips_and_filters(
    net: nx.MultiDiGraph,
) -> None:
    data = page_data(net)
    assert len(data["nodes"]) == 8
    assert len(data["edges"]) == 8
    assert [(r["name"], r["count"]) for r in data["relations"]] == [
        ("memberOf", 2),
        ("acquires", 2),
        ("supplies", 1),
        ("threatensSanctions", 1),
        ("statesThat", 1),
        ("about", 1),
    ]
    assert [(s["name"], s["count"]) for s in data["statuses"]] == [
        ("reported", 4),
        ("claimed", 2),
        ("threatened", 1),
        ("expected", 1),
    ]


def test_page_is_offline_and_deterministic(
    net: nx.MultiDiGraph, graph_dir: Path
) -> None:
    first = render_html(net, "Toy")
    assert first == render_html(to_networkx(load_graph(graph_dir)), "Toy")
    assert re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", first) == []
    assert "<script src=" not in first and "<link " not in first


def test_write_view_refuses_a_missing_folder_and_writes_nothing(
    net: nx.MultiDiGraph, tmp_path: Path
) -> None:
    with pytest.raises(
        InputError, match="does not exist: create it, or give another -o path"
    ):
        write_view(net, tmp_path / "missing" / "page.html")
    assert not (tmp_path / "missing").exists()
    with pytest.raises(InputError, match="is a folder: give a file name"):
        write_view(net, tmp_path)


# ---- export for network tools ---------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_round_trips_and_is_deterministic(
    net: nx.MultiDiGraph, graph_dir: Path, fmt: str
) -> None:
    text = export_network(net, fmt)
    assert text == export_network(to_networkx(load_graph(graph_dir)), fmt)
    path = graph_dir.parent / f"net.{fmt}"
    path.write_text(text, encoding="utf-8")
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == 8
    assert back.number_of_edges() == 8
    relations = sorted(d["relation"] for _, _, d in back.edges(data=True))
    assert relations == sorted(d["relation"] for _, _, d in net.edges(data=True))
    assert "lastmodifieddate" not in text


# ---- the CLI --------------------------------------------------------------------------


def test_cli_view_writes_the_page_and_reports_what_it_dropped(
    runner: CliRunner, graph_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "page.html"
    result = runner.invoke(
        cli, ["-g", str(graph_dir), "view", "-o", str(out), "--max-nodes", "3"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {out} (3 nodes, 2 edges)\n"
    assert result.stderr == "5 less central nodes left out (--max-nodes 3)\n"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["view", "--focus", "Nortland"],
            "Error: no entity named 'Nortland' in the network: closest names are Northland, Westland\n",
        ),
        (
            ["view", "--max-nodes", "0"],
            "Error: Invalid value for '--max-nodes': 0 is not in the range x>=1. (see `geokg view --help`)\n",
        ),
        (
            ["view", "--status", "rumoured"],
            "Error: unknown status 'rumoured': use one of ",
        ),
        (
            ["view", "-o", "missing/page.html"],
            "Error: folder missing does not exist: create it, or give another -o path\n",
        ),
        (
            ["path", "Northland", "Atlantis"],
            "Error: no entity named 'Atlantis' in the network",
        ),
        (
            ["path", "Lonely Isle", "Northland"],
            "Error: no chain of facts links 'Lonely Isle' and 'Northland'\n",
        ),
        (["neighbours", "Nowhere"], "Error: no entity named 'Nowhere' in the network"),
    ],
)
def test_cli_bad_input_is_one_line_and_writes_nothing(
    runner: CliRunner,
    graph_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    result = runner.invoke(cli, ["-g", str(graph_dir), *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert snapshot(tmp_path) == before


def test_cli_path_and_neighbours(runner: CliRunner, graph_dir: Path) -> None:
    result = runner.invoke(cli, ["-g", str(graph_dir), "path", "Northland", "Eastmark"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[::2] == [
        "Northland --acquires--> Skyshield  [reported]",
        "Skyshield <--supplies-- Eastmark  [reported]",
    ]
    result = runner.invoke(cli, ["-g", str(graph_dir), "neighbours", "Eastmark"])
    assert result.stdout == "1  weapon-system  Skyshield\n"


def test_cli_export_graphml_to_a_file(
    runner: CliRunner, graph_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "net.graphml"
    result = runner.invoke(
        cli, ["-g", str(graph_dir), "export", "-f", "graphml", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out).number_of_edges() == 8

"""CQ1-CQ17: each named query on the graph extracted from the seed article alone.

The graph is built by ``add_article`` from ``src/geokg/corpus/s400-turkey.txt`` (no fact
typed in by hand); each test runs a named query through the library and asserts the
answer of ``competency-questions.md``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from geokg.articles import add_article, make_document, read_article_text
from geokg.queries import QueryResult, load_query, run_query
from geokg.store import load_graph

SEED = Path(__file__).parents[1] / "src" / "geokg" / "corpus" / "s400-turkey.txt"


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    folder = tmp_path_factory.mktemp("graph")
    text, name = read_article_text(SEED)
    add_article(folder, make_document(text, file_name=name))
    return load_graph(folder)


def ask(graph: Graph, name: str, **params: str) -> QueryResult:
    return run_query(graph, load_query(name), params)


def column(result: QueryResult, name: str) -> list[str]:
    return [row[name] for row in result.labelled()]


def sentence(start: str, end: str) -> str:
    """The seed article's text from ``start`` to ``end`` (inclusive), verbatim."""
    text = SEED.read_text(encoding="utf-8")
    index = text.index(start)
    return text[index : text.index(end, index) + len(end)]


def test_cq1_alliance_members(graph: Graph) -> None:
    assert sorted(set(column(ask(graph, "alliance-members"), "member"))) == [
        "Greece",
        "Turkey",
    ]


def test_cq2_acquisitions_and_supplier(graph: Graph) -> None:
    result = ask(graph, "acquisitions", buyer="Turkey")
    assert set(column(result, "system")) == {"S-400"}
    assert {s for s in column(result, "supplier") if s} == {"Russia"}


def test_cq2_buyer_given_by_metonym(graph: Graph) -> None:
    assert (
        ask(graph, "acquisitions", buyer="Ankara").rows
        == ask(graph, "acquisitions").rows
    )


def test_cq3_deliveries_date(graph: Graph) -> None:
    result = ask(graph, "deliveries")
    assert [(r["supplier"], r["system"], r["date"]) for r in result.labelled()] == [
        ("Russia", "S-400", "2019-07-12")
    ]
    (date,) = [row[2] for row in result.terms]
    assert date == Literal("2019-07-12", datatype=XSD.date)


def test_cq4_sanction_threats_reason_and_law(graph: Graph) -> None:
    rows = ask(graph, "sanction-threats", target="Turkey").labelled()
    assert {r["imposer"] for r in rows} == {"United States"}
    assert {r["reason"] for r in rows} == {
        "for the purchase of S-400 air defense systems",
        "for the purchase of Russian-made S-400 surface-to-air missile systems",
    }
    assert {r["law"] for r in rows if r["law"]} == {"CAATSA"}
    assert {r["lawNameInText"] for r in rows if r["lawNameInText"]} == {
        "Countering America's Adversarial Missile Act"
    }
    assert {r["officialName"] for r in rows if r["officialName"]} == {
        "Countering America's Adversaries Through Sanctions Act"
    }


def test_cq5_sanction_condition(graph: Graph) -> None:
    rows = ask(graph, "sanction-conditions").labelled()
    assert {(r["imposer"], r["condition"]) for r in rows} == {
        ("United States", "if the S-400 system is activated")
    }


def test_cq6_opposition(graph: Graph) -> None:
    assert set(column(ask(graph, "opposition"), "opponent")) == {
        "United States",
        "NATO",
    }


def test_cq7_system_threats_and_who_says_so(graph: Graph) -> None:
    rows = ask(graph, "system-threats").labelled()
    assert {
        (r["relation"], r["other"] or r["otherText"], r["status"], r["claimant"])
        for r in rows
    } == {
        ("threatTo", "F-35", "claimed", "United States"),
        ("notInteroperableWith", "NATO", "claimed", "United States"),
        ("threatTo", "Alliance aircraft", "possible", "NATO Secretary General"),
    }


def test_cq8_refusal_is_a_claim_of_turkey(graph: Graph) -> None:
    rows = ask(graph, "refusals").labelled()
    assert [(r["supplier"], r["system"], r["status"], r["claimant"]) for r in rows] == [
        ("United States", "Patriot", "claimed", "Turkey")
    ]


def test_cq9_origin_of_systems(graph: Graph) -> None:
    rows = ask(graph, "origin-of-systems").labelled()
    origins = {(r["system"], r["country"]) for r in rows}
    assert {o for o in origins if o[0] in ("S-400", "Patriot")} == {
        ("S-400", "Russia"),
        ("Patriot", "United States"),
    }
    assert origins == {
        ("S-400", "Russia"),
        ("Patriot", "United States"),
        ("Russian-made missiles", "Russia"),
    }


def test_cq10_members_using_russian_weapons(graph: Graph) -> None:
    rows = ask(graph, "members-using-foreign-weapons").labelled()
    assert {(r["member"], r["system"]) for r in rows} == {
        ("Turkey", "S-400"),
        ("Greece", "Russian-made missiles"),
    }


def test_cq11_offices(graph: Graph) -> None:
    rows = ask(graph, "offices").labelled()
    assert sorted({(r["person"], r["post"], r["organization"]) for r in rows}) == [
        (
            "Clarke Cooper",
            "Under-Secretary of State for Political and Military Affairs of the United States",
            "United States",
        ),
        ("Hulusi Akar", "Defense Minister of Turkey", "Turkey"),
        ("Joe Biden", "President-elect of the United States", "United States"),
        ("NATO Secretary General", "Secretary General of NATO", "NATO"),
        ("Recep Tayyip Erdogan", "President of Turkey", "Turkey"),
    ]


def test_cq12_statements_by_akar_with_their_sentences(graph: Graph) -> None:
    rows = ask(graph, "statements-by", speaker="Hulusi Akar").labelled()
    assert [r["evidence"] for r in rows] == [
        sentence(
            '"We will use the S-400s in the same way',
            "said the Turkish defense minister.",
        ),
        sentence(
            '"We will use the S-400 system in the same way',
            "the defense minister said.",
        ),
        sentence(
            "Turkey's defense minister Hulusi Akar has reaffirmed",
            "objections of the USA.",
        ),
        sentence(
            "Akar declared before a parliamentary budget committee", "S-400 as planned."
        ),
        sentence("Akar said that Turkey is ready to discuss", "the S-400 and F-35."),
    ]
    assert {r["status"] for r in rows} == {"claimed"}


def test_cq13_proposals_of_turkey(graph: Graph) -> None:
    rows = ask(graph, "proposals", proposer="Turkey").labelled()
    assert [r["content"] for r in rows] == [
        "Ankara and Washington should discuss possible technical measures concerning the S-400 "
        "in order to solve the bilateral contradictions",
        "joint working group",
    ]


def test_cq14_sentences_that_support_the_threat(graph: Graph) -> None:
    rows = ask(graph, "evidence-for").labelled()
    assert [r["evidence"] for r in rows] == [
        sentence("The United States is also threatening", "restrictions unanswered."),
        sentence(
            "Meanwhile, the US under-secretary", "surface-to-air missile systems."
        ),
        sentence("The U.S. has also warned Ankara", "system is activated."),
    ]


def test_cq15_claims_and_their_claimants(graph: Graph) -> None:
    rows = ask(graph, "claims").labelled()
    assert Counter((r["claimant"], r["relation"]) for r in rows) == Counter(
        {
            ("Hulusi Akar", "statesThat"): 5,
            ("Turkey", "statesThat"): 3,
            ("Hulusi Akar", "opposes"): 1,
            # "... reaffirmed the plans to use a system that it bought"
            ("Hulusi Akar", "acquires"): 1,
            ("Hulusi Akar", "originCountry"): 1,
            ("Hulusi Akar", "proposes"): 1,
            ("Recep Tayyip Erdogan", "statesThat"): 1,
            ("Recep Tayyip Erdogan", "opposes"): 1,
            ("Turkey", "acquires"): 1,
            ("Turkey", "originCountry"): 1,
            ("Turkey", "refusesToSell"): 1,
            ("United States", "statesThat"): 1,
            ("United States", "threatTo"): 1,
            ("United States", "notInteroperableWith"): 1,
            ("NATO Secretary General", "statesThat"): 1,
            ("Clarke Cooper", "statesThat"): 1,
            ("Clarke Cooper", "originCountry"): 1,
        }
    )
    said = {
        (r["claimant"], r["objectText"]) for r in rows if r["relation"] == "statesThat"
    }
    assert ("Turkey", "what it considers a double standard") in said
    assert (
        "Turkey",
        "it will not leave the imposition of these restrictions unanswered",
    ) in said
    assert (
        "Recep Tayyip Erdogan",
        "Ankara will not give up the S-400 despite the pressure of the USA",
    ) in said


def test_cq16_timeline(graph: Graph) -> None:
    rows = ask(graph, "timeline").labelled()
    assert [(r["date"], r["dateText"], r["relation"], r["subject"]) for r in rows] == [
        ("2019-07-12", "12 July 2019", "delivers", "Russia"),
        ("", "early November", "statesThat", "Clarke Cooper"),
    ]


def test_cq16_timeline_with_the_article_date(tmp_path: Path) -> None:
    text, name = read_article_text(SEED)
    add_article(tmp_path, make_document(text, file_name=name, date="2020-11-20"))
    rows = ask(load_graph(tmp_path), "timeline").labelled()
    assert [(r["date"], r["relation"], r["subject"]) for r in rows] == [
        ("2019-07-12", "delivers", "Russia"),
        ("2020-11", "statesThat", "Clarke Cooper"),
        ("2020-11-19", "statesThat", "Hulusi Akar"),
    ]


def test_cq17_hedged_outlook(graph: Graph) -> None:
    rows = ask(graph, "hedged-outlook").labelled()
    assert [(r["relation"], r["subject"], r["object"], r["status"]) for r in rows] == [
        ("opposes", "Joe Biden", "Turkey", "expected"),
        ("threatensSanctions", "United States", "Turkey", "possible"),
    ]

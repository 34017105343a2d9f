"""`geokg validate` and the SHACL shapes: exit codes 0/1/2 and readable reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geokg.cli import cli
from geokg.store import load_graph
from geokg.validate import validate_graph

from .conftest import DATA, snapshot

SMALL = (DATA / "small.ttl").read_text(encoding="utf-8")


def graph_with(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "graph"
    folder.mkdir()
    (folder / "article.ttl").write_text(text, encoding="utf-8")
    return folder


def replaced(old: str, new: str) -> str:
    assert old in SMALL, old
    return SMALL.replace(old, new)


def test_conforming_graph_exits_0(runner: CliRunner, small_graph: Path) -> None:
    result = runner.invoke(cli, ["--graph", str(small_graph), "validate"])
    assert (result.exit_code, result.stdout) == (
        0,
        "The graph conforms to geokg's shapes.\n",
    )


def test_missing_required_property_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    folder = graph_with(tmp_path, replaced(" geokg:buyer state:ruritania ;", ""))
    folder_before = snapshot(folder)
    result = runner.invoke(cli, ["--graph", str(folder), "validate"])
    assert result.exit_code == 1
    assert result.stdout == (
        "The graph does not conform: 1 violation.\n"
        "\n"
        "1. An arms acquisition needs exactly one buyer, an actor.\n"
        "   focus: fact:acquires-1\n"
        "   property: geokg:buyer\n"
        "   severity: Violation; shape: geokg:ArmsAcquisitionShape\n"
    )
    assert snapshot(folder) == folder_before


def test_wrong_datatype_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    folder = graph_with(tmp_path, replaced('"2021-03"^^xsd:gYearMonth', '"March 2021"'))
    result = runner.invoke(cli, ["--graph", str(folder), "validate", "-f", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    assert [
        (v["focus"], v["path"], v["value"], v["message"]) for v in report["violations"]
    ] == [
        (
            "fact:acquires-1",
            "geokg:date",
            "'March 2021'",
            "A fact's date must be one xsd:date (2019-07-12), xsd:gYearMonth (2019-07) "
            "or xsd:gYear (2019).",
        )
    ]


def test_wrong_class_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    folder = graph_with(
        tmp_path,
        replaced(
            "geokg:weaponSystem weapon:zenith-9", "geokg:weaponSystem state:osterlich"
        ),
    )
    result = runner.invoke(cli, ["--graph", str(folder), "validate", "-f", "table"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "severity   focus            property            value                        message",
        "Violation  fact:acquires-1  geokg:weaponSystem  state:osterlich (Osterlich)  "
        "An arms acquisition needs exactly one weapon system (geokg:weaponSystem).",
    ]


def test_claim_without_claimant_is_a_violation(tmp_path: Path) -> None:
    folder = graph_with(tmp_path, replaced(" geokg:claimant state:osterlich ;", ""))
    report = validate_graph(load_graph(folder))
    assert [v.message for v in report.violations] == [
        "A claimed fact must name its claimant (geokg:claimant): a claim keeps who made it."
    ]


def test_fact_without_evidence_or_manual_edit_is_a_violation(tmp_path: Path) -> None:
    text = replaced(
        "    prov:wasDerivedFrom sentence:ruritania-news-0-55 ;\n    prov:wasGeneratedBy activity:extract-ruritania-news ;\n    geokg:rule rule:acquires-verb .\n\nfact:member-1",
        "    prov:wasGeneratedBy activity:extract-ruritania-news ;\n    geokg:rule rule:acquires-verb .\n\nfact:member-1",
    )
    report = validate_graph(load_graph(graph_with(tmp_path, text)))
    assert [(v.focus, v.message) for v in report.violations] == [
        (
            "fact:acquires-1",
            "An extracted fact must point to the sentence it came from "
            "(prov:wasDerivedFrom); only manual edits may go without one.",
        )
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "geokg:characterCount 120",
            'geokg:characterCount "many"',
            "A source document needs exactly one character count, a non-negative xsd:integer.",
        ),
        (
            "geokg:startOffset 0",
            "geokg:startOffset 60",
            "A sentence needs exactly one start offset, a non-negative xsd:integer below its end offset.",
        ),
        (
            "geokg:status geokg:Reported",
            "geokg:status geokg:Rumoured",
            "A fact needs exactly one epistemic status: reported, claimed, threatened, expected, "
            "possible, alleged or denied.",
        ),
        (
            'state:osterlich a geokg:State ; rdfs:label "Osterlich" .',
            'state:osterlich a geokg:State ; rdfs:label "Osterlich", "Österlich" .',
            "An entity needs exactly one label (rdfs:label), a plain string; other names go in "
            "skos:altLabel.",
        ),
        (
            "geokg:quantity 10",
            "geokg:quantity 0",
            "A quantity is one positive xsd:integer.",
        ),
        (
            "org:organization organization:northern-pact",
            "org:organization state:osterlich",
            "A membership needs exactly one organization (org:organization) that the member "
            "belongs to.",
        ),
    ],
)
def test_each_kind_of_violation_has_its_message(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    report = validate_graph(load_graph(graph_with(tmp_path, replaced(old, new))))
    assert report.conforms is False
    assert [v.message for v in report.violations] == [message]


def test_unreadable_graph_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    folder = graph_with(
        tmp_path, SMALL.replace('rdfs:label "Zenith-9" .', 'rdfs:label "Zenith-9 .')
    )
    result = runner.invoke(cli, ["--graph", str(folder), "validate"])
    assert (result.exit_code, result.stdout) == (2, "")
    line = next(
        n for n, text in enumerate(SMALL.splitlines(), 1) if 'Zenith-9" .' in text
    )
    assert result.stderr == (
        f"Error: {folder / 'article.ttl'}: line {line}: Turtle syntax error (newline found "
        "in string literal): fix the line, or restore the file with git checkout\n"
    )

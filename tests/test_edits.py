"""Editing the graph from the command line: add entity/fact, remove, merge, rename,
import.

Each test copies the bundled graph (`graph/s400-turkey.ttl`: Turkey, the United States,
Russia, Greece, NATO, the S-400 ...) into a temporary folder and runs the commands
through click's CliRunner with a fixed author and `SOURCE_DATE_EPOCH`, so messages, ids
and files are exact. A refused edit must leave the folder byte-identical.

"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from geokg.cli import cli
from geokg.iris import GEOKG, ID_BASE

from .conftest import DATA, snapshot

ROOT = Path(__file__).parents[1]
BASE_GRAPH = ROOT / "graph" / "s400-turkey.ttl"
EPOCH = "1700000000"
#: SOURCE_DATE_EPOCH as the edit files write it (rdflib normalises the "Z").
EDIT_TIME = "2023-11-14T22:13:20+00:00"
AUTHOR = "Ada Lovelace"
EDITS = "edits/ada-lovelace.ttl"

STATE = f"{ID_BASE}state/"
WEAPON = f"{ID_BASE}weapon/"
FACT = f"{ID_BASE}fact/"
SU57 = URIRef(f"{WEAPON}su-57")
ADD_SU57 = 'add entity weapon-system "Su-57" --alias Felon --country Russia'
SU57_ORIGIN = "fact:origincountry-6404c7de3abc"
SU57_ACQUISITION = "fact:acquires-f741527f0c0c"
DELIVERY = "fact:delivers-1695ac14a709"
ENTITY_HEADER = "label\ttype\tid\twikidata\tfacts\taliases\n"
FACT_HEADER = (
    "id\tsubject\trelation\tobject\tstatus\tdate\tclaimant\tmanual\tsources\tevidence\n"
)
EXTRACT_HEADER = (
    "subject\trelation\tobject\tdate\tevidence\tstatus\tclaimant\trule\tstart\tend"
    "\tcondition\tquotation\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A graph folder holding a copy of the bundled graph."""
    path = tmp_path / "graph"
    path.mkdir()
    shutil.copy(BASE_GRAPH, path)
    return path


def geokg(runner: CliRunner, folder: Path, command: str, epoch: str = EPOCH) -> Result:
    """Run `geokg --graph FOLDER COMMAND` (split as a shell would) at a fixed time."""
    return runner.invoke(
        cli,
        ["--graph", str(folder), *shlex.split(command)],
        env={"SOURCE_DATE_EPOCH": epoch},
    )


def edit(runner: CliRunner, folder: Path, command: str, epoch: str = EPOCH) -> Result:
    """Run an editing command as AUTHOR."""
    return geokg(runner, folder, f"{command} --author {shlex.quote(AUTHOR)}", epoch)


def q(path: Path) -> str:
    """A path quoted for a command line."""
    return shlex.quote(str(path))


def read(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def add_su57(runner: CliRunner, folder: Path) -> None:
    result = edit(runner, folder, f'{ADD_SU57} --note "new jet"')
    assert (result.exit_code, result.stdout) == (
        0,
        f"Added weapon-system Su-57 (weapon:su-57) -> {folder}/{EDITS}\n",
    ), result.output


def activity_of(graph: Graph, node: URIRef) -> URIRef:
    """The one manual edit that generated ``node``."""
    activities = list(graph.objects(node, PROV.wasGeneratedBy))
    assert len(activities) == 1
    activity = activities[0]
    assert isinstance(activity, URIRef)
    assert (activity, RDF.type, GEOKG.ManualEdit) in graph
    return activity


def listing(runner: CliRunner, folder: Path, command: str) -> str:
    """The TSV of a listing command (`facts`, `entities`)."""
    result = geokg(runner, folder, f"{command} -f tsv")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout


def write_canonical(source: Path, target: Path) -> None:
    """Write a Turtle file in the form geokg writes it (as `add article` would)."""
    from geokg.store import read_file, serialize_turtle

    target.write_text(serialize_turtle(read_file(source)), encoding="utf-8")


def assert_refused(
    runner: CliRunner, folder: Path, command: str, code: int, message: str
) -> None:
    """The edit fails with one line and exit code ``code``, and writes nothing."""
    before = snapshot(folder)
    result = edit(runner, folder, command)
    assert (result.exit_code, result.stdout, result.stderr) == (
        code,
        "",
        f"Error: {message}\n",
    )
    assert snapshot(folder) == before


# ---- add entity -----------------------------------------------------------------------


def test_add_entity_writes_label_alias_type_and_origin(
    runner: CliRunner, folder: Path
) -> None:
    before = snapshot(folder)
    add_su57(runner, folder)
    after = snapshot(folder)
    assert sorted(after) == [EDITS, "s400-turkey.ttl"]
    assert after["s400-turkey.ttl"] == before["s400-turkey.ttl"]

    graph = read(folder / EDITS)
    activity = activity_of(graph, SU57)
    assert set(graph.predicate_objects(SU57)) == {
        (RDF.type, GEOKG.WeaponSystem),
        (RDFS.label, Literal("Su-57")),
        (SKOS.altLabel, Literal("Felon")),
        (GEOKG.originCountry, URIRef(f"{STATE}russia")),
        (GEOKG.note, Literal("new jet")),
        (PROV.wasGeneratedBy, activity),
    }
    assert graph.value(activity, RDFS.comment) == Literal("new jet")

    assert listing(runner, folder, "entities --search Su-57") == (
        ENTITY_HEADER + "Su-57\tweapon-system\tweapon:su-57\t\t1\tFelon\n"
    )
    assert listing(runner, folder, "facts --entity Felon") == (
        FACT_HEADER + f"{SU57_ORIGIN}\tSu-57\toriginCountry\tRussia\treported"
        "\t\t\tyes\t\t0\n"
    )


def test_adding_an_entity_again_is_a_no_op(runner: CliRunner, folder: Path) -> None:
    add_su57(runner, folder)
    before = snapshot(folder)
    for name in ("Su-57", "Felon"):
        again = edit(runner, folder, f"add entity weapon-system {name}")
        assert (again.exit_code, again.stdout) == (
            0,
            "Su-57 (weapon:su-57) is already in the graph; nothing to add.\n",
        )
    assert snapshot(folder) == before


def test_adding_an_alias_to_a_known_entity_updates_it(
    runner: CliRunner, folder: Path
) -> None:
    result = edit(runner, folder, "add entity state Turkey --alias TR")
    assert (result.exit_code, result.stdout) == (
        0,
        f"Updated state Turkey (state:turkey) -> {folder}/{EDITS}\n",
    )
    shown = geokg(runner, folder, "show TR")
    assert shown.stdout.splitlines()[:2] == [
        "Turkey (state, state:turkey)",
        "Also: Republic of Turkey, Republic of Türkiye, TR, Turkiye, Türkiye",
    ]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            "weapon-system Su-75 --wikidata X12",
            "bad Wikidata id 'X12': write it as Q followed by digits, e.g. Q43",
        ),
        (
            "weapon-system Kestrel --country Atlantis",
            "no entity named 'Atlantis' in the graph of type state. "
            'Add it with: geokg add entity state "Atlantis"',
        ),
        (
            'law "Act X" --country Russia',
            "--country does not apply to a law: it gives the state of a person, "
            "organization, government body or company, or the origin of a weapon "
            "system",
        ),
        (
            "state Somaliland --wikidata Q43",
            "Q43 is already the Wikidata id of Turkey (state:turkey): if they are one "
            "entity, merge them with geokg merge",
        ),
        (
            "state Turkey --wikidata Q44",
            "Turkey already has Wikidata id Q43, not Q44: check the id, or remove the "
            "entity and add it again",
        ),
        ('state "  "', "the label is empty: give a name"),
    ],
    ids=[
        "bad-qid",
        "unknown-country",
        "country-of-law",
        "qid-taken",
        "qid-differs",
        "empty",
    ],
)
def test_add_entity_errors_write_nothing(
    runner: CliRunner, folder: Path, command: str, message: str
) -> None:
    assert_refused(runner, folder, f"add entity {command}", 2, message)


def test_adding_an_entity_again_with_its_country_is_a_no_op(
    runner: CliRunner, folder: Path
) -> None:
    """Running the README's `add entity ... --country Russia` again adds nothing."""
    add_su57(runner, folder)
    before = snapshot(folder)
    again = edit(runner, folder, ADD_SU57, epoch=str(int(EPOCH) + 60))
    assert (again.exit_code, again.stdout) == (
        0,
        "Su-57 (weapon:su-57) is already in the graph; nothing to add.\n",
    )
    assert snapshot(folder) == before


# ---- add fact -------------------------------------------------------------------------


def test_add_fact_is_manual_with_provenance_and_queryable(
    runner: CliRunner, folder: Path
) -> None:
    add_su57(runner, folder)
    result = edit(
        runner,
        folder,
        'add fact Turkey acquires Su-57 --status claimed --claimant "Hulusi Akar" '
        "--date 2021-03 --source https://example.org/su57 "
        '--evidence "Turkey may buy the Su-57." --role supplier=Russia '
        '--note "from a briefing"',
    )
    assert (result.exit_code, result.stdout) == (
        0,
        f"Added {SU57_ACQUISITION} (Turkey acquires Su-57 [claimed]) -> "
        f"{folder}/{EDITS}\n",
    )

    assert listing(runner, folder, "facts --relation acquires") == (
        FACT_HEADER + "fact:acquires-6c3d0ad26976\tTurkey\tacquires\tS-400\treported"
        "\t\t\tno\ts400-turkey\t4\n"
        "fact:acquires-929dab29e8b0\tTurkey\tacquires\tS-400\tclaimed"
        "\t\tHulusi Akar\tno\ts400-turkey\t1\n"
        "fact:acquires-d4b8ce84079e\tTurkey\tacquires\tS-400\tclaimed"
        "\t\tTurkey\tno\ts400-turkey\t1\n"
        f"{SU57_ACQUISITION}\tTurkey\tacquires\tSu-57\tclaimed\t2021-03"
        "\tHulusi Akar\tyes\t\t1\n"
    )
    shown = geokg(runner, folder, "show Felon")
    assert (shown.exit_code, shown.stdout) == (
        0,
        "Su-57 (weapon-system, weapon:su-57)\n"
        "Also: Felon\n"
        "\n"
        "2 facts:\n"
        f"{SU57_ACQUISITION}  Turkey acquires Su-57  [claimed by Hulusi Akar, 2021-03]"
        " (manual)\n"
        "    “Turkey may buy the Su-57.”\n"
        "    source: https://example.org/su57\n"
        f"{SU57_ORIGIN}  Su-57 originCountry Russia  [reported] (manual)\n",
    )

    graph = read(folder / EDITS)
    fact = URIRef(FACT + SU57_ACQUISITION.removeprefix("fact:"))
    activity = activity_of(graph, fact)
    assert set(graph.predicate_objects(fact)) == {
        (RDF.type, GEOKG.ArmsAcquisition),
        (PROV.wasGeneratedBy, activity),
        (GEOKG.subject, URIRef(f"{STATE}turkey")),
        (GEOKG.buyer, URIRef(f"{STATE}turkey")),
        (GEOKG.object, SU57),
        (GEOKG.weaponSystem, SU57),
        (GEOKG.supplier, URIRef(f"{STATE}russia")),
        (GEOKG.claimant, URIRef(f"{ID_BASE}person/hulusi-akar")),
        (GEOKG.status, GEOKG.Claimed),
        (GEOKG.date, Literal("2021-03", datatype=XSD.gYearMonth)),
        (GEOKG.evidenceText, Literal("Turkey may buy the Su-57.")),
        (GEOKG.sourceUrl, URIRef("https://example.org/su57")),
        (GEOKG.note, Literal("from a briefing")),
    }
    agent = URIRef(f"{ID_BASE}agent/ada-lovelace")
    assert set(graph.predicate_objects(activity)) == {
        (RDF.type, GEOKG.ManualEdit),
        (RDFS.label, Literal("geokg add fact Turkey acquires Su-57")),
        (RDFS.comment, Literal("from a briefing")),
        (PROV.wasAssociatedWith, agent),
        (PROV.endedAtTime, Literal(EDIT_TIME, datatype=XSD.dateTime)),
    }
    assert set(graph.predicate_objects(agent)) == {
        (RDF.type, PROV.Agent),
        (RDFS.label, Literal(AUTHOR)),
    }

    query = geokg(runner, folder, "query acquisitions -p buyer=Turkey -f tsv")
    assert query.exit_code == 0, query.output
    manual = [line for line in query.stdout.splitlines() if "manual" in line]
    assert manual == [
        "<https://w3id.org/geokg/id/weapon/su-57>\t<https://w3id.org/geokg/id/state/russia>"
        '\t\t"2021-03"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>\t"claimed"'
        '\t<https://w3id.org/geokg/id/person/hulusi-akar>\t"manual"'
        '\t"Turkey may buy the Su-57."'
    ]
    extracted = [line for line in query.stdout.splitlines() if "extracted" in line]
    assert len(extracted) == 6


def test_adding_a_known_fact_confirms_it(runner: CliRunner, folder: Path) -> None:
    result = edit(runner, folder, "add fact Greece memberOf NATO")
    assert (result.exit_code, result.stdout) == (
        0,
        "fact:memberof-238e0f07f6b1 (Greece memberOf NATO [reported]) was already in "
        f"the graph; your edit is recorded as confirming it -> {folder}/{EDITS}\n",
    )
    assert listing(runner, folder, "facts --relation memberOf") == (
        FACT_HEADER + "fact:memberof-238e0f07f6b1\tGreece\tmemberOf\tNATO\treported"
        "\t\t\tyes\ts400-turkey\t1\n"
        "fact:memberof-6b8da18d4a0b\tTurkey\tmemberOf\tNATO\treported"
        "\t\t\tno\ts400-turkey\t2\n"
    )


@pytest.mark.parametrize(
    ("command", "code", "message"),
    [
        (
            "Turky acquires S-400",
            2,
            "no entity named 'Turky' in the graph; closest names: Turkey. "
            'Add it with: geokg add entity TYPE "Turky"',
        ),
        (
            "Turkey acquires Kestrel",
            2,
            "no entity named 'Kestrel' in the graph. "
            'Add it with: geokg add entity TYPE "Kestrel"',
        ),
        (
            "Turkey buys S-400",
            2,
            "unknown relation 'buys': use one of acquires, delivers, headOf, "
            "holdsPosition, imposesSanctions, manufacturer, memberOf, "
            "notInteroperableWith, operates, opposes, originCountry, proposes, "
            "refusesToSell, sanctionsUnderLaw, statesThat, supplies, supports, "
            "threatTo, threatensSanctions",
        ),
        (
            "S-400 memberOf NATO",
            2,
            "memberOf needs a subject of type alliance, company, government body, "
            "international organization, organization, state; 'S-400' is a weapon "
            "system",
        ),
        (
            "Turkey acquires S-400 --status claimed",
            2,
            "a claimed fact needs --claimant: who makes the claim",
        ),
        (
            "Turkey acquires S-400 --date 2019-13-45",
            2,
            "bad date '2019-13-45': expected YYYY-MM-DD, YYYY-MM or YYYY",
        ),
        (
            "Turkey acquires S-400 --source notaurl",
            2,
            "bad URL 'notaurl': expected an absolute URL such as https://example.org/a",
        ),
        (
            "Turkey acquires S-400 --role foo=Russia",
            2,
            "unknown role 'foo': use a role property of the ontology, e.g. supplier, "
            "legalBasis, about",
        ),
        (
            "Turkey acquires S-400 --role legalBasis=Russia",
            1,
            "refused: geokg:legalBasis needs a law or sanctions programme as its "
            "value, and state:russia (Russia) is a state; nothing was written",
        ),
        (
            "Turkey acquires S-400 --role supplier=S-400",
            1,
            "refused: geokg:supplier needs an actor as its value, and weapon:s-400 "
            "(S-400) is a weapon system; nothing was written",
        ),
        (
            "Turkey acquires S-400 --status bogus",
            2,
            "Invalid value for '--status': 'bogus' is not one of 'reported', "
            "'claimed', 'threatened', 'expected', 'possible', 'alleged', 'denied'. "
            "(see `geokg add fact --help`)",
        ),
    ],
    ids=[
        "misspelt-entity",
        "unknown-entity",
        "unknown-relation",
        "wrong-subject-type",
        "claim-without-claimant",
        "bad-date",
        "bad-url",
        "unknown-role",
        "role-range-law",
        "role-range-actor",
        "unknown-status",
    ],
)
def test_add_fact_errors_write_nothing(
    runner: CliRunner, folder: Path, command: str, code: int, message: str
) -> None:
    assert_refused(runner, folder, f"add fact {command}", code, message)


def test_wrong_object_type_message_is_grammatical(
    runner: CliRunner, folder: Path
) -> None:
    """The message says "needs an object of type"."""
    assert_refused(
        runner,
        folder,
        "add fact Turkey memberOf S-400",
        2,
        "memberOf needs an object of type alliance, company, government body, "
        "international organization, organization; 'S-400' is a weapon system",
    )


def test_role_without_value_names_the_role_option(
    runner: CliRunner, folder: Path
) -> None:
    """`--role supplier` (no "=") is told the form of --role, not of -p."""
    before = snapshot(folder)
    result = edit(runner, folder, "add fact Turkey acquires S-400 --role supplier")
    assert (result.exit_code, result.stdout, result.stderr.count("\n")) == (2, "", 1)
    assert "--role" in result.stderr
    assert "-p buyer=Turkey" not in result.stderr
    assert snapshot(folder) == before


def test_repeated_role_keeps_every_value(runner: CliRunner, folder: Path) -> None:
    """`--role weaponSystem=A --role weaponSystem=B` keeps both systems."""
    result = edit(
        runner,
        folder,
        "add fact Russia supplies Greece "
        "--role weaponSystem=S-400 --role weaponSystem=Patriot",
    )
    assert result.exit_code == 0, result.output
    fact = URIRef(FACT + result.stdout.split()[1].removeprefix("fact:"))
    assert set(read(folder / EDITS).objects(fact, GEOKG.weaponSystem)) == {
        URIRef(f"{WEAPON}s-400"),
        URIRef(f"{WEAPON}patriot"),
    }


# ---- import ---------------------------------------------------------------------------

SECOND_LABEL = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/geokg/id/state/turkey> rdfs:label "Türkiye" .
"""
KESTREL = """\
@prefix geokg: <https://w3id.org/geokg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/geokg/id/weapon/kestrel> a geokg:WeaponSystem ;
    rdfs:label "Kestrel" ; skos:altLabel "K-1" .
"""
BLANK_NODES = """\
@prefix geokg: <https://w3id.org/geokg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
[] a geokg:WeaponSystem ; rdfs:label "Harrier" .
[] a geokg:WeaponSystem ; rdfs:label "Osprey" .
[] a geokg:Topic ; rdfs:label "Air power" .
"""


def test_import_refused_by_the_shapes_writes_nothing(
    runner: CliRunner, folder: Path, tmp_path: Path
) -> None:
    source = tmp_path / "second-label.ttl"
    source.write_text(SECOND_LABEL, encoding="utf-8")
    assert_refused(
        runner,
        folder,
        f"import {q(source)}",
        1,
        "refused: An entity needs exactly one label (rdfs:label), a plain string; "
        "other names go in skos:altLabel. [state:turkey (Turkey)]; nothing was "
        "written",
    )


def test_import_writes_imports_file_and_replace_replaces_it(
    runner: CliRunner, folder: Path, tmp_path: Path
) -> None:
    source = tmp_path / "partner data.ttl"
    source.write_text(KESTREL, encoding="utf-8")
    command = f"import {q(source)}"
    written = folder / "imports" / "partner-data.ttl"
    result = edit(runner, folder, command)
    assert (result.exit_code, result.stdout) == (
        0,
        f"Imported 3 triples from partner data.ttl -> {folder}/{EDITS}, {written}\n",
    )
    assert isomorphic(read(written), Graph().parse(data=KESTREL, format="turtle"))
    assert listing(runner, folder, "entities --search K-1") == (
        ENTITY_HEADER + "Kestrel\tweapon-system\tweapon:kestrel\t\t0\tK-1\n"
    )

    assert_refused(
        runner,
        folder,
        command,
        2,
        f"{written} exists: pass --replace to import partner data.ttl over it",
    )

    source.write_text(KESTREL.replace('"K-1"', '"K-2"'), encoding="utf-8")
    replaced = edit(runner, folder, f"{command} --replace")
    # The edit record is the first import's (same author, time and command).
    assert (replaced.exit_code, replaced.stdout) == (
        0,
        f"Imported 3 triples from partner data.ttl -> {written}\n",
    )
    kestrel = URIRef(f"{WEAPON}kestrel")
    assert set(read(written).objects(kestrel, SKOS.altLabel)) == {Literal("K-2")}


def test_import_skolemises_blank_nodes_stably(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "bnodes.ttl"
    source.write_text(BLANK_NODES, encoding="utf-8")
    folders = []
    for name in ("one", "two"):
        path = tmp_path / name
        path.mkdir()
        shutil.copy(BASE_GRAPH, path)
        result = edit(runner, path, f"import {q(source)}")
        assert (result.exit_code, result.stdout) == (
            0,
            f"Imported 6 triples from bnodes.ttl -> {path}/{EDITS}, "
            f"{path}/imports/bnodes.ttl\n",
        )
        folders.append(path)
    assert snapshot(folders[0]) == snapshot(folders[1])
    graph = read(folders[0] / "imports" / "bnodes.ttl")
    assert not any(isinstance(node, BNode) for triple in graph for node in triple)
    iris = {str(label): str(node) for node, label in graph.subject_objects(RDFS.label)}
    assert sorted(iris) == ["Air power", "Harrier", "Osprey"]
    assert len(set(iris.values())) == 3
    assert all(iri.startswith(f"{ID_BASE}import/") for iri in iris.values())


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "data.xml",
            "<rdf/>",
            "cannot tell the format of data.xml: use .ttl, .trig, .jsonld or .nt",
        ),
        ("missing.ttl", None, "{path} does not exist: check the path"),
        (
            "broken.ttl",
            "<http://a> <http://b> .\n",
            "{path}: cannot parse as turtle: at line 1 of <>:: fix the file",
        ),
    ],
    ids=["unknown-extension", "missing", "unparseable"],
)
def test_import_errors_write_nothing(
    runner: CliRunner,
    folder: Path,
    tmp_path: Path,
    name: str,
    text: str | None,
    message: str,
) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    assert_refused(runner, folder, f"import {q(path)}", 2, message.format(path=path))


# ---- remove ---------------------------------------------------------------------------


def test_remove_fact_takes_it_out_of_its_article_and_records_it(
    runner: CliRunner, folder: Path
) -> None:
    result = edit(runner, folder, f"remove fact {DELIVERY} --note misread")
    assert (result.exit_code, result.stdout) == (
        0,
        f"Removed {DELIVERY} (delivers) -> {folder}/{EDITS}, "
        f"{folder}/s400-turkey.ttl\n",
    )
    assert listing(runner, folder, "facts --relation delivers") == FACT_HEADER
    # The article file stays, without the fact and its shortcut triple; the edit
    # records what went.
    fact = URIRef(FACT + DELIVERY.removeprefix("fact:"))
    article = read(folder / "s400-turkey.ttl")
    assert (fact, None, None) not in article
    assert (None, None, fact) not in article
    assert (URIRef(f"{STATE}russia"), GEOKG.delivers, None) not in article
    edits = read(folder / EDITS)
    activity = next(edits.subjects(RDF.type, GEOKG.ManualEdit))
    assert set(edits.objects(activity, PROV.invalidated)) == {fact}
    assert edits.value(activity, RDFS.comment) == Literal("misread")


def test_removed_fact_is_not_re_extracted(
    runner: CliRunner, folder: Path, tmp_path: Path
) -> None:
    article = tmp_path / "egypt.txt"
    article.write_text(
        "Egypt bought the S-400 from Russia in 2021.\nGreece is a member of NATO.\n",
        encoding="utf-8",
    )
    added = geokg(runner, folder, f"add article {q(article)}")
    assert (added.exit_code, added.stdout) == (
        0,
        f"Added egypt: 3 facts -> {folder}/egypt.ttl\n",
    )
    assert listing(runner, folder, "facts --source egypt") == (
        FACT_HEADER + "fact:acquires-f2e7b74be9a8\tEgypt\tacquires\tS-400\treported"
        "\t2021\t\tno\tegypt\t1\n"
        "fact:memberof-238e0f07f6b1\tGreece\tmemberOf\tNATO\treported\t\t\tno"
        "\tegypt, s400-turkey\t2\n"
        "fact:supplies-5e15bf71d677\tRussia\tsupplies\tEgypt\treported\t2021\t\tno"
        "\tegypt\t1\n"
    )
    removed = edit(runner, folder, "remove fact acquires-f2e7b74be9a8")
    assert (removed.exit_code, removed.stdout) == (
        0,
        "Removed fact:acquires-f2e7b74be9a8 (acquires) -> "
        f"{folder}/{EDITS}, {folder}/egypt.ttl\n",
    )
    kept = snapshot(folder)["s400-turkey.ttl"]

    again = geokg(runner, folder, f"add article {q(article)} --replace")
    assert (again.exit_code, again.stdout) == (
        0,
        f"Replaced egypt: 2 facts -> {folder}/egypt.ttl\n",
    )
    assert listing(runner, folder, "facts --relation acquires --source egypt") == (
        FACT_HEADER
    )
    fact = URIRef(f"{FACT}acquires-f2e7b74be9a8")
    assert (fact, None, None) not in read(folder / "egypt.ttl")
    assert snapshot(folder)["s400-turkey.ttl"] == kept


@pytest.mark.parametrize(
    ("fact_id", "message"),
    [
        (
            "fact:delivers-1695ac14a70",
            "no fact 'fact:delivers-1695ac14a70' in the graph; closest: "
            "fact:delivers-1695ac14a709. List fact ids with: geokg facts",
        ),
        (
            "acquires-6c3d0ad2697",
            "no fact 'acquires-6c3d0ad2697' in the graph; closest: "
            "fact:acquires-6c3d0ad26976, fact:acquires-d4b8ce84079e. "
            "List fact ids with: geokg facts",
        ),
        (
            "nothing-like-this",
            "no fact 'nothing-like-this' in the graph. List fact ids with: geokg facts",
        ),
    ],
)
def test_removing_an_unknown_fact_lists_the_closest_ids(
    runner: CliRunner, folder: Path, fact_id: str, message: str
) -> None:
    assert_refused(runner, folder, f"remove fact {fact_id}", 2, message)


def test_remove_entity_is_refused_while_used_then_cascades(
    runner: CliRunner, folder: Path
) -> None:
    assert_refused(
        runner,
        folder,
        "remove entity Greece",
        2,
        "Greece is used by 2 facts (fact:memberof-238e0f07f6b1, "
        "fact:operates-87d56b916f48): remove them first, or pass --cascade",
    )
    result = edit(runner, folder, "remove entity Greece --cascade")
    assert (result.exit_code, result.stdout) == (
        0,
        "Removed Greece (state:greece), with 2 facts and entities that used it -> "
        f"{folder}/{EDITS}, {folder}/s400-turkey.ttl\n",
    )
    states = listing(runner, folder, "entities --type state")
    assert [line.split("\t")[0] for line in states.splitlines()] == [
        "label",
        "Russia",
        "Turkey",
        "United States",
    ]
    assert "greece" not in (folder / "s400-turkey.ttl").read_text(encoding="utf-8")
    edits = read(folder / EDITS)
    activity = next(edits.subjects(RDF.type, GEOKG.ManualEdit))
    assert set(edits.objects(activity, PROV.invalidated)) == {
        URIRef(f"{STATE}greece"),
        URIRef(f"{FACT}memberof-238e0f07f6b1"),
        URIRef(f"{FACT}operates-87d56b916f48"),
    }


def test_remove_entity_added_by_hand(runner: CliRunner, folder: Path) -> None:
    add_su57(runner, folder)
    removed = edit(runner, folder, "remove entity Felon --cascade")
    assert (removed.exit_code, removed.stdout) == (
        0,
        "Removed Su-57 (weapon:su-57), with 1 fact or entity that used it -> "
        f"{folder}/{EDITS}\n",
    )
    assert listing(runner, folder, "entities --search Su-57") == ENTITY_HEADER
    assert listing(
        runner, folder, "facts --relation originCountry --entity Russia"
    ) == (
        FACT_HEADER
        + "fact:origincountry-fb3bd54e278f\tRussian-made missiles\toriginCountry"
        "\tRussia\treported\t\t\tno\ts400-turkey\t1\n"
        "fact:origincountry-020eb4885032\tS-400\toriginCountry\tRussia\treported"
        "\t\t\tno\ts400-turkey\t1\n"
        "fact:origincountry-616643e995a4\tS-400\toriginCountry\tRussia\tclaimed"
        "\t\tClarke Cooper\tno\ts400-turkey\t1\n"
        "fact:origincountry-e4734f867de8\tS-400\toriginCountry\tRussia\tclaimed"
        "\t\tHulusi Akar\tno\ts400-turkey\t1\n"
    )


def test_remove_article_deletes_only_its_file(runner: CliRunner, folder: Path) -> None:
    write_canonical(DATA / "small.ttl", folder / "ruritania.ttl")
    add_su57(runner, folder)
    before = snapshot(folder)
    result = edit(runner, folder, "remove article s400-turkey")
    assert (result.exit_code, result.stdout) == (
        0,
        "Removed source:s400-turkey (s400-turkey.ttl): 44 facts went\n",
    )
    after = snapshot(folder)
    assert sorted(after) == [EDITS, "ruritania.ttl"]
    assert after["ruritania.ttl"] == before["ruritania.ttl"]
    assert listing(runner, folder, "facts") == (
        FACT_HEADER + "fact:acquires-1\tRuritania\tacquires\tZenith-9\treported"
        "\t2021-03\t\tno\truritania-news\t1\n"
        "fact:member-1\tRuritania\tmemberOf\tNorthern Pact\tclaimed\t\tOsterlich"
        "\tno\truritania-news\t1\n"
        f"{SU57_ORIGIN}\tSu-57\toriginCountry\tRussia\treported\t\t\tyes\t\t0\n"
    )
    invalidated = set(read(folder / EDITS).objects(None, PROV.invalidated))
    assert invalidated == {URIRef(f"{ID_BASE}source/s400-turkey")}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("s400-turke", "no article 's400-turke' in the graph; closest: s400-turkey"),
        ("nope", "no article 'nope' in the graph; the graph has: s400-turkey"),
    ],
)
def test_remove_unknown_article(
    runner: CliRunner, folder: Path, name: str, message: str
) -> None:
    assert_refused(runner, folder, f"remove article {name}", 2, message)


def test_remove_article_keeps_facts_another_source_states(
    runner: CliRunner, folder: Path
) -> None:
    """Facts another source also states stay, and the message counts them."""
    assert edit(runner, folder, "add fact Greece memberOf NATO").exit_code == 0
    result = edit(runner, folder, "remove article s400-turkey")
    assert result.exit_code == 0, result.output
    assert listing(runner, folder, "facts") == (
        FACT_HEADER + "fact:memberof-238e0f07f6b1\tGreece\tmemberOf\tNATO\treported"
        "\t\t\tyes\t\t0\n"
    )
    assert result.stdout == (
        "Removed source:s400-turkey (s400-turkey.ttl): 43 facts went; 1 fact also "
        "stated by another source stays\n"
    )


# ---- merge and rename -----------------------------------------------------------------


def test_merge_moves_facts_and_names(runner: CliRunner, folder: Path) -> None:
    result = edit(runner, folder, 'merge S-400 "Russian-made missiles"')
    assert (result.exit_code, result.stdout) == (
        0,
        "Merged Russian-made missiles (weapon:russian-made-missiles) into S-400 "
        f"(weapon:s-400) -> {folder}/{EDITS}, {folder}/s400-turkey.ttl\n",
    )
    assert listing(
        runner, folder, "entities --type weapon-system --search Russian"
    ) == (
        ENTITY_HEADER + "S-400\tweapon-system\tweapon:s-400\t\t14\tRussian-made "
        "missiles; S-400 Triumf; S-400 Triumph; S-400 air defence system; S-400 air "
        "defense system; S-400 missile system; S-400 system; S400; SA-21 Growler\n"
    )
    assert listing(runner, folder, "facts --entity Greece --relation operates") == (
        FACT_HEADER + "fact:operates-87d56b916f48\tGreece\toperates\tS-400\treported"
        "\t\t\tno\ts400-turkey\t1\n"
    )
    # The duplicate's IRI survives only as what the merge invalidated.
    old = URIRef(f"{WEAPON}russian-made-missiles")
    uses = {
        (path.name, predicate)
        for path in folder.rglob("*.ttl")
        for _, predicate, _ in read(path).triples((None, None, old))
    }
    assert uses == {("ada-lovelace.ttl", PROV.invalidated)}
    assert all((old, None, None) not in read(p) for p in folder.rglob("*.ttl"))


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            "Turkey S-400",
            "cannot merge a weapon system into a state (S-400 into Turkey): merge "
            "entities of one type",
        ),
        (
            "Turkey Türkiye",
            "'Turkey' and 'Türkiye' are already one entity (state:turkey)",
        ),
        (
            "Turkey Greece",
            "Turkey (Q43) and Greece (Q41) have different Wikidata ids: they look like "
            "two entities; nothing was merged",
        ),
    ],
)
def test_merge_errors_write_nothing(
    runner: CliRunner, folder: Path, command: str, message: str
) -> None:
    assert_refused(runner, folder, f"merge {command}", 2, message)


def test_rename_keeps_the_iri_and_the_old_label_as_alias(
    runner: CliRunner, folder: Path
) -> None:
    facts_before = listing(runner, folder, "facts --entity Turkey")
    result = edit(runner, folder, "rename Turkey Türkiye")
    assert (result.exit_code, result.stdout) == (
        0,
        "Renamed Turkey to Türkiye (state:turkey) -> "
        f"{folder}/{EDITS}, {folder}/s400-turkey.ttl\n",
    )
    assert listing(runner, folder, "entities --type state --search Turkey") == (
        ENTITY_HEADER + "Türkiye\tstate\tstate:turkey\tQ43\t21\tRepublic of Turkey; "
        "Republic of Türkiye; Turkey; Turkiye\n"
    )
    turkey = URIRef(f"{STATE}turkey")
    labels = {
        path.name: set(read(path).objects(turkey, RDFS.label))
        for path in sorted(folder.rglob("*.ttl"))
    }
    assert labels == {
        "ada-lovelace.ttl": {Literal("Türkiye")},
        "s400-turkey.ttl": {Literal("Türkiye")},
    }
    # Every fact keeps its id; only the label shown changes.
    assert listing(runner, folder, "facts --entity Turkey") == facts_before.replace(
        "\tTurkey\t", "\tTürkiye\t"
    )

    before = snapshot(folder)
    same = edit(runner, folder, "rename Türkiye Türkiye")
    assert (same.exit_code, same.stdout) == (
        0,
        "Türkiye (state:turkey) already has that label; nothing to change.\n",
    )
    assert snapshot(folder) == before
    assert_refused(
        runner,
        folder,
        "rename Greece Russia",
        2,
        "'Russia' already names Russia (state:russia): if they are one entity, merge "
        "them with geokg merge",
    )


# ---- extraction learns, determinism, help ---------------------------------------------


def test_extraction_knows_an_entity_added_by_hand(
    runner: CliRunner, folder: Path, tmp_path: Path
) -> None:
    sentence = "Egypt has received the Kestrel from Russia, officials said."
    article = tmp_path / "kestrel.txt"
    article.write_text(f"{sentence}\n", encoding="utf-8")
    before = geokg(runner, folder, f"extract {q(article)}")
    assert (before.exit_code, before.stdout) == (0, EXTRACT_HEADER)

    added = edit(runner, folder, "add entity weapon-system Kestrel --country Russia")
    assert added.exit_code == 0, added.output
    after = geokg(runner, folder, f"extract {q(article)}")
    assert (after.exit_code, after.stdout) == (
        0,
        EXTRACT_HEADER
        + f"Egypt\tacquires\tKestrel\t\t{sentence}\treported\t\tacquires.verb"
        "\t0\t59\t\t\n"
        f"Russia\tsupplies\tEgypt\t\t{sentence}\treported\t\tsupplies.acquire-from"
        "\t0\t59\t\t\n",
    )


EDIT_SEQUENCE = (
    ADD_SU57,
    'add entity person "Jane Roe" --country Greece --note analyst',
    "add fact Greece operates Su-57 --status expected --date 2025",
    'add fact "Jane Roe" statesThat "the deal is off" --status claimed '
    '--claimant "Jane Roe" --evidence "Roe said the deal is off."',
    f"remove fact {DELIVERY} --note misread",
    "rename Turkey Türkiye",
    'merge S-400 "Russian-made missiles"',
    "import {bnodes}",
)


def run_sequence(folder: Path, bnodes: Path) -> str:
    """Run EDIT_SEQUENCE on ``folder`` in this process; return the messages."""
    runner = CliRunner()
    messages = []
    for command in EDIT_SEQUENCE:
        result = edit(runner, folder, command.format(bnodes=q(bnodes)))
        assert result.exit_code == 0, (command, result.output)
        messages.append(result.stdout.replace(str(folder), "GRAPH"))
    return "".join(messages)


def test_the_same_edits_give_byte_identical_folders(tmp_path: Path) -> None:
    bnodes = tmp_path / "bnodes.ttl"
    bnodes.write_text(BLANK_NODES, encoding="utf-8")
    first, second = tmp_path / "first", tmp_path / "second"
    for path in (first, second):
        path.mkdir()
        shutil.copy(BASE_GRAPH, path)
    # The second folder is edited by another interpreter with another hash seed, so
    # no set order can hide in the files; it runs while this one edits the first.
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tests.test_edits import run_sequence\n"
        "print(run_sequence(Path(sys.argv[1]), Path(sys.argv[2])), end='')\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script, str(second), str(bnodes)],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as other:
        messages = run_sequence(first, bnodes)
        stdout, stderr = other.communicate(timeout=120)
    assert (other.returncode, stderr, stdout) == (0, "", messages)
    assert snapshot(first) == snapshot(second)
    assert sorted(snapshot(first)) == [EDITS, "imports/bnodes.ttl", "s400-turkey.ttl"]


EDIT_COMMANDS = [
    "add entity",
    "add fact",
    "remove fact",
    "remove entity",
    "remove article",
    "merge",
    "rename",
    "import",
]


@pytest.mark.parametrize("command", EDIT_COMMANDS)
def test_edit_command_help_has_examples_and_edit_options(
    runner: CliRunner, command: str
) -> None:
    result = runner.invoke(cli, [*command.split(), "--help"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert f"Examples:\n      geokg {command} " in result.stdout
    assert "--author TEXT" in result.stdout
    assert "--note TEXT" in result.stdout


# ---- an edit must touch only the files it changes -------------------------------------

HAND_WRITTEN = {
    "notes.ttl": (
        "# A reviewer's notes, written by hand.\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/geokg/id/state/greece> rdfs:comment "checked" .\n'
    ),
    "extra.trig": (
        "@prefix geokg: <https://w3id.org/geokg/ns#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/geokg/id/graph/extra> {\n"
        "  <https://w3id.org/geokg/id/weapon/harrier> a geokg:WeaponSystem ;\n"
        '      rdfs:label "Harrier" .\n'
        "}\n"
    ),
    "blank.ttl": (
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '[] rdfs:comment "a reviewer\'s note" .\n'
    ),
}


@pytest.mark.parametrize("name", sorted(HAND_WRITTEN))
def test_an_edit_leaves_other_files_alone(
    runner: CliRunner, folder: Path, name: str
) -> None:
    """An edit writes only the files it changes: a hand-written file keeps its bytes."""
    (folder / name).write_text(HAND_WRITTEN[name], encoding="utf-8")
    before = (folder / name).read_bytes()
    result = edit(runner, folder, 'add entity topic "Air defence"')
    assert (result.exit_code, result.stdout) == (
        0,
        f"Added topic Air defence (topic:air-defence) -> {folder}/{EDITS}\n",
    )
    assert (folder / name).read_bytes() == before


def test_a_refused_edit_does_not_create_the_graph_folder(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A refused edit on a missing --graph folder leaves no folder behind."""
    missing = tmp_path / "mistyped" / "graph"
    result = edit(runner, missing, "add fact Turkey acquires Kestrel")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: no entity named 'Kestrel' in the graph. "
        'Add it with: geokg add entity TYPE "Kestrel"\n',
    )
    assert not (tmp_path / "mistyped").exists()


def test_a_manual_fact_is_marked_in_the_network_and_the_view(
    runner: CliRunner, folder: Path
) -> None:
    from geokg.engine import open_engine
    from geokg.network import to_networkx
    from geokg.view import page_data

    add_su57(runner, folder)
    edit(
        runner,
        folder,
        "add fact Turkey acquires Su-57 --source https://example.org/su57 "
        '--evidence "Turkey <b>may</b> buy the Su-57."',
    )
    net = to_networkx(open_engine(folder))
    manual = sorted(
        (net.nodes[s]["label"], d["relation"], net.nodes[o]["label"])
        for s, o, d in net.edges(data=True)
        if d["manual"]
    )
    assert manual == [
        ("Su-57", "originCountry", "Russia"),
        ("Turkey", "acquires", "Su-57"),
    ]
    edges = [e for e in page_data(net)["edges"] if e["manual"]]
    acquires = next(e for e in edges if e["relation"] == "acquires")
    assert acquires["evidence"] == [
        {
            "text": "Turkey <b>may</b> buy the Su-57.",
            "source": "https://example.org/su57",
            "date": "",
        }
    ]
    assert sum(1 for e in page_data(net)["edges"] if not e["manual"]) > 30

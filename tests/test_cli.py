"""The command-line frame: help, version, exit codes, errors, lazy imports, outputs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from geokg import __version__
from geokg.cli import cli

from .conftest import DATA, snapshot


def all_commands(
    group: click.Group = cli, prefix: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
    return found


def test_group_help_shows_examples_and_exit_codes(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Examples:\n      geokg add article article.txt" in result.stdout
    assert "2  usage or input error" in result.stdout


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(
    runner: CliRunner, command: tuple[str, ...]
) -> None:
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Examples:\n" in result.stdout
    assert f"geokg {' '.join(command)}" in result.stdout


def test_short_help_option(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["-h"]).stdout == runner.invoke(cli, ["--help"]).stdout


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"geokg, version {__version__}\n")


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from geokg.cli import cli\n"
        "try:\n"
        "    cli(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ['rdflib', 'pyshacl', 'networkx', 'pyvis', 'spacy', 'pyoxigraph']\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"


def test_installed_script_exit_codes(tmp_path: Path) -> None:
    script = shutil.which("geokg", path=str(Path(sys.executable).parent))
    assert script is not None
    folder = tmp_path / "graph"
    folder.mkdir()
    shutil.copy(DATA / "small.ttl", folder)
    ok = subprocess.run(
        [script, "-g", str(folder), "validate"], capture_output=True, text=True
    )
    assert (ok.returncode, ok.stdout) == (0, "The graph conforms to geokg's shapes.\n")
    text = (
        (folder / "small.ttl")
        .read_text(encoding="utf-8")
        .replace("geokg:quantity 10", "geokg:quantity 0")
    )
    (folder / "small.ttl").write_text(text, encoding="utf-8")
    bad = subprocess.run(
        [script, "-g", str(folder), "validate"], capture_output=True, text=True
    )
    assert bad.returncode == 1
    missing = subprocess.run(
        [script, "-g", str(tmp_path / "none"), "validate"],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1 and missing.stderr.startswith(
        "Error: graph folder"
    )
    assert "Traceback" not in missing.stderr


def test_graph_from_environment_variable(runner: CliRunner, small_graph: Path) -> None:
    result = runner.invoke(
        cli, ["stats", "-f", "json"], env={"GEOKG_GRAPH": str(small_graph)}
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["facts"] == 2


def test_stats_table(runner: CliRunner, small_graph: Path) -> None:
    result = runner.invoke(cli, ["--graph", str(small_graph), "stats"])
    assert result.exit_code == 0
    assert result.stdout == (
        "Entities by type (4)\n"
        "  state               2\n"
        "  alliance            1\n"
        "  weapon-system       1\n"
        "\n"
        "Facts by relation (2)\n"
        "  acquires       1\n"
        "  memberOf       1\n"
        "\n"
        "Facts by status\n"
        "  claimed        1\n"
        "  reported       1\n"
        "\n"
        "Sources: 1  Sentences: 1  Triples: 43\n"
    )


def test_stats_json_and_tsv(runner: CliRunner, small_graph: Path) -> None:
    result = runner.invoke(cli, ["--graph", str(small_graph), "stats", "-f", "json"])
    assert json.loads(result.stdout) == {
        "entities": 4,
        "entities_by_type": {"alliance": 1, "state": 2, "weapon-system": 1},
        "facts": 2,
        "facts_by_relation": {"acquires": 1, "memberOf": 1},
        "facts_by_status": {"claimed": 1, "reported": 1},
        "sentences": 1,
        "sources": 1,
        "triples": 43,
    }
    tsv = runner.invoke(cli, ["--graph", str(small_graph), "stats", "-f", "tsv"]).stdout
    assert tsv.splitlines()[:3] == [
        "group\tname\tcount",
        "entities\tstate\t2",
        "entities\talliance\t1",
    ]


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [
        ("turtle", "turtle"),
        ("nt", "nt"),
        ("jsonld", "json-ld"),
        ("trig", "trig"),
        ("application/n-triples", "nt"),
        ("text/turtle", "turtle"),
    ],
)
def test_export_formats_round_trip(
    runner: CliRunner, small_graph: Path, tmp_path: Path, fmt: str, rdflib_format: str
) -> None:
    out = tmp_path / "export.out"
    result = runner.invoke(
        cli, ["--graph", str(small_graph), "export", "-f", fmt, "-o", str(out)]
    )
    assert (result.exit_code, result.stdout) == (0, "")
    if rdflib_format == "trig":
        from rdflib import Dataset

        back = Graph()
        for s, p, o, _ in Dataset().parse(out, format="trig").quads():
            back.add((s, p, o))
    else:
        back = Graph().parse(out, format=rdflib_format)
    assert isomorphic(back, Graph().parse(DATA / "small.ttl"))


def test_export_is_deterministic(runner: CliRunner, small_graph: Path) -> None:
    for fmt in ("turtle", "nt", "jsonld"):
        first = runner.invoke(
            cli, ["--graph", str(small_graph), "export", "-f", fmt]
        ).stdout
        second = runner.invoke(
            cli, ["--graph", str(small_graph), "export", "-f", fmt]
        ).stdout
        assert first == second


def test_unknown_export_format_is_a_usage_error(
    runner: CliRunner, small_graph: Path
) -> None:
    before = snapshot(small_graph)
    result = runner.invoke(cli, ["--graph", str(small_graph), "export", "-f", "rdfxml"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: Invalid value for '-f' / '--format': unknown format 'rdfxml': "
        "use one of turtle, nt, jsonld, trig, graphml, gexf (see `geokg export --help`)\n"
    )
    assert snapshot(small_graph) == before


def test_corrupt_graph_file_is_one_line_error(
    runner: CliRunner, small_graph: Path
) -> None:
    (small_graph / "broken.ttl").write_text(
        "<http://a> <http://b> .\n", encoding="utf-8"
    )
    before = snapshot(small_graph)
    result = runner.invoke(cli, ["--graph", str(small_graph), "stats"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        f"Error: {small_graph / 'broken.ttl'}: line 1: Turtle syntax error"
    )
    assert snapshot(small_graph) == before


def test_missing_graph_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--graph", str(tmp_path / "missing"), "stats"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: graph folder '{tmp_path / 'missing'}' does not exist: create it, or pass "
        "--graph DIR (or set GEOKG_GRAPH) to an existing graph\n"
    )
    assert not (tmp_path / "missing").exists()

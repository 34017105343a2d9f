"""Shared fixtures: a CLI runner, small graphs written for the tests, golden files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest_plugins = ["tests.virtuoso"]

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the golden files from the current output (review the diff).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True, scope="session")
def _index_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the query index (geokg.index) of every test graph in one session folder,
    so that the folders tests snapshot hold only what the commands write there."""
    import os

    os.environ["GEOKG_CACHE_DIR"] = str(tmp_path_factory.mktemp("index-cache"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def small_graph(tmp_path: Path) -> Path:
    """A graph folder holding tests/data/small.ttl, a conforming graph."""
    folder = tmp_path / "graph"
    folder.mkdir()
    shutil.copy(DATA / "small.ttl", folder / "small.ttl")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove a command changed nothing."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }

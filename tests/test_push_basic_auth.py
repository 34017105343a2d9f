"""`geokg push` to a store that asks for HTTP Basic auth (as Fuseki and GraphDB do):
a proxy asking for Basic stands in front of the real Virtuoso's anonymous Graph Store
endpoint, opened for writing for the length of each test."""

from __future__ import annotations

import base64
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from geokg.cli import cli
from geokg.remote import LoginError, _Client, count_triples, graph_iri, push
from tests.proxy import Proxy, ProxyRules, running_proxy
from tests.virtuoso import Virtuoso

ROOT = Path(__file__).parents[1]
LOGIN = ("analyst", "correct horse")


@pytest.fixture
def basic_store(virtuoso: Virtuoso) -> Iterator[Proxy]:
    """A Graph Store behind Basic auth; the anonymous endpoint is closed again after."""
    anonymous = virtuoso.graph_store.removesuffix("-auth")
    virtuoso.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
    try:
        with running_proxy(ProxyRules(anonymous, basic=LOGIN)) as proxy:
            yield proxy
    finally:
        virtuoso.isql('REVOKE SPARQL_UPDATE FROM "SPARQL";')


@pytest.fixture
def basic_endpoint(virtuoso: Virtuoso) -> Iterator[str]:
    """Virtuoso's SPARQL endpoint behind Basic auth."""
    with running_proxy(ProxyRules(virtuoso.sparql, basic=LOGIN)) as proxy:
        yield proxy.url + "/sparql"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "graph"
    folder.mkdir()
    shutil.copy(ROOT / "graph" / "s400-turkey.ttl", folder / "basic-auth.ttl")
    return folder


def test_push_answers_a_basic_challenge(
    basic_store: Proxy, basic_endpoint: str, virtuoso: Virtuoso, folder: Path
) -> None:
    # Both the Graph Store and the endpoint that counts the graph ask for the login.
    report = push(folder, basic_endpoint, basic_store.url + "/gsp", *LOGIN, chunk=300)
    iri = graph_iri(folder, folder / "basic-auth.ttl")
    assert [(g.iri, g.triples, g.requests) for g in report.graphs] == [(iri, 765, 3)]
    assert count_triples(virtuoso.sparql, iri) == 765
    pair = base64.b64encode(":".join(LOGIN).encode()).decode()
    # The HEAD probe goes without credentials; every body is sent with them.
    assert basic_store.seen_authorization == ["", *[f"Basic {pair}"] * 3]


def test_wrong_basic_password_is_refused_in_one_line(
    basic_store: Proxy, virtuoso: Virtuoso, folder: Path
) -> None:
    iri = graph_iri(folder, folder / "basic-auth.ttl")
    before = count_triples(virtuoso.sparql, iri)
    args = ["-g", str(folder), "push", "--endpoint", virtuoso.sparql]
    args += ["--graph-store", basic_store.url + "/gsp", "--user", "analyst"]
    args += ["--password-env", "STORE_PASSWORD"]
    result = CliRunner().invoke(cli, args, env={"STORE_PASSWORD": "wrong"})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: {basic_store.url} refused user 'analyst': check the user and the "
        "password in the --password-env variable\n"
    )
    assert count_triples(virtuoso.sparql, iri) == before


def test_basic_auth_is_never_sent_over_plain_http_to_another_host() -> None:
    client = _Client(*LOGIN, timeout=5)
    client.challenge = {"scheme": "basic"}
    url = urllib.parse.urlsplit("http://store.example.org:3030/geokg/data")
    with pytest.raises(LoginError) as caught:
        client._authorization("PUT", "/geokg/data", url)
    assert str(caught.value) == (
        "http://store.example.org:3030 asks for Basic auth over plain http, which "
        "would send the password unencrypted: use its https URL"
    )
    secure = urllib.parse.urlsplit("https://store.example.org/geokg/data")
    assert client._authorization("PUT", "/geokg/data", secure).startswith("Basic ")


def test_query_answers_a_basic_challenge(
    basic_endpoint: str, virtuoso: Virtuoso
) -> None:
    push(ROOT / "graph", virtuoso.sparql, None, virtuoso.user, virtuoso.password)
    args = ["-g", str(ROOT / "graph"), "query", "sources", "-f", "csv"]
    direct = CliRunner().invoke(cli, [*args, "--endpoint", virtuoso.sparql])
    assert direct.exit_code == 0, direct.stderr
    args += ["--endpoint", basic_endpoint]
    login = ["--user", "analyst", "--password-env", "STORE_PASSWORD"]
    result = CliRunner().invoke(cli, [*args, *login], env={"STORE_PASSWORD": LOGIN[1]})
    assert (result.exit_code, result.stdout) == (0, direct.stdout)
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.stdout) == (2, "")
    origin = basic_endpoint.removesuffix("/sparql")
    assert result.stderr == (
        f"Error: {origin} asks for a login (POST /sparql): pass --user and "
        "--password-env\n"
    )


def test_login_options_only_with_an_endpoint() -> None:
    args = ["-g", str(ROOT / "graph"), "query", "sources", "--user", "analyst"]
    result = CliRunner().invoke(cli, [*args, "--password-env", "HOME"])
    assert result.exit_code == 2
    assert "--user and --password-env go with --endpoint" in result.stderr
    result = CliRunner().invoke(cli, [*args, "--endpoint", "http://127.0.0.1:9/s"])
    assert result.exit_code == 2
    assert "give --user and --password-env together" in result.stderr

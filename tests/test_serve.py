"""`geokg serve`: the SPARQL 1.1 Protocol over HTTP on loopback, against a real server
in a thread, with real requests."""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from geokg.engine import open_engine
from geokg.queries import list_queries, load_query, run_query
from geokg.results import format_result
from geokg.serve import ServeConfig, calls_service, make_server, negotiate

DEMO = Path(__file__).parents[1] / "graph"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
#: Values for the queries whose parameters have no default.
PARAMS = {
    "entity": {"name": "Turkey"},
    "between": {"a": "Turkey", "b": "United States"},
}


@dataclass(frozen=True)
class Reply:
    """An HTTP response: status, media type and body."""

    status: int
    media: str
    body: str


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a server on a copy of the demo graph, with a 1 s timeout and a
    1,000-byte body limit."""
    folder = tmp_path_factory.mktemp("serve") / "graph"
    shutil.copytree(DEMO, folder)
    config = ServeConfig(folder, timeout=1.0, max_body=1000, max_rows=50)
    server = make_server(config, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host!s}:{port}"
    server.shutdown()
    server.server_close()


def request(
    url: str,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> Reply:
    """Send a request; return the reply, whatever its status."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return Reply(
                response.status,
                response.headers.get_content_type(),
                response.read().decode("utf-8"),
            )
    except urllib.error.HTTPError as err:
        return Reply(
            err.code, err.headers.get_content_type(), err.read().decode("utf-8")
        )


def rows_of(body: str) -> list[dict[str, dict[str, str]]]:
    return json.loads(body)["results"]["bindings"]


def local_json(name: str) -> str:
    """What `geokg query NAME -f json` prints on the demo graph."""
    params = PARAMS.get(name, {})
    result = run_query(open_engine(DEMO), load_query(name), params, limit=50)
    return format_result(result, "json")


@pytest.mark.parametrize("name", [spec.name for spec in list_queries()])
def test_every_named_query_over_http_gives_the_cli_rows(base: str, name: str) -> None:
    query = urllib.parse.urlencode(PARAMS.get(name, {}))
    reply = request(
        f"{base}/queries/{name}?{query}",
        headers={"Accept": "application/sparql-results+json"},
    )
    assert (reply.status, reply.media) == (200, "application/sparql-results+json")
    assert reply.body == local_json(name)


def test_named_query_parameters_come_from_the_url(base: str) -> None:
    reply = request(f"{base}/queries/acquisitions?buyer=Ankara&format=csv")
    assert (reply.status, reply.media) == (200, "text/csv")
    assert reply.body.splitlines()[0] == (
        "system,supplier,quantity,date,status,claimant,origin,evidence"
    )
    assert len(reply.body.splitlines()) > 1
    unknown = request(f"{base}/queries/acquisitions?buyer=Atlantis")
    assert unknown.status == 404
    assert unknown.body.startswith("no entity named 'Atlantis'")


def test_get_form_post_and_direct_post_agree(base: str) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    by_get = request(
        f"{base}/sparql?" + urllib.parse.urlencode({"query": COUNT}), headers=accept
    )
    by_form = request(
        f"{base}/query",
        data=urllib.parse.urlencode({"query": COUNT}).encode(),
        headers={**accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    direct = request(
        f"{base}/sparql",
        data=COUNT.encode(),
        headers={**accept, "Content-Type": "application/sparql-query"},
    )
    assert by_get.status == by_form.status == direct.status == 200
    assert by_get.body == by_form.body == direct.body
    count = int(rows_of(by_get.body)[0]["n"]["value"])
    assert count == len(open_engine(DEMO))


@pytest.mark.parametrize(
    ("accept", "media", "first"),
    [
        ("text/csv", "text/csv", "n"),
        ("text/tab-separated-values", "text/tab-separated-values", "?n"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<?xml"),
        (
            "text/csv;q=0.5, application/sparql-results+xml",
            "application/sparql-results+xml",
            "<?xml",
        ),
        ("*/*", "application/sparql-results+json", "{"),
        ("", "application/sparql-results+json", "{"),
    ],
)
def test_accept_chooses_the_select_format(
    base: str, accept: str, media: str, first: str
) -> None:
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": COUNT})
    reply = request(url, headers={"Accept": accept} if accept else {})
    assert (reply.status, reply.media) == (200, media)
    assert reply.body.startswith(first)


def test_construct_is_rdf_and_unfit_accept_is_406(base: str) -> None:
    construct = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3"
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": construct})
    reply = request(url, headers={"Accept": "application/n-triples"})
    assert (reply.status, reply.media) == (200, "application/n-triples")
    assert len(reply.body.strip().splitlines()) == 3
    refused = request(url, headers={"Accept": "text/csv"})
    assert refused.status == 406
    assert refused.body.startswith("none of the media types in Accept fits a CONSTRUCT")


def test_a_malformed_query_is_400_with_the_parser_message(base: str) -> None:
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s"})
    reply = request(url)
    assert reply.status == 400
    assert reply.body.startswith("query 'request': SPARQL syntax error at line 1")


def test_a_query_past_the_timeout_is_503_not_a_hang(base: str) -> None:
    slow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    start = time.monotonic()
    reply = request(f"{base}/sparql?" + urllib.parse.urlencode({"query": slow}))
    assert time.monotonic() - start < 10
    assert reply.status == 503
    assert reply.body == (
        "the query ran longer than 1 s: narrow it, or start the server with a "
        "larger --timeout\n"
    )
    # The worker stopped at its deadline: the server still answers at once.
    again = request(f"{base}/sparql?" + urllib.parse.urlencode({"query": COUNT}))
    assert again.status == 200


def test_updates_are_403_on_a_read_only_server(base: str) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    form = request(
        f"{base}/update",
        data=urllib.parse.urlencode({"update": update}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status == 403
    assert form.body.startswith("this endpoint is read-only")
    put = request(
        f"{base}/store?default", data=b"<urn:a> <urn:b> <urn:c> .", method="PUT"
    )
    assert put.status == 403


def test_a_body_over_the_limit_is_413(base: str) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2000
    reply = request(
        f"{base}/sparql",
        data=big.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert reply.status == 413
    assert "over the limit of 1000" in reply.body


def test_service_is_refused(base: str) -> None:
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    reply = request(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}))
    assert reply.status == 403
    assert reply.body.startswith("SERVICE (a call to another endpoint) is not allowed")


def test_service_detection_ignores_strings_iris_and_comments() -> None:
    assert calls_service("SELECT * { service <http://x> { ?s ?p ?o } }")
    assert not calls_service('SELECT * { ?s ?p "SERVICE" } # SERVICE')
    assert not calls_service("SELECT * { ?s <http://x/SERVICE> ?o }")
    assert not calls_service("SELECT ?serviceLevel { ?s ?p ?serviceLevel }")


def test_rows_are_capped(base: str) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    reply = request(
        f"{base}/sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    assert reply.status == 200
    assert len(rows_of(reply.body)) == 50


def test_graph_store_reads_the_whole_graph_and_one_file(base: str) -> None:
    whole = request(
        f"{base}/store?default", headers={"Accept": "application/n-triples"}
    )
    assert (whole.status, whole.media) == (200, "application/n-triples")
    assert len(whole.body.strip().splitlines()) == len(open_engine(DEMO))
    one = request(f"{base}/store?graph=s400-turkey.ttl")
    assert (one.status, one.media) == (200, "text/turtle")
    missing = request(f"{base}/store?graph=nope.ttl")
    assert missing.status == 404
    assert (
        missing.body
        == "no graph 'nope.ttl': the graphs are the files s400-turkey.ttl\n"
    )


def test_the_pages(base: str) -> None:
    home = request(f"{base}/")
    assert (home.status, home.media) == (200, "text/html")
    assert '<a href="/queries/acquisitions?format=table">acquisitions</a>' in home.body
    view = request(f"{base}/view")
    assert (view.status, view.media) == (200, "text/html")
    assert view.body.startswith("<!DOCTYPE html>")
    assert request(f"{base}/nowhere").status == 404


def test_negotiate_prefers_quality_then_order() -> None:
    assert negotiate("text/csv;q=0.2, text/tab-separated-values", "SELECT") == "tsv"
    assert negotiate("text/plain", "SELECT") == "table"
    assert negotiate("text/plain", "ASK") == "text"
    assert negotiate(None, "CONSTRUCT") == "turtle"
    assert negotiate("text/csv", "SELECT", "xml") == "xml"


def test_the_command_serves_until_interrupted(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "geokg", "--graph", str(DEMO), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith(f"Serving {DEMO} at http://127.0.0.1:")
        url = line.split(" at ", 1)[1].split("/ ", 1)[0]
        reply = request(f"{url}/queries/alliance-members?format=csv")
        assert reply.status == 200
        assert (
            reply.body.splitlines()[0] == "member,status,claimant,date,origin,evidence"
        )
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert proc.returncode == 0


def test_a_port_in_use_is_a_one_line_error(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "geokg",
                "--graph",
                str(DEMO),
                "serve",
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: cannot listen on 127.0.0.1:{port} (Address already in use): "
        "pick another --port\n"
    )


# ---- writes -----------------------------------------------------------------------

TOKEN = "t0ken-for-tests"


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A writable server on a fresh copy of the demo graph; its URL and folder."""
    folder = tmp_path / "graph"
    shutil.copytree(DEMO, folder)
    server = make_server(
        ServeConfig(folder, token=TOKEN, author="Web Editor"), "127.0.0.1", 0
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host!s}:{port}", folder
    server.shutdown()
    server.server_close()


def send_update(base: str, update: str, token: str | None = TOKEN) -> Reply:
    headers = {"Content-Type": "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return request(f"{base}/update", data=update.encode(), headers=headers)


def test_an_update_needs_the_token_and_changes_nothing_without_it(
    writable: tuple[str, Path],
) -> None:
    from .conftest import snapshot

    base, folder = writable
    before = snapshot(folder)
    update = 'INSERT DATA { <https://w3id.org/geokg/id/state/turkey> <http://www.w3.org/2004/02/skos/core#altLabel> "Turkiye" }'
    for token in (None, "wrong"):
        reply = send_update(base, update, token)
        assert reply.status == 401
        assert reply.body.startswith("writes need the server's token")
    assert snapshot(folder) == before


def test_an_update_with_the_token_is_written_as_an_edit(
    writable: tuple[str, Path],
) -> None:
    base, folder = writable
    update = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        'INSERT DATA { <https://w3id.org/geokg/id/state/greece> skos:altLabel "Hellas" }'
    )
    reply = send_update(base, update)
    assert reply.status == 200, reply.body
    assert reply.body == (
        f"Updated: 1 triple added, 0 triples removed -> {folder}/edits/web-editor.ttl\n"
    )
    found = request(f"{base}/queries/entity?name=Hellas&format=csv")
    assert found.status == 200


def test_an_update_that_breaks_a_shape_is_refused(writable: tuple[str, Path]) -> None:
    from .conftest import snapshot

    base, folder = writable
    before = snapshot(folder)
    update = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        'INSERT DATA { <https://w3id.org/geokg/id/state/greece> rdfs:label "Second label" }'
    )
    reply = send_update(base, update)
    assert reply.status == 422
    assert reply.body.startswith("refused: ")
    assert reply.body.endswith("; nothing was written\n")
    assert snapshot(folder) == before
    load = send_update(base, "LOAD <http://example.org/data.ttl>")
    assert load.status == 400
    assert load.body.startswith("LOAD and SERVICE read other hosts and are refused")


def test_a_graph_store_put_replaces_an_import(writable: tuple[str, Path]) -> None:
    base, folder = writable
    body = (
        "<https://w3id.org/geokg/id/state/greece> "
        '<http://www.w3.org/2004/02/skos/core#altLabel> "Elláda" .\n'
    )
    headers = {
        "Authorization": f"Bearer {TOKEN}",
        "Content-Type": "application/n-triples",
    }
    first = request(
        f"{base}/store?graph=extra", data=body.encode(), headers=headers, method="PUT"
    )
    assert first.status == 200, first.body
    assert (folder / "imports" / "extra.ttl").is_file()
    again = request(
        f"{base}/store?graph=extra", data=body.encode(), headers=headers, method="PUT"
    )
    assert again.status == 200
    assert sorted(p.name for p in (folder / "imports").iterdir()) == ["extra.ttl"]

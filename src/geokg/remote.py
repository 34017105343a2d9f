"""A remote SPARQL server: push the graph folder to it, and run named queries there.

``push`` loads each source file of the graph folder as its own named graph with the
SPARQL 1.1 Graph Store HTTP Protocol. The graph of ``graph/news/s400.ttl`` is
``https://w3id.org/geokg/graph/news/s400`` (:func:`graph_iri`: the path relative to the
folder, without its suffix), so a file keeps its graph from one push to the next. PUT
replaces a graph, so pushing again is idempotent. Large files go in chunks of N-Triples
(the first PUT, the others POST); a load is not atomic on every server (Virtuoso's is
not), so each graph's triple count is checked with a SPARQL COUNT after loading.

Write endpoints usually need HTTP Digest auth (Virtuoso's ``/sparql-graph-crud-auth``);
the challenge and response are done here (RFC 7616, MD5, qop=auth) because urllib's
digest handler cannot resend a request body. Basic auth (Fuseki, GraphDB) is answered
too, over https or to loopback only. Only the standard library talks HTTP.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import secrets
import time
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from geokg.errors import InputError, ValidationError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from geokg.engine import Engine
    from geokg.queries import QueryResult, QuerySpec

GRAPH_BASE = "https://w3id.org/geokg/graph/"
#: Triples sent in one request; larger graphs go in several (PUT, then POST).
CHUNK_TRIPLES = 50_000
SPARQL_RESULTS_JSON = "application/sparql-results+json"
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


class RemoteError(InputError):
    """The server could not be reached, refused the credentials, or refused a request."""


class PushCheckError(ValidationError):
    """A pushed graph does not hold the triples that were sent."""


class LoginError(RemoteError):
    """The server asks for a login geokg was not given, or refuses the one it was."""


class CappedResult(RemoteError):
    """The server cut a result at its row cap (Virtuoso's ``ResultSetMaxRows``)."""


class UnsupportedPath(RemoteError):
    """The server gave up on a transitive property path (``+`` or ``*``)."""


#: Fragments of the errors Virtuoso gives for transitive paths it cannot follow: on
#: cyclic data it runs out of "transitive temp memory"; with neither end bound it
#: refuses outright.
TRANSITIVE_FAILURES = (
    "transitive temp memory",
    "transitive start not given",
    "neither end of it is bound",
)


@dataclass(frozen=True)
class PushedGraph:
    """One file of the graph folder as loaded: its name, graph IRI and triple count."""

    name: str
    iri: str
    triples: int
    requests: int
    seconds: float


@dataclass(frozen=True)
class PushReport:
    """What ``push`` loaded, graph by graph."""

    endpoint: str
    graph_store: str
    graphs: tuple[PushedGraph, ...] = field(default_factory=tuple)
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        """The triples loaded, over all graphs."""
        return sum(graph.triples for graph in self.graphs)


#: A user and password for HTTP auth, sent only when the server asks for a login.
Login = tuple[str, str]


def graph_iri(folder: Path, path: Path) -> str:
    """The named graph a source file is pushed to: its relative path without suffix."""
    name = path.relative_to(folder).with_suffix("").as_posix()
    return GRAPH_BASE + urllib.parse.quote(name, safe="/-._~")


def default_graph_store(endpoint: str, authenticated: bool) -> str:
    """The Graph Store URL next to a SPARQL endpoint.

    Virtuoso serves it at ``/sparql-graph-crud-auth`` (Digest auth, writable) and
    ``/sparql-graph-crud`` (anonymous) next to ``/sparql``; other servers are assumed
    to serve the protocol at the endpoint's own URL.
    """
    if endpoint.rstrip("/").endswith("/sparql"):
        suffix = "-graph-crud-auth" if authenticated else "-graph-crud"
        return endpoint.rstrip("/") + suffix
    return endpoint


# ---- HTTP with Digest or Basic auth ------------------------------------------------------------


@dataclass
class _Response:
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes


class _Client:
    """Requests to one server, answering its login challenge: Digest (RFC 7616/2617,
    MD5, qop auth; Virtuoso) or Basic (RFC 7617; Fuseki, GraphDB), Basic only over
    https or to a loopback address, since it sends the password as it is."""

    def __init__(
        self,
        user: str | None,
        password: str | None,
        timeout: float,
        probe: bool = True,
    ) -> None:
        self.user = user
        self.password = password
        self.timeout = timeout
        self.probe = probe
        self.challenge: dict[str, str] | None = None
        self.count = 0

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> _Response:
        """Send a request; on a login challenge, answer it and send it once more."""
        headers = dict(headers or {})
        if body and self.probe and self.user is not None and self.challenge is None:
            # Fetch the challenge with a bodiless HEAD first: a server refusing an
            # unauthenticated PUT may close the connection before reading its body.
            probe = self._send("HEAD", url, None, {})
            if probe.status == 401:
                self.challenge = _challenge(probe.headers.get("WWW-Authenticate", ""))
        response = self._send(method, url, body, headers)
        if response.status != 401:
            return response
        challenge = _challenge(response.headers.get("WWW-Authenticate", ""))
        if self.user is None or self.password is None:
            raise LoginError(
                f"{_origin(url)} asks for a login ({method} {_path(url)}): pass --user "
                "and --password-env"
            )
        if challenge is None:
            raise LoginError(
                f"{_origin(url)} asks for a login geokg cannot answer (it answers HTTP "
                "Digest and Basic): put a proxy that signs requests in front of it"
            )
        self.challenge, self.count = challenge, 0
        response = self._send(method, url, body, headers)
        if response.status == 401:
            raise LoginError(
                f"{_origin(url)} refused user {self.user!r}: check the user and the "
                "password in the --password-env variable"
            )
        return response

    def _send(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str]
    ) -> _Response:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RemoteError(
                f"{url!r} is not an http(s) URL: pass a SPARQL endpoint URL"
            )
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        sent = dict(headers)
        if self.challenge is not None:
            sent["Authorization"] = self._authorization(method, target, parts)
        connection_class = (
            http.client.HTTPSConnection
            if parts.scheme == "https"
            else http.client.HTTPConnection
        )
        connection = connection_class(parts.netloc, timeout=self.timeout)
        try:
            connection.request(method, target, body=body, headers=sent)
            reply = connection.getresponse()
            return _Response(reply.status, reply.reason, reply.headers, reply.read())
        except TimeoutError as err:
            raise RemoteError(
                f"{_origin(url)} did not answer {method} {_path(url)} within "
                f"{self.timeout:g} s: raise --timeout"
            ) from err
        except (
            http.client.RemoteDisconnected,
            ConnectionResetError,
            BrokenPipeError,
        ) as err:
            raise RemoteError(
                f"{_origin(url)} dropped the connection during {method} {_path(url)}"
            ) from err
        except OSError as err:
            raise RemoteError(
                f"cannot reach {_origin(url)}: {err.strerror or err}; check the URL"
            ) from err
        finally:
            connection.close()

    def _authorization(
        self, method: str, target: str, parts: urllib.parse.SplitResult
    ) -> str:
        assert self.challenge is not None and self.user and self.password is not None
        if self.challenge["scheme"] == "basic":
            return self._basic(parts)
        realm = self.challenge.get("realm", "")
        nonce = self.challenge.get("nonce", "")
        self.count += 1
        nc = f"{self.count:08x}"
        cnonce = secrets.token_hex(8)
        ha1 = _md5(f"{self.user}:{realm}:{self.password}")
        ha2 = _md5(f"{method}:{target}")
        qops = [q.strip() for q in self.challenge.get("qop", "").split(",")]
        fields = {
            "username": self.user,
            "realm": realm,
            "nonce": nonce,
            "uri": target,
            "algorithm": "MD5",
        }
        if "auth" in qops:
            fields.update(qop="auth", nc=nc, cnonce=cnonce)
            fields["response"] = _md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        else:
            fields["response"] = _md5(f"{ha1}:{nonce}:{ha2}")
        if "opaque" in self.challenge:
            fields["opaque"] = self.challenge["opaque"]
        unquoted = {"algorithm", "qop", "nc"}
        return "Digest " + ", ".join(
            f"{key}={value}" if key in unquoted else f'{key}="{_quoted(value)}"'
            for key, value in fields.items()
        )

    def _basic(self, parts: urllib.parse.SplitResult) -> str:
        assert self.user is not None and self.password is not None
        if parts.scheme != "https" and not _loopback(parts.hostname or ""):
            raise LoginError(
                f"{parts.scheme}://{parts.netloc} asks for Basic auth over plain http, "
                "which would send the password unencrypted: use its https URL"
            )
        pair = f"{self.user}:{self.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _challenge(header: str) -> dict[str, str] | None:
    """The challenge to answer in a WWW-Authenticate header: Digest if offered, else
    Basic, as a dict of its parameters with the scheme under ``"scheme"``."""
    digest = re.search(r"(?:^|,)\s*digest\s", header, re.IGNORECASE)
    if digest:
        pairs = re.findall(
            r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', header[digest.end() :]
        )
        found = {key.lower(): quoted or bare for key, quoted, bare in pairs}
        return {**found, "scheme": "digest"}
    if re.search(r"(?:^|,)\s*basic(?:\s|$)", header, re.IGNORECASE):
        return {"scheme": "basic"}
    return None


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _path(url: str) -> str:
    return urllib.parse.urlsplit(url).path or "/"


def _check(response: _Response, what: str) -> None:
    if not 200 <= response.status < 300:
        detail = " ".join(response.body.decode("utf-8", "replace").split())[:300]
        raise RemoteError(
            f"{what} failed: HTTP {response.status} {response.reason}"
            + (f": {detail}" if detail else "")
        )


# ---- push -----------------------------------------------------------------------------


def push(
    folder: Path,
    endpoint: str,
    graph_store: str | None = None,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 60,
    chunk: int = CHUNK_TRIPLES,
) -> PushReport:
    """Load every source file of a graph folder into a SPARQL server, a graph each.

    Each file replaces its named graph (:func:`graph_iri`), so pushing twice leaves the
    server as pushing once. Other graphs on the server are left alone, including the
    graph of a file since deleted from the folder.

    Args:
        folder: The graph folder.
        endpoint: The SPARQL query endpoint, used to count each loaded graph.
        graph_store: The Graph Store Protocol URL (default: see
            :func:`default_graph_store`).
        user: The user for HTTP Digest auth, if the server asks for one.
        password: That user's password.
        timeout: Seconds to wait for each HTTP response.
        chunk: Triples per request; a larger file goes as a PUT and then POSTs.

    Returns:
        The graphs loaded, with their triple counts and times.

    Raises:
        InputError: If a file cannot be read.
        RemoteError: If the server cannot be reached, refuses the login (before
            anything is written) or refuses a request.
        PushCheckError: If a graph on the server does not hold the triples sent.
    """
    from geokg.store import graph_dir, read_file, source_files

    folder = graph_dir(folder)
    store_url = graph_store or default_graph_store(endpoint, user is not None)
    client = _Client(user, password, timeout)
    login = (user, password) if user is not None and password is not None else None
    started = time.perf_counter()
    pushed: list[PushedGraph] = []
    for path in source_files(folder):
        graph = read_file(path)
        iri = graph_iri(folder, path)
        began = time.perf_counter()
        url = _with_query(store_url, graph=iri)
        requests = 0
        try:
            for body in _chunks(graph, max(1, chunk)):
                method = "PUT" if requests == 0 else "POST"
                response = client.request(
                    method,
                    url,
                    body,
                    {"Content-Type": "application/n-triples; charset=utf-8"},
                )
                _check(response, f"{method} of graph <{iri}>")
                requests += 1
        except LoginError:
            raise  # refused before any body was sent: nothing was written
        except RemoteError as err:
            raise RemoteError(
                f"{err}; {_left_behind(endpoint, iri, len(graph), timeout, login)}, and "
                f"{len(pushed)} graph(s) before it were loaded whole: fix the cause and "
                "push again (each graph is replaced whole)"
            ) from err
        found = count_triples(endpoint, iri, timeout=timeout, login=login)
        if found != len(graph):
            raise PushCheckError(
                f"graph <{iri}> holds {found} triples on the server, not the {len(graph)} "
                f"of {path.relative_to(folder)} (a load is not atomic): push again, and "
                "check the server's log"
            )
        pushed.append(
            PushedGraph(
                path.relative_to(folder).with_suffix("").as_posix(),
                iri,
                len(graph),
                requests,
                time.perf_counter() - began,
            )
        )
    return PushReport(endpoint, store_url, tuple(pushed), time.perf_counter() - started)


def _left_behind(
    endpoint: str, iri: str, expected: int, timeout: float, login: Login | None
) -> str:
    """What a failed load left in a graph, for the error: loads are not atomic."""
    try:
        found = count_triples(endpoint, iri, timeout=timeout, login=login)
    except RemoteError:
        return f"graph <{iri}> may be incomplete on the server"
    if found == expected:
        return f"graph <{iri}> holds its {expected} triples"
    return f"graph <{iri}> holds {found} of its {expected} triples on the server"


def _with_query(url: str, **values: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = "&".join(filter(None, [parts.query, urllib.parse.urlencode(values)]))
    return urllib.parse.urlunsplit(parts._replace(query=query))


def _chunks(graph: Graph, size: int) -> Iterator[bytes]:
    """The graph as N-Triples documents of about ``size`` triples (always at least one).

    Blank-node labels are local to one document, so the triples that share blank
    nodes (a connected group) always go in the same document.
    """
    from rdflib import Graph

    groups = _blank_node_groups(graph)
    batch: list[tuple[Node, Node, Node]] = []
    sent = False
    for group in groups:
        if batch and len(batch) + len(group) > size:
            yield _ntriples(Graph, batch)
            sent, batch = True, []
        batch.extend(group)
    if batch or not sent:
        yield _ntriples(Graph, batch)


def _ntriples(
    graph_class: type[Graph], triples: Iterable[tuple[Node, Node, Node]]
) -> bytes:
    part = graph_class()
    for triple in triples:
        part.add(triple)
    return part.serialize(format="nt", encoding="utf-8")


def _blank_node_groups(graph: Graph) -> list[list[tuple[Node, Node, Node]]]:
    from rdflib import BNode

    parent: dict[Node, Node] = {}

    def root(node: Node) -> Node:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    triples = sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    for subject, _, obj in triples:
        if isinstance(subject, BNode) and isinstance(obj, BNode):
            parent[root(subject)] = root(obj)
    grouped: dict[Node, list[tuple[Node, Node, Node]]] = {}
    groups: list[list[tuple[Node, Node, Node]]] = []
    for triple in triples:
        blank = next((t for t in (triple[0], triple[2]) if isinstance(t, BNode)), None)
        if blank is None:
            groups.append([triple])
            continue
        key = root(blank)
        if key not in grouped:
            grouped[key] = []
            groups.append(grouped[key])
        grouped[key].append(triple)
    return groups


def count_triples(
    endpoint: str, iri: str, timeout: float = 60, login: Login | None = None
) -> int:
    """The number of triples in one named graph of a SPARQL endpoint (``login`` is
    answered if the endpoint asks for one).

    Raises:
        RemoteError: If the endpoint fails or answers something else than a count.
    """
    from rdflib import URIRef

    text = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {URIRef(iri).n3()} {{ ?s ?p ?o }} }}"
    )
    result = remote_query(endpoint, text, timeout=timeout, login=login)
    try:
        value = result.terms[0][0]
        return int(str(value))
    except (IndexError, ValueError) as err:
        raise RemoteError(
            f"{endpoint} answered a COUNT of <{iri}> with no number"
        ) from err


# ---- queries --------------------------------------------------------------------------


def remote_query(
    endpoint: str,
    query_text: str,
    accept: str | None = None,
    *,
    timeout: float = 60,
    default_graph: str | Sequence[str] | None = None,
    login: Login | None = None,
) -> QueryResult:
    """Run a query at a SPARQL endpoint (SPARQL 1.1 Protocol, an HTML form POST).

    SELECT and ASK ask for SPARQL JSON results, CONSTRUCT and DESCRIBE for N-Triples
    (or Turtle); ``accept`` overrides the Accept header; ``default_graph`` makes one
    named graph the query's default graph; ``login`` answers a login challenge. The
    result has no labels.

    Raises:
        RemoteError: If the endpoint cannot be reached or rejects the query.
        QueryTimeout: If it does not answer within ``timeout`` seconds.
    """
    from geokg.queries import QueryResult, QueryTimeout, query_kind

    kind = query_kind(query_text)
    wanted = accept or (
        RDF_ACCEPT if kind in ("CONSTRUCT", "DESCRIBE") else SPARQL_RESULTS_JSON
    )
    graphs = [default_graph] if isinstance(default_graph, str) else default_graph or []
    # Several default-graph-uri: their RDF merge (a set) is the default graph.
    form = [("query", query_text)] + [("default-graph-uri", g) for g in graphs]
    body = urllib.parse.urlencode(form).encode("ascii")
    user, password = login or (None, None)
    client = _Client(user, password, timeout, probe=False)
    try:
        response = client.request(
            "POST",
            endpoint,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": wanted,
            },
        )
    except RemoteError as err:
        if isinstance(err.__cause__, TimeoutError):
            raise QueryTimeout(
                f"{endpoint} did not answer within {timeout:g} s: raise --timeout or "
                "narrow the query"
            ) from err
        raise
    _check_query(response, endpoint)
    if response.headers.get("X-SQL-State"):
        # Virtuoso's "anytime" answer: the rows found before its own time limit ran
        # out, sent as a success; never show them as the result.
        raise QueryTimeout(
            f"{endpoint} cut the answer short ({response.headers['X-SQL-State']}: "
            f"{response.headers.get('X-SQL-Message', 'time limit')}): narrow the query "
            "or raise the server's MaxQueryExecutionTime"
        )
    content_type = response.headers.get_content_type()
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(kind, graph=_parse_graph(response.body, content_type))
    try:
        document = json.loads(response.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RemoteError(
            f"{endpoint} answered with {content_type}, not SPARQL JSON results"
        ) from err
    if "boolean" in document:
        return QueryResult("ASK", boolean=bool(document["boolean"]))
    variables = [str(name) for name in document.get("head", {}).get("vars", [])]
    rows = [
        tuple(_json_term(binding.get(name)) for name in variables)
        for binding in document.get("results", {}).get("bindings", [])
    ]
    _check_cap(response, endpoint, len(rows))
    return QueryResult("SELECT", variables, rows)


def _check_query(response: _Response, endpoint: str) -> None:
    """Raise the clearest error for a query the endpoint refused."""
    if response.status >= 400:
        text = response.body.decode("utf-8", "replace")
        if any(failure in text for failure in TRANSITIVE_FAILURES):
            first = " ".join(text.split("SPARQL query:")[0].split())[:200]
            raise UnsupportedPath(
                f"{endpoint} could not follow a transitive property path (+ or *): "
                f"{first}; Virtuoso fails on such paths over cyclic data or from an "
                "unbound start: bind the path's start, or drop --endpoint to run the "
                "query on the local graph"
            )
    _check(response, f"query at {endpoint}")


def _check_cap(response: _Response, endpoint: str, rows: int) -> None:
    """Refuse an answer cut at the server's row cap instead of passing it off as whole.

    Virtuoso stops at ``ResultSetMaxRows`` (10,000 by default) without an error; it
    only sends ``X-SPARQL-MaxRows`` when the answer reached that cap.
    """
    cap = response.headers.get("X-SPARQL-MaxRows", "").strip()
    if cap.isdigit() and rows >= int(cap):
        raise CappedResult(
            f"{endpoint} stopped at its cap of {int(cap):,} rows (X-SPARQL-MaxRows), so "
            "the answer may be incomplete: pass --limit below the cap, narrow the "
            "query, or raise ResultSetMaxRows in the server's [SPARQL] settings"
        )


def _json_term(value: Mapping[str, str] | None) -> Node | None:
    from rdflib import BNode, Literal, URIRef

    if value is None:
        return None
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    # Virtuoso still answers the pre-1.1 "typed-literal" type.
    language = value.get("xml:lang")
    datatype = value.get("datatype")
    return Literal(
        value["value"],
        lang=language or None,
        datatype=URIRef(datatype) if datatype and not language else None,
    )


def _parse_graph(body: bytes, content_type: str) -> Graph:
    from rdflib import Graph

    formats = {
        "application/n-triples": "nt",
        "text/plain": "nt",
        "text/turtle": "turtle",
        "application/rdf+xml": "xml",
        "application/ld+json": "json-ld",
    }
    graph = Graph()
    try:
        graph.parse(data=body, format=formats.get(content_type, "turtle"))
    except Exception as err:  # rdflib's parsers raise many kinds; say which answer
        raise RemoteError(
            f"cannot parse the server's {content_type} answer: {err}"
        ) from err
    return graph


# Strings, IRIs and comments (left as they are), or a variable.
def _tokens() -> re.Pattern[str]:
    from geokg.queries import NON_CODE

    return re.compile(
        rf"(?P<skip>{NON_CODE})"
        r"|(?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)"
        r"|(?P<word>\b(?:SELECT|WHERE)\b|\{)",
        re.IGNORECASE,
    )


def sparql_term(term: Node) -> str:
    """An RDF term as SPARQL text: an IRI in angle brackets (rdflib checks it), a literal
    as a one-line quoted string with every quote, backslash and line break escaped."""
    from rdflib import Literal

    if not isinstance(term, Literal):
        return term.n3()
    escaped = (
        str(term)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    if term.language:
        return f'"{escaped}"@{term.language}'
    if term.datatype is not None:
        return f'"{escaped}"^^{term.datatype.n3()}'
    return f'"{escaped}"'


def bound_query_text(spec: QuerySpec, bindings: Mapping[str, Node]) -> str:
    """The query with each parameter variable replaced by its RDF term.

    Servers without SEP-0007 (Virtuoso, Fuseki) cannot bind a variable before
    evaluation, and a trailing VALUES is joined after it, too late for the FILTERs,
    BINDs and EXISTS that use the parameter. So the variable is replaced, token by
    token, outside strings, IRIs and comments, by the term as rdflib's ``n3()`` writes
    it (an IRI checked, a literal escaped): no value can change the query's shape. In
    the projection it becomes ``(<term> AS ?var)``, so the column stays. The result is
    parsed with rdflib before it is sent.

    Raises:
        InputError: If the bound query is not valid SPARQL.
    """
    from dataclasses import replace

    from geokg.queries import prepare

    if not bindings:
        return spec.text
    terms = {name: sparql_term(term) for name, term in bindings.items()}
    out: list[str] = []
    position = 0
    in_projection = False
    for match in _tokens().finditer(spec.text):
        out.append(spec.text[position : match.start()])
        token = match.group(0)
        position = match.end()
        if match.group("word"):
            word = token.upper()
            if word == "SELECT":
                in_projection = True
            elif in_projection:  # WHERE or the opening brace ends the projection
                in_projection = False
            out.append(token)
            continue
        name = match.group("var")
        if name and name[1:] in terms:
            term = terms[name[1:]]
            out.append(f"({term} AS {name})" if in_projection else term)
            continue
        out.append(token)
    out.append(spec.text[position:])
    text = "".join(out)
    prepare(replace(spec, text=text))
    return text


def run_remote(
    spec: QuerySpec,
    endpoint: str,
    params: Mapping[str, str] | None = None,
    *,
    local: Engine | None = None,
    limit: int | None = None,
    timeout: float = 60,
    default_graph: str | Sequence[str] | None = None,
    login: Login | None = None,
) -> QueryResult:
    """Run a named query at a SPARQL endpoint, as :func:`geokg.queries.run_query` does
    locally: the same parameter checks, hidden ``_`` columns, ``limit`` and labels.

    Args:
        spec: The query.
        endpoint: The SPARQL endpoint URL.
        params: Parameter values as text; entity names resolve against ``local``.
        local: The local graph, needed only to resolve entity names.
        limit: Keep at most this many rows (SELECT).
        timeout: Seconds to wait for each answer.
        default_graph: Query this named graph only (default: the server's default
            graph; Virtuoso's is the union of all graphs).
        login: User and password, if the endpoint asks for a login.

    Raises:
        InputError: On a bad parameter, or when an entity parameter has no ``local``.
        RemoteError: If the endpoint fails.
    """
    from geokg.engine import visible
    from geokg.queries import QueryResult, bind_params, uses_keyword

    if spec.params and local is None:
        raise InputError(f"query {spec.name!r} has parameters: pass the local graph")
    bindings = bind_params(spec, local, params or {}) if local is not None else {}
    text = bound_query_text(spec, {str(k): v for k, v in bindings.items()})
    if limit is not None and spec.kind == "SELECT" and not uses_keyword(text, "LIMIT"):
        # Ask for one row more than wanted: enough to tell that rows were left out,
        # and it keeps a small --limit below the server's own row cap.
        text = f"{text.rstrip()}\nLIMIT {limit + 1}\n"
    result = remote_query(
        endpoint, text, timeout=timeout, default_graph=default_graph, login=login
    )
    if result.kind != "SELECT":
        return result
    keep = visible(result.variables)
    terms = [tuple(row[i] for i in keep) for row in result.terms]
    truncated = limit is not None and len(terms) > limit
    if limit is not None:
        terms = terms[:limit]
    iris = sorted({str(t) for row in terms for t in row if _is_iri(t)})
    return QueryResult(
        "SELECT",
        [result.variables[i] for i in keep],
        terms,
        labels=remote_labels(endpoint, iris, timeout=timeout, login=login),
        truncated=truncated,
    )


def _is_iri(term: Node | None) -> bool:
    from rdflib import URIRef

    return isinstance(term, URIRef)


def remote_labels(
    endpoint: str,
    iris: list[str],
    *,
    timeout: float = 60,
    batch: int = 200,
    login: Login | None = None,
) -> dict[str, str]:
    """The smallest rdfs:label of each IRI that has one, as the local engines choose."""
    from rdflib import URIRef

    found: dict[str, str] = {}
    for start in range(0, len(iris), batch):
        values = " ".join(URIRef(iri).n3() for iri in iris[start : start + batch])
        text = (
            "SELECT ?s ?label WHERE { VALUES ?s { "
            + values
            + " } ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
        )
        answer = remote_query(endpoint, text, timeout=timeout, login=login)
        for subject, label in answer.terms:
            if subject is None or label is None:
                continue
            key = str(subject)
            found[key] = min(found.get(key, str(label)), str(label))
    return found


def password_from_env(variable: str | None) -> str | None:
    """The password held in an environment variable (never given on the command line).

    Raises:
        InputError: If the variable is not set.
    """
    if variable is None:
        return None
    value = os.environ.get(variable)
    if value is None:
        raise InputError(
            f"environment variable {variable} is not set: export it with the password"
        )
    return value

"""A read-only SPARQL 1.1 Protocol endpoint over a graph folder (``geokg serve``).

Routes:

- ``/sparql`` and ``/query``: a query by GET (``?query=``), by URL-encoded POST, or by
  POST of ``application/sparql-query``; the result format follows ``Accept``.
- ``/store?default`` and ``/store?graph=FILE``: the Graph Store Protocol for reading,
  the whole graph or one of its files (named by its path in the folder).
- ``/queries/NAME?param=value``: a named query of ``queries/``.
- ``/``: a page to type a query or pick a named one; ``/view``: the network page.

Built on the standard library's threading HTTP server: the endpoint is for loopback and
small teams, a handful of routes with no sessions, and a web framework would add a
dependency without removing code. A query runs in a worker thread; past the timeout the
client gets an error (HTTP 503) at once. Requests larger than the body limit get 413,
updates 403 (the endpoint is read-only), and ``SERVICE`` (a query that would make the
server call other hosts) 403 unless allowed.
"""

from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from geokg import __version__
from geokg.errors import GeokgError, InputError, NotFoundError

#: Media types of the result formats of :mod:`geokg.results`.
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "md": "text/markdown",
    "table": "text/plain",
    "text": "text/plain",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "trig": "application/trig",
}
_BY_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/markdown": "md",
    "text/plain": "text",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/trig": "trig",
}


@dataclass
class ServeConfig:
    """How the endpoint runs.

    Attributes:
        folder: The graph folder.
        engine: "oxigraph" or "rdflib".
        timeout: Seconds a query may run before the client gets HTTP 503.
        max_rows: Rows a SELECT returns at most (the response says when it cut).
        max_body: Bytes a request body may have (HTTP 413 beyond).
        allow_service: Let queries call other endpoints with SERVICE.
        workers: Queries that run at once; more wait their turn.
    """

    folder: Path
    engine: str = "oxigraph"
    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 1_000_000
    allow_service: bool = False
    workers: int = 4
    token: str | None = None
    author: str = "geokg serve"

    @property
    def writable(self) -> bool:
        """Whether /update and Graph Store writes are on (they need the token)."""
        return self.token is not None


class HTTPError(Exception):
    """A request the endpoint answers with an error status and a one-line message."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def calls_service(query: str) -> bool:
    """Whether a SPARQL query uses SERVICE (outside strings, IRIs and comments)."""
    from geokg.queries import uses_keyword

    return uses_keyword(query, "SERVICE")


def negotiate(accept: str | None, kind: str, asked: str | None = None) -> str:
    """The result format for a query form, from ``?format=`` or the Accept header
    (highest q first, then order); the form's standard format when nothing fits.

    Raises:
        HTTPError: 406 if Accept lists only formats the form cannot be written in.
    """
    from geokg.results import formats_for

    allowed = formats_for(kind)
    standard = "json" if kind in ("SELECT", "ASK") else "turtle"
    if asked:
        fmt = _BY_MEDIA.get(asked, asked)
        if fmt not in allowed:
            raise HTTPError(
                HTTPStatus.NOT_ACCEPTABLE,
                f"format {asked!r} does not fit a {kind} query: use one of {', '.join(allowed)}",
            )
        return fmt
    if not accept:
        return standard
    ranked = []
    for index, part in enumerate(accept.split(",")):
        media, *options = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, index, media.lower()))
    for quality, _, media in sorted(ranked):
        if quality == 0:
            continue
        if media in ("*/*", "application/*", "text/*"):
            return standard
        found = _BY_MEDIA.get(media)
        if found == "text" and kind == "SELECT":
            found = "table"
        if found is not None and found in allowed:
            return found
    raise HTTPError(
        HTTPStatus.NOT_ACCEPTABLE,
        "none of the media types in Accept fits a "
        f"{kind} query: use one of {', '.join(MEDIA_TYPES[f] for f in allowed)}",
    )


class Endpoint:
    """The graph an endpoint serves: an engine, reloaded when the folder changes."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._engine: Any = None
        self._stamp: tuple[Any, ...] | None = None
        self._slots = threading.BoundedSemaphore(config.workers)

    def engine(self) -> Any:
        """The engine over the folder as it is now."""
        from geokg.engine import open_engine
        from geokg.store import source_files

        files = source_files(self.config.folder)
        stamp = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
        with self._lock:
            if self._engine is None or stamp != self._stamp:
                old = self._engine
                self._engine = open_engine(self.config.folder, self.config.engine)
                self._stamp = stamp
                if old is not None and hasattr(old, "close"):
                    old.close()
            return self._engine

    def run(self, spec: Any, params: dict[str, str]) -> Any:
        """Run a query in a worker thread; HTTP 503 past the timeout."""
        from geokg.queries import QueryTimeout, run_query

        if not self.config.allow_service and calls_service(spec.text):
            raise HTTPError(
                HTTPStatus.FORBIDDEN,
                "SERVICE (a call to another endpoint) is not allowed here: start the "
                "server with --allow-service to permit it",
            )
        engine = self.engine()
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["result"] = run_query(
                    engine,
                    spec,
                    params,
                    limit=self.config.max_rows,
                    timeout=self.config.timeout,  # the worker stops at its deadline
                )
            except BaseException as err:  # handed to the request's thread
                # Without its traceback: its frames hold the engine's result iterator,
                # which Oxigraph allows to be freed only in the thread that made it.
                err.__context__ = err.__cause__ = None
                outcome["error"] = err.with_traceback(None)

        # A daemon thread: a query stuck inside the engine (a sort, an aggregate) must
        # not keep the server from answering, nor the process from exiting.
        with self._slots:
            worker = threading.Thread(target=work, name="query", daemon=True)
            worker.start()
            worker.join(self.config.timeout)
        if worker.is_alive() or isinstance(outcome.get("error"), QueryTimeout):
            raise HTTPError(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"the query ran longer than {self.config.timeout:g} s: narrow it, "
                "or start the server with a larger --timeout",
            )
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]


class Handler(BaseHTTPRequestHandler):
    """One request: route it, answer with a result or a one-line error."""

    server_version = f"geokg/{__version__}"
    endpoint: Endpoint  # set on the subclass that make_server builds

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def do_PUT(self) -> None:
        self._answer("PUT")

    def do_DELETE(self) -> None:
        self._answer("DELETE")

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests and the terminal need no access log."""

    def _answer(self, method: str) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        try:
            status, media, body = self._route(method, url.path, query)
        except HTTPError as err:
            status, media, body = err.status, "text/plain", err.message + "\n"
        except NotFoundError as err:
            status, media, body = HTTPStatus.NOT_FOUND, "text/plain", f"{err}\n"
        except (InputError, GeokgError) as err:
            status, media, body = HTTPStatus.BAD_REQUEST, "text/plain", f"{err}\n"
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{media}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(data)

    def _route(
        self, method: str, path: str, query: dict[str, list[str]]
    ) -> tuple[HTTPStatus, str, str]:
        if path in ("/sparql", "/query"):
            return self._sparql(method, query)
        if path == "/update" or (
            path == "/store" and method in ("PUT", "POST", "DELETE")
        ):
            body = self._body()  # read (and size-check) it first
            if self.endpoint.config.writable:
                return self._write(method, path, query, body)
            raise HTTPError(
                HTTPStatus.FORBIDDEN,
                "this endpoint is read-only: change the graph with geokg add/remove, "
                "which validate before they write",
            )
        if method != "GET":
            raise HTTPError(
                HTTPStatus.METHOD_NOT_ALLOWED, f"{method} is not allowed on {path}"
            )
        if path == "/store":
            return self._store(query)
        if path.startswith("/queries/"):
            return self._named(path.removeprefix("/queries/"), query)
        if path == "/":
            return HTTPStatus.OK, "text/html", home_page()
        if path == "/view":
            return HTTPStatus.OK, "text/html", self._view()
        raise HTTPError(
            HTTPStatus.NOT_FOUND,
            f"no such page {path}: try /, /sparql, /queries/NAME, /store or /view",
        )

    def _write(
        self, method: str, path: str, query: dict[str, list[str]], body: bytes
    ) -> tuple[HTTPStatus, str, str]:
        """An update or a Graph Store write, for a client that shows the token."""
        import hmac

        from geokg.edits import EditInfo, apply_update
        from geokg.errors import ValidationError

        token = self.endpoint.config.token or ""
        given = (
            (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        )
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPError(
                HTTPStatus.UNAUTHORIZED,
                "writes need the server's token: send Authorization: Bearer <token>",
            )
        info = EditInfo(self.endpoint.config.author, f"{method} {path}")
        try:
            if path == "/update":
                text = self._update_text(body)
                outcome = apply_update(self.endpoint.config.folder, text, info)
            else:
                outcome = self._store_write(method, query, body, info)
        except ValidationError as err:
            raise HTTPError(HTTPStatus.UNPROCESSABLE_ENTITY, str(err)) from err
        return HTTPStatus.OK, "text/plain", outcome.message + "\n"

    def _update_text(self, body: bytes) -> str:
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        text = body.decode("utf-8", errors="replace")
        if media == "application/sparql-update":
            return text
        if media == "application/x-www-form-urlencoded":
            found = _one(parse_qs(text, keep_blank_values=True), "update")
            if found:
                return found
        raise HTTPError(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "send the update as application/sparql-update or as a form field update=",
        )

    def _store_write(
        self, method: str, query: dict[str, list[str]], body: bytes, info: Any
    ) -> Any:
        """PUT ?graph=NAME: the body (Turtle or N-Triples) replaces imports/NAME.ttl."""
        import tempfile

        from geokg.edits import import_file

        name = _one(query, "graph")
        if method != "PUT" or not name or not re.fullmatch(r"[A-Za-z0-9][\w.-]*", name):
            raise HTTPError(
                HTTPStatus.METHOD_NOT_ALLOWED,
                "write a graph with PUT /store?graph=NAME (NAME: letters, digits, . _ -); "
                "remove facts with geokg remove",
            )
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        suffix = {"text/turtle": ".ttl", "application/n-triples": ".nt"}.get(media)
        if suffix is None:
            raise HTTPError(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "send the graph as text/turtle or application/n-triples",
            )
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / f"{Path(name).stem}{suffix}"
            source.write_bytes(body)
            return import_file(self.endpoint.config.folder, source, info, replace=True)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > self.endpoint.config.max_body:
            raise HTTPError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the request body has {length} bytes, over the limit of "
                f"{self.endpoint.config.max_body}: send a smaller query",
            )
        return self.rfile.read(length) if length else b""

    def _sparql(
        self, method: str, query: dict[str, list[str]]
    ) -> tuple[HTTPStatus, str, str]:
        from geokg.queries import spec_from_text

        text = None
        if method == "GET":
            text = _one(query, "query")
        elif method == "POST":
            media = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            body = self._body().decode("utf-8", errors="replace")
            if media == "application/sparql-query":
                text = body
            elif media == "application/x-www-form-urlencoded":
                form = parse_qs(body, keep_blank_values=True)
                if "update" in form:
                    raise HTTPError(
                        HTTPStatus.FORBIDDEN,
                        "this endpoint is read-only: updates are refused",
                    )
                text = _one(form, "query")
            else:
                raise HTTPError(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    "send the query as application/sparql-query or as a "
                    "form field query= (application/x-www-form-urlencoded)",
                )
        else:
            raise HTTPError(
                HTTPStatus.METHOD_NOT_ALLOWED,
                f"{method} is not allowed on a query endpoint: use GET or POST",
            )
        if not text:
            raise HTTPError(
                HTTPStatus.BAD_REQUEST,
                "no query: pass query=... (GET or form POST) or POST application/sparql-query",
            )
        spec = spec_from_text(text, "request")
        return self._result(self.endpoint.run(spec, {}), _one(query, "format"))

    def _named(
        self, name: str, query: dict[str, list[str]]
    ) -> tuple[HTTPStatus, str, str]:
        from geokg.queries import load_query

        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
            raise HTTPError(HTTPStatus.NOT_FOUND, f"no named query {name!r}")
        spec = load_query(name)
        params = {k: v[-1] for k, v in query.items() if k != "format"}
        return self._result(self.endpoint.run(spec, params), _one(query, "format"))

    def _result(self, result: Any, asked: str | None) -> tuple[HTTPStatus, str, str]:
        from geokg.results import format_result

        fmt = negotiate(self.headers.get("Accept"), result.kind, asked)
        return HTTPStatus.OK, MEDIA_TYPES[fmt], format_result(result, fmt)

    def _store(self, query: dict[str, list[str]]) -> tuple[HTTPStatus, str, str]:
        from geokg.formats import serialize_rdf
        from geokg.store import load_graph, read_file, source_files

        folder = self.endpoint.config.folder
        fmt = negotiate(self.headers.get("Accept"), "CONSTRUCT", _one(query, "format"))
        if "default" in query:
            graph = load_graph(folder)
        elif "graph" in query:
            wanted = _one(query, "graph") or ""
            files = {p.relative_to(folder).as_posix(): p for p in source_files(folder)}
            files.update({p.resolve().as_uri(): p for p in files.values()})
            if wanted not in files:
                names = ", ".join(sorted(k for k in files if not k.startswith("file:")))
                raise HTTPError(
                    HTTPStatus.NOT_FOUND,
                    f"no graph {wanted!r}: the graphs are the files {names}",
                )
            graph = read_file(files[wanted])
        else:
            raise HTTPError(
                HTTPStatus.BAD_REQUEST,
                "give ?default or ?graph=FILE (Graph Store Protocol)",
            )
        return HTTPStatus.OK, MEDIA_TYPES[fmt], serialize_rdf(graph, fmt)

    def _view(self) -> str:
        from geokg.network import to_networkx
        from geokg.view import render_html, select_network

        net = to_networkx(self.endpoint.engine())
        net, _, summary = select_network(net)
        return render_html(net, summary=summary)


def _one(values: dict[str, list[str]], name: str) -> str | None:
    found = values.get(name)
    return found[-1] if found else None


def home_page() -> str:
    """The page at ``/``: a query box, and the named queries as links."""
    from geokg.queries import list_queries

    items = "\n".join(
        f'<li><a href="/queries/{html.escape(s.name)}?format=table">{html.escape(s.name)}</a>'
        f" — {html.escape(s.summary)}</li>"
        for s in list_queries()
    )
    example = html.escape("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>geokg SPARQL endpoint</title>
<style>body{{font:15px system-ui,sans-serif;margin:2em;max-width:60em}}
textarea{{width:100%;height:10em;font-family:monospace}}</style></head>
<body><h1>geokg SPARQL endpoint</h1>
<form method="get" action="/sparql">
<textarea name="query">{example}</textarea>
<p><label>Format <select name="format"><option>table</option><option>json</option>
<option>xml</option><option>csv</option><option>tsv</option><option>md</option>
</select></label> <button type="submit">Run</button></p></form>
<h2>Named queries</h2><ul>{items}</ul>
<p><a href="/view">The network view</a></p></body></html>
"""


def make_server(
    config: ServeConfig, host: str = "127.0.0.1", port: int = 7878
) -> ThreadingHTTPServer:
    """An HTTP server (not yet serving) for the endpoint; port 0 picks a free one."""
    endpoint = Endpoint(config)
    handler = type("BoundHandler", (Handler,), {"endpoint": endpoint})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server

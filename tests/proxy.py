"""An HTTP proxy for the tests, in front of a real server: it can cut a load half-way
(drop the connection on the n-th POST without forwarding it) or stand for a store that
asks for HTTP Basic auth, as Fuseki and GraphDB do."""

from __future__ import annotations

import base64
import contextlib
import http.client
import http.server
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass
class ProxyRules:
    """What the proxy does besides forwarding."""

    upstream: str
    """The server's URL; requests go to its path, or to the path they came with."""
    drop_post: int | None = None
    """Drop the connection on this POST (1 = the first), without forwarding it."""
    basic: tuple[str, str] | None = None
    """Ask for HTTP Basic auth with this user and password; 401 otherwise."""


class Proxy(http.server.ThreadingHTTPServer):
    """A forwarding proxy on loopback following ``ProxyRules``."""

    def __init__(self, rules: ProxyRules) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.rules = rules
        self.posts = 0
        self.seen_authorization: list[str] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        """The proxy's base URL."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Proxy

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _refused(self) -> bool:
        rules = self.server.rules
        if rules.basic is None:
            return False
        given = self.headers.get("Authorization", "")
        with self.server.lock:
            self.server.seen_authorization.append(given)
        expected = "Basic " + base64.b64encode(":".join(rules.basic).encode()).decode()
        if given == expected:
            return False
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="geokg tests"')
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length) if length else None
        if self._refused():
            return
        if self.command == "POST":
            with self.server.lock:
                self.server.posts += 1
                cut = self.server.posts == self.server.rules.drop_post
            if cut:
                self.close_connection = True
                return
        upstream = urllib.parse.urlsplit(self.server.rules.upstream)
        query = urllib.parse.urlsplit(self.path).query
        target = (upstream.path or "/") + (f"?{query}" if query else "")
        connection = http.client.HTTPConnection(upstream.netloc, timeout=60)
        skip = {"host", "authorization"} if self.server.rules.basic else {"host"}
        headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
        try:
            connection.request(self.command, target, body=body, headers=headers)
            reply = connection.getresponse()
            data = reply.read()
        finally:
            connection.close()
        self.send_response(reply.status, reply.reason)
        hop = {"transfer-encoding", "connection", "content-length"}
        for key, value in reply.getheaders():
            if key.lower() not in hop:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_HEAD = do_PUT = do_POST = _forward


@contextlib.contextmanager
def running_proxy(rules: ProxyRules) -> Iterator[Proxy]:
    """Serve a proxy in a thread; stop it on exit."""
    proxy = Proxy(rules)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()

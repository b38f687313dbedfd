"""Real loopback servers for tests: HTTP(S) sites, dead ports, silent peers, a DNS server
and an SMTP server.

Every server binds port 0 so tests can run in parallel, serves from a daemon thread and
is shut down (listening socket, open connections and handler threads) when its
context manager exits. Nothing here touches the network beyond loopback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import errno
import hashlib
import ipaddress
import itertools
import os
import shutil
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal

from dnslib import QTYPE, RCODE, RR, DNSRecord
from dnslib.server import BaseResolver, DNSError, DNSHandler, DNSLogger, DNSServer

SOFT_NOT_FOUND_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>页面不存在</title></head>"
    "<body><h1>您访问的页面不存在</h1><p>请返回首页。</p></body></html>"
)
HARD_NOT_FOUND_PAGE = "<html><body><h1>404 Not Found</h1></body></html>"


def page(title: str, body: str = "", head: str = "") -> str:
    """A small UTF-8 HTML page, for routes."""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{head}"
        f"</head><body>{body}</body></html>"
    )


NotFound = Literal["hard", "soft"] | Any  # or a Route, or path → Route: what unknown paths answer


# --------------------------------------------------------------------------- addresses


def free_port() -> int:
    """A loopback port that is free right now (for a server that must keep its port)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Endpoint:
    """Where a test server listens; ``url`` is the base URL a client should use."""

    host: str
    port: int
    scheme: str = "http"

    @property
    def address(self) -> str:
        """``host:port`` with IPv6 hosts bracketed, as in a URL's netloc."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.address}/"

    def url_for(self, path: str) -> str:
        """Absolute URL of ``path`` on this server (leading slash optional)."""
        return self.url + path.lstrip("/")


@dataclass
class Site(Endpoint):
    """A running HTTP(S) site; ``hits`` counts requests per ``(method, path)``."""

    hits: Counter[tuple[str, str]] = field(default_factory=Counter)
    hits_lock: threading.Lock = field(default_factory=threading.Lock)
    cert_path: Path | None = None  # PEM certificate of a TLS site, usable as a CA file
    server: Any = None  # the running server, for its ``max_active`` and ``answers``

    def count(self, method: str, path: str) -> int:
        """Requests seen so far for ``method`` and ``path``, read under the lock."""
        with self.hits_lock:
            return self.hits[(method.upper(), path)]

    def answered(self, status: int, path: str | None = None) -> int:
        """GET requests answered with ``status`` so far, for ``path`` or for every path."""
        with self.hits_lock:
            answers = self.server.answers
            return sum(n for (p, s), n in answers.items() if s == status and path in (None, p))


@dataclass
class DnsEndpoint(Endpoint):
    """A running DNS server; ``queries`` counts questions per ``(name, type)``."""

    scheme: str = "dns"
    queries: Counter[tuple[str, str]] = field(default_factory=Counter)
    queries_lock: threading.Lock = field(default_factory=threading.Lock)


# --------------------------------------------------------------------------- routes


@dataclass
class Route:
    """What one path answers; a ``str`` body is sent UTF-8 encoded, ``bytes`` untouched."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    head_status: int | None = None  # answer HEAD with this status (e.g. 405) instead
    location: str | None = None  # Location header, for redirects
    delay: float = 0.0  # seconds to wait before answering
    # what the next request for the path gets (e.g. 429, then 200), and so on down the chain;
    # the last route answers every later request
    then: Route | None = None
    repeat: int = 1  # the body is sent this many times (a 50 MB page from a line); 0: forever
    chunked: bool = False  # Transfer-Encoding: chunked, without Content-Length (so is repeat=0)
    drip: float = 0.0  # seconds between two repeats of the body: a body that trickles in
    reset: bool = False  # cut the connection with a TCP reset instead of answering

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body

    @property
    def streamed(self) -> bool:
        return self.chunked or self.repeat == 0


RouteSpec = Route | str | bytes


def _as_route(spec: RouteSpec) -> Route:
    """Let tests write a bare body for a plain 200 page."""
    return spec if isinstance(spec, Route) else Route(body=spec)


def _fallback_route(not_found: NotFound) -> Callable[[str], Route]:
    """What unknown paths answer: a real 404, a 200 'soft 404' page, a given Route, or the
    Route a function makes of the path (a calendar that links to its next month forever)."""
    if callable(not_found):
        return not_found
    if isinstance(not_found, Route):
        return lambda _path: not_found
    if not_found == "hard":
        return lambda _path: Route(status=404, body=HARD_NOT_FOUND_PAGE)
    if not_found == "soft":
        return lambda _path: Route(status=200, body=SOFT_NOT_FOUND_PAGE)
    raise ValueError(f"not_found must be 'hard' or 'soft', not {not_found!r}")


def _response_headers(route: Route, status: int, length: int) -> dict[str, str]:
    """Default headers first, then the route's own, which win case-insensitively."""
    headers: dict[str, str] = {}
    if route.content_type and status == route.status:
        headers["Content-Type"] = route.content_type
    if route.streamed and status == route.status:
        headers["Transfer-Encoding"] = "chunked"
    elif status not in (204, 304):
        headers["Content-Length"] = str(length)
    if route.location and status == route.status:
        headers["Location"] = route.location
    overrides = {name.lower() for name in route.headers}
    headers = {k: v for k, v in headers.items() if k.lower() not in overrides}
    return headers | route.headers


# --------------------------------------------------------------------------- shared plumbing


def _is_disconnect(exc: BaseException | None) -> bool:
    """Errors from a client hanging up or a connection cut at shutdown: not worth a traceback."""
    if isinstance(exc, ConnectionError | TimeoutError | ssl.SSLError):
        return True
    return isinstance(exc, OSError) and exc.errno in (errno.EBADF, errno.ENOTCONN)


class _TrackedConnections:
    """Mixin for threaded TCP servers: remember open connections so exit can cut them.

    ``ThreadingMixIn.server_close`` joins every handler thread, so a keep-alive client
    left open by a test would hang teardown; shutting the sockets down unblocks them.
    Sockets are added in the serving thread, so after ``shutdown()`` the set is complete.
    """

    def init_tracking(self) -> None:
        self.stopping = threading.Event()
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        self.track(request)
        super().process_request(request, client_address)  # type: ignore[misc]

    def shutdown_request(self, request: Any) -> None:
        self.untrack(request)
        super().shutdown_request(request)  # type: ignore[misc]

    def track(self, sock: socket.socket) -> bool:
        """Add ``sock``; False once the server is stopping (caller should give up)."""
        with self._conns_lock:
            if self.stopping.is_set():
                return False
            self._conns.add(sock)
            return True

    def untrack(self, sock: socket.socket) -> None:
        with self._conns_lock:
            self._conns.discard(sock)

    def cut_connections(self) -> None:
        """Wake every handler: set the stop event and shut down each open socket."""
        with self._conns_lock:
            self.stopping.set()
            conns = list(self._conns)
        for sock in conns:
            with contextlib.suppress(OSError):
                # Unbound call: for an SSLSocket this cuts the TCP stream, not a TLS close.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not _is_disconnect(sys.exc_info()[1]):
            super().handle_error(request, client_address)  # type: ignore[misc]


@contextlib.contextmanager
def _serving(server: socketserver.BaseServer, stop: Callable[[], None]) -> Iterator[None]:
    """Run ``serve_forever`` in a daemon thread; on exit stop it, run ``stop``, close, join."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        stop()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- HTTP(S) sites


class _SiteHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the server's route table, HTTP/1.1 with keep-alive."""

    protocol_version = "HTTP/1.1"
    server: _SiteServer

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, head: bool) -> None:
        earlier = self.server.record_hit(self.command, self.path)
        route = self.server.routes.get(self.path) or self.server.fallback(self.path)
        while route.then and earlier:
            route, earlier = route.then, earlier - 1
        with self.server.in_flight():
            if route.delay and self.server.stopping.wait(route.delay):
                return  # server is going down; the connection is being cut anyway
            if route.reset:
                self._reset()
                return
            self._send(route, head)

    def _reset(self) -> None:
        """Close with RST (linger 0), the way a crashing server or a firewall cuts a client."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        os.close(self.connection.detach())  # now, whatever rfile and wfile still hold

    def _send(self, route: Route, head: bool) -> None:
        status = route.head_status if head and route.head_status else route.status
        body = route.payload() if status == route.status else b""
        headers = self.server.validators(route, status, body)
        if headers and self._unchanged(headers):
            status, body = 304, b""
        if not head:
            self.server.record_answer(self.path, status)
        self.send_response(status)
        length = len(body) * max(route.repeat, 1)
        for name, value in (_response_headers(route, status, length) | headers).items():
            self.send_header(name, value)
        self.end_headers()
        if not head and status not in (204, 304):
            self._write_body(route, body, chunked=route.streamed and status == route.status)

    def _unchanged(self, validators: dict[str, str]) -> bool:
        """A conditional request whose validators still match (RFC 9110: If-None-Match first)."""
        if tags := self.headers.get("If-None-Match"):
            return validators["ETag"] in (tag.strip() for tag in tags.split(","))
        return self.headers.get("If-Modified-Since") == validators["Last-Modified"]

    def _write_body(self, route: Route, body: bytes, chunked: bool) -> None:
        """The body, ``route.repeat`` times (forever for 0), ``route.drip`` seconds apart,
        until done, the client hangs up or the server stops."""
        times = itertools.repeat(body, route.repeat) if route.repeat else itertools.repeat(body)
        for number, part in enumerate(times):
            if number and route.drip and self.server.stopping.wait(route.drip):
                return
            if self.server.stopping.is_set():
                return
            self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n" if chunked else part)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean: no access log on stderr."""


class _SiteServer(_TrackedConnections, ThreadingHTTPServer):
    """Threaded HTTP server holding routes and hit counts for one test site."""

    daemon_threads = True

    def __init__(
        self,
        host: str,
        routes: Mapping[str, Route],
        fallback: Callable[[str], Route],
        port: int = 0,
        conditional: bool = False,
    ) -> None:
        self.init_tracking()
        self.routes = dict(routes)
        self.fallback = fallback
        self.conditional = conditional
        self.answers: Counter[tuple[str, int]] = Counter()  # GETs by path and status answered
        self.hits: Counter[tuple[str, str]] = Counter()
        self.hits_lock = threading.Lock()
        self.active = 0
        self.max_active = 0  # the most requests answered at once, for concurrency limits
        self.spans: list[tuple[float, float]] = []  # when each request began and ended
        super().__init__((host, port), _SiteHandler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's getfqdn(), which may do a reverse DNS lookup."""
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    def record_hit(self, method: str, path: str) -> int:
        """Count a request; returns how many requests for the path came before it."""
        with self.hits_lock:
            earlier = sum(n for (_, p), n in self.hits.items() if p == path)
            self.hits[(method, path)] += 1
            return earlier

    def record_answer(self, path: str, status: int) -> None:
        with self.hits_lock:
            self.answers[(path, status)] += 1

    def validators(self, route: Route, status: int, body: bytes) -> dict[str, str]:
        """The ETag and Last-Modified a static file server sends with a 200, when this site
        answers conditional requests: the ETag changes with the body."""
        if not self.conditional or status != 200 or route.streamed:
            return {}
        tag = hashlib.sha256(body).hexdigest()[:16]
        return {"ETag": f'"{tag}"', "Last-Modified": "Tue, 01 Dec 2026 08:00:00 GMT"}

    @contextlib.contextmanager
    def in_flight(self) -> Iterator[None]:
        began = time.monotonic()
        with self.hits_lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            yield
        finally:
            with self.hits_lock:
                self.active -= 1
                self.spans.append((began, time.monotonic()))


class _SiteServerV6(_SiteServer):
    address_family = socket.AF_INET6


class _TlsSiteServer(_SiteServer):
    """HTTPS variant: the TLS handshake runs in the handler thread, never in the accept loop."""

    ssl_context: ssl.SSLContext

    def finish_request(self, request: Any, client_address: Any) -> None:
        tls = self.ssl_context.wrap_socket(request, server_side=True, do_handshake_on_connect=False)
        try:
            self.untrack(request)  # wrap_socket detached it; track the TLS socket instead
            if not self.track(tls):
                return
            try:
                tls.do_handshake()
            except OSError:
                return  # e.g. the client refused our self-signed certificate
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            self.untrack(tls)
            tls.close()


class _TlsSiteServerV6(_TlsSiteServer):
    address_family = socket.AF_INET6


def _site_server_class(host: str, tls: bool) -> type[_SiteServer]:
    ipv6 = ipaddress.ip_address(host).version == 6
    if tls:
        return _TlsSiteServerV6 if ipv6 else _TlsSiteServer
    return _SiteServerV6 if ipv6 else _SiteServer


@contextlib.contextmanager
def _run_site(
    routes: Mapping[str, RouteSpec] | None,
    host: str,
    not_found: NotFound,
    tls_context: ssl.SSLContext | None = None,
    port: int = 0,
    conditional: bool = False,
) -> Iterator[Site]:
    """Start a site server and yield its :class:`Site` view (shares the live hit counter)."""
    table = {path: _as_route(spec) for path, spec in (routes or {}).items()}
    server = _site_server_class(host, tls_context is not None)(
        host, table, _fallback_route(not_found), port, conditional
    )
    if tls_context is not None:
        server.ssl_context = tls_context
    site = Site(
        host=host,
        port=int(server.server_address[1]),
        scheme="https" if tls_context else "http",
        hits=server.hits,
        hits_lock=server.hits_lock,
        server=server,
    )
    with _serving(server, server.cut_connections):
        yield site


@contextlib.contextmanager
def http_site(
    routes: Mapping[str, RouteSpec] | None = None,
    host: str = "127.0.0.1",
    not_found: NotFound = "hard",
    port: int = 0,
    conditional: bool = False,
) -> Iterator[Site]:
    """Serve ``routes`` (path with query string → Route, or a bare body) over HTTP/1.1.

    Unknown paths get a 404, or with ``not_found="soft"`` a 200 Chinese not-found page.
    ``host="::1"`` binds IPv6 loopback; ``port`` a given port (default: a free one).
    ``conditional=True`` sends validators with every 200 and answers a conditional request
    for an unchanged body 304 Not Modified, as nginx serves static files.
    """
    with _run_site(routes, host, not_found, port=port, conditional=conditional) as site:
        yield site


def linked_pages(name: str, count: int, delay: float) -> dict[str, Route]:
    """A homepage linking ``count`` articles that each take ``delay`` seconds to answer: a
    slow government server."""
    links = "".join(f"<a href='/p{n}.html'>文章{n}</a>" for n in range(count))
    found = {"/": Route(body=page(name, links))}
    for n in range(count):
        found[f"/p{n}.html"] = Route(body=page(f"{name}文章{n}", "正文"), delay=delay)
    return found


def most_at_once(spans: list[tuple[float, float]]) -> int:
    """The most requests in flight at one moment."""
    edges = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    level = peak = 0
    for _, step in edges:
        level += step
        peak = max(peak, level)
    return peak


def inventory_of(sites: Mapping[str, Site]) -> tuple[str, list[str]]:
    """An inventory of the running sites, each named ``<key>.gov.test``, and the ``--resolve``
    flags that lead those names to the sites' addresses."""
    entries = "".join(
        f"  - {{id: {name}, name: {name}县, url: 'http://{name}.gov.test:{site.port}/', "
        f"unit: {name}县人民政府}}\n"
        for name, site in sites.items()
    )
    resolve = [f"--resolve={name}.gov.test:{site.host}" for name, site in sites.items()]
    return f"sites:\n{entries}", resolve


@contextlib.contextmanager
def dual_stack_site(
    ipv4_routes: Mapping[str, RouteSpec], ipv6_routes: Mapping[str, RouteSpec] | None
) -> Iterator[tuple[Site, Site | None]]:
    """One port on 127.0.0.1 and on [::1], each with its own routes, the way a site's IPv4
    and IPv6 fronts are separate servers; ``ipv6_routes=None`` leaves [::1] refusing."""
    for _ in range(20):
        with contextlib.ExitStack() as stack:
            ipv4 = stack.enter_context(http_site(ipv4_routes))
            ipv6 = None
            if ipv6_routes is not None:
                try:
                    ipv6 = stack.enter_context(http_site(ipv6_routes, host="::1", port=ipv4.port))
                except OSError:  # the port is taken on [::1]: try another
                    continue
            yield ipv4, ipv6
            return
    raise OSError("no port free on both 127.0.0.1 and [::1]")


@contextlib.contextmanager
def redirect_loop_site(extra: Mapping[str, RouteSpec] | None = None) -> Iterator[Site]:
    """``/loop/a`` → 302 ``/loop/b`` → 302 ``/loop/a`` forever, plus a plain ``/ok``."""
    routes: dict[str, RouteSpec] = {
        "/loop/a": Route(status=302, location="/loop/b"),
        "/loop/b": Route(status=302, location="/loop/a"),
        "/ok": Route(body="ok"),
    }
    with http_site(routes | dict(extra or {})) as site:
        yield site


def _self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """Write a fresh EC key and self-signed cert for 127.0.0.1, ::1 and localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    san = x509.SubjectAlternativeName(
        [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            x509.IPAddress(ipaddress.ip_address("::1")),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(san, critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@contextlib.contextmanager
def tls_site(
    routes: Mapping[str, RouteSpec] | None = None,
    host: str = "127.0.0.1",
    not_found: NotFound = "hard",
    newest: ssl.TLSVersion | None = None,
) -> Iterator[Site]:
    """Like :func:`http_site` over HTTPS with a throwaway self-signed certificate, speaking
    protocols up to ``newest`` (an old server's TLSv1_1) when given.

    A verifying client must fail; ``site.cert_path`` can be given as a CA file to pass.
    """
    with tempfile.TemporaryDirectory(prefix="govscan-tls-") as tmp:
        cert_path, key_path = _self_signed_cert(Path(tmp))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        if newest is not None:
            with warnings.catch_warnings():  # TLS 1.0 and 1.1 are deprecated: the point here
                warnings.simplefilter("ignore", DeprecationWarning)
                context.minimum_version = ssl.TLSVersion.TLSv1
                context.maximum_version = newest
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
        with _run_site(routes, host, not_found, tls_context=context) as site:
            site.cert_path = cert_path
            yield site


# --------------------------------------------------------------------------- dead and silent peers


@contextlib.contextmanager
def closed_port() -> Iterator[Endpoint]:
    """A loopback port where nothing listens, so connecting is refused.

    The port stays bound (never listening) until exit, so no other process can take
    it meanwhile; a bound, non-listening TCP socket still answers SYN with RST.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield Endpoint(host="127.0.0.1", port=sock.getsockname()[1])
    finally:
        sock.close()


class _SilentHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        """Say nothing; the server keeps the socket open."""


class _SilentServer(socketserver.TCPServer):
    """Accepts connections and holds them open without ever writing a byte."""

    def __init__(self) -> None:
        self.held: list[socket.socket] = []
        super().__init__(("127.0.0.1", 0), _SilentHandler)

    def shutdown_request(self, request: Any) -> None:
        self.held.append(request)  # keep it open instead of closing it

    def close_held(self) -> None:
        for sock in self.held:
            sock.close()


@contextlib.contextmanager
def silent_server() -> Iterator[Endpoint]:
    """A TCP peer that accepts and then stays silent, so clients hit their read timeout."""
    server = _SilentServer()
    with _serving(server, server.close_held):
        yield Endpoint(host="127.0.0.1", port=int(server.server_address[1]))


# --------------------------------------------------------------------------- DNS

Records = Mapping[str, Mapping[str, list[str] | str] | str]
SPECIALS = ("SERVFAIL", "TIMEOUT", "NXDOMAIN")
MAX_CNAME_HOPS = 8


def _norm(name: object) -> str:
    """Case-insensitive, trailing-dot-insensitive key for a DNS name."""
    return str(name).rstrip(".").lower()


def _special(name: str, answer: str) -> str:
    if answer not in SPECIALS:
        raise ValueError(f"{name}: special answer must be one of {SPECIALS}")
    return answer


def _normalise_records(records: Records) -> dict[str, dict[str, list[str] | str] | str]:
    """Check the table once, so a typo fails at start rather than as a puzzling answer."""
    table: dict[str, dict[str, list[str] | str] | str] = {}
    for name, entry in records.items():
        if isinstance(entry, str):
            table[_norm(name)] = _special(name, entry)
        else:
            table[_norm(name)] = {
                rtype.upper(): _special(name, values) if isinstance(values, str) else list(values)
                for rtype, values in entry.items()
            }
    return table


class _TableResolver(BaseResolver):
    """Authoritative answers from a fixed table; returns None to drop a query."""

    def __init__(self, records: Records, endpoint: DnsEndpoint, ttl: int = 60) -> None:
        self.table = _normalise_records(records)
        self.endpoint = endpoint
        self.ttl = ttl

    def resolve(self, request: DNSRecord, handler: Any) -> DNSRecord | None:
        name, qtype = _norm(request.q.qname), QTYPE[request.q.qtype]
        with self.endpoint.queries_lock:
            self.endpoint.queries[(name, qtype)] += 1
        entry = self.table.get(name)
        if isinstance(entry, dict) and isinstance(entry.get(qtype), str):
            entry = entry[qtype]  # a server that fails this type of question only (RFC 4074)
        if entry == "TIMEOUT":
            return None
        reply = request.reply()
        if entry is None or entry == "NXDOMAIN":
            reply.header.rcode = RCODE.NXDOMAIN
        elif entry == "SERVFAIL":
            reply.header.rcode = RCODE.SERVFAIL
        else:
            for rr in self._answers(name, qtype):
                reply.add_answer(rr)
        return reply

    def _answers(self, name: str, qtype: str) -> list[RR]:
        """Records of ``qtype`` for ``name``, following CNAMEs to listed targets."""
        answers: list[RR] = []
        for _ in range(MAX_CNAME_HOPS):
            entry = self.table.get(name)
            if not isinstance(entry, dict):
                break
            if qtype in entry or qtype == "ANY":
                asked = entry if qtype == "ANY" else [qtype]
                types = [t for t in asked if not isinstance(entry[t], str)]  # specials aside
                return answers + [self._rr(name, t, v) for t in types for v in entry[t]]
            if "CNAME" not in entry:
                break
            target = entry["CNAME"][0]
            answers.append(self._rr(name, "CNAME", target))
            name = _norm(target)
        return answers

    def _rr(self, name: str, rtype: str, value: str) -> RR:
        """One record from zone-file text (names in values are taken as absolute)."""
        return RR.fromZone(f"{name}. {self.ttl} IN {rtype} {value}")[0]


class _Dropped(DNSError):
    """Raised to make dnslib's handler send nothing."""


class _DnsHandler(DNSHandler):
    """dnslib's handler, plus 'no answer at all' when the resolver returns None."""

    def get_reply(self, data: bytes) -> bytes:
        reply = self.server.resolver.resolve(DNSRecord.parse(data), self)
        if reply is None:
            if self.protocol == "tcp":
                with contextlib.suppress(OSError):
                    self.request.recv(1)  # hold the connection until client or exit cuts it
            raise _Dropped("query dropped on purpose")
        return reply.pack()


class _DnsUdpServer(socketserver.ThreadingMixIn, socketserver.UDPServer):
    daemon_threads = True
    allow_reuse_address = False  # SO_REUSEADDR would let a UDP port be shared silently


class _DnsTcpServer(_TrackedConnections, socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, server_address: tuple[str, int], handler: type) -> None:
        self.init_tracking()
        super().__init__(server_address, handler)


def _bind_dns_pair(resolver: _TableResolver, attempts: int = 20) -> tuple[DNSServer, DNSServer]:
    """UDP and TCP DNS servers on one port: take a free UDP port, retry if TCP has it."""
    quiet = DNSLogger(logf=lambda _line: None)
    for _ in range(attempts):
        udp = DNSServer(
            resolver, "127.0.0.1", 0, logger=quiet, handler=_DnsHandler, server=_DnsUdpServer
        )
        port = udp.server.server_address[1]
        try:
            tcp = DNSServer(
                resolver,
                "127.0.0.1",
                port,
                tcp=True,
                logger=quiet,
                handler=_DnsHandler,
                server=_DnsTcpServer,
            )
        except OSError:
            udp.server.server_close()
            continue
        return udp, tcp
    raise OSError("no loopback port free for both UDP and TCP")


@contextlib.contextmanager
def dns_server(records: Records) -> Iterator[DnsEndpoint]:
    """Authoritative DNS on 127.0.0.1, UDP and TCP on one port, from a records table.

    ``records`` maps a name to ``{"A": [...], "AAAA": [...], "CNAME": [...], "NS": [...]}``
    (any type dnslib parses, values in zone-file syntax) or to ``"SERVFAIL"`` / ``"TIMEOUT"``
    / ``"NXDOMAIN"``; one type may get such an answer too (``{"A": [...], "AAAA": "SERVFAIL"}``).
    Unlisted names get NXDOMAIN, a listed name lacking the type gets NODATA.
    """
    endpoint = DnsEndpoint(host="127.0.0.1", port=0)
    udp, tcp = _bind_dns_pair(_TableResolver(records, endpoint))
    endpoint.port = int(udp.server.server_address[1])
    with (
        _serving(udp.server, lambda: None),
        _serving(tcp.server, tcp.server.cut_connections),
    ):
        yield endpoint


# --------------------------------------------------------------------------- PostgreSQL


class PostgresCluster:
    """A throwaway PostgreSQL cluster made by initdb, serving 127.0.0.1 on a free port.

    PostgreSQL refuses to run as root, so as root the cluster belongs to the ``postgres``
    system user that Debian's package creates (in a folder that user can reach).
    """

    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="govscan-pg-"))
        self.data = self.folder / "data"
        self.port = _free_tcp_port()
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.prefix:
            shutil.chown(self.folder, "postgres")

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(
            [*self.prefix, str(self.binaries / tool), *args], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stderr or done.stdout}")

    def __enter__(self) -> str:
        self._run("initdb", "-D", str(self.data), "-U", "govscan", "--auth=trust", "-E", "UTF8")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data}"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.folder / "server.log"),
            "start",
        )
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "govscan", "govscan")
        return f"postgresql+psycopg://govscan@127.0.0.1:{self.port}/govscan"

    def __exit__(self, *exc: object) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _free_tcp_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --------------------------------------------------------------------------- Redis


class RedisServer:
    """redis-server on a free loopback port, its queue kept on disk (append-only file) as a
    cluster's Redis should be, so that a stop and a start lose no task."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="govscan-redis-"))
        self.port = _free_tcp_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--dir", str(self.folder), "--appendonly", "yes", "--save", ""]
        with (self.folder / "redis.log").open("a") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"redis-server did not start: see {self.folder}/redis.log")
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Shut down as Redis does on SIGTERM: the append-only file is flushed first."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


# --------------------------------------------------------------------------- SMTP

SMTP_USER, SMTP_PASSWORD = "govscan", "s3cret-Pa55"


class Mailbox:
    """An aiosmtpd handler that keeps what it is sent."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(envelope.rcpt_tos)
        return "250 OK"


def _accept_login(server, session, envelope, mechanism, auth_data):
    from aiosmtpd.smtp import AuthResult

    ok = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@contextlib.contextmanager
def smtp_server(directory: Path) -> Iterator[tuple[Mailbox, int, str]]:
    """A real SMTP server on 127.0.0.1 that requires STARTTLS and a login: its mailbox, its
    port and the PEM file of its self-signed certificate (for the client to trust)."""
    from aiosmtpd.controller import Controller

    cert, key = _self_signed_cert(directory)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        authenticator=_accept_login,
        auth_required=True,
    )
    controller.start()
    try:
        yield mailbox, controller.port, str(cert)
    finally:
        controller.stop()

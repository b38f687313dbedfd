"""The demo world: the bundled sample portal, served on loopback with its own DNS server.

Everything the demo scan touches lives on this machine: an HTTP server that answers for
every host of the sample (by the Host header) and an authoritative DNS server that
resolves those hosts to 127.0.0.1 and nothing else.
"""

from __future__ import annotations

import mimetypes
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml
from dnslib import QTYPE, RCODE, RR, A
from dnslib.server import BaseResolver, DNSLogger, DNSServer

from govscan.store.inventory import BulletinSettings, ColumnEntry, Settings, SiteEntry

SITE_DIR = Path(__file__).with_name("site")
EXPECTED = Path(__file__).with_name("expected.yaml")
#: The sample office's bulletin, as an inventory's ``settings.bulletin`` sets it.
SETTINGS = Settings(
    bulletin=BulletinSettings(
        office="苍山州人民政府办公室",
        recipients="各县（市）人民政府，州直各委、办、局",
        number="苍政办函〔2026〕1号",
    )
)
PLACEHOLDER = re.compile(rb"__(PORT|DATE-(\d+)|DATECN-(\d+))__")


def fill_placeholders(body: bytes, port: int, today: date) -> bytes:
    """Put the port and dates relative to today into a served file, so the sample never ages."""
    try:
        body.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "gbk"  # the sample's one legacy page

    def replace(match: re.Match[bytes]) -> bytes:
        if match.group(1) == b"PORT":
            return str(port).encode()
        days = int(match.group(2) or match.group(3))
        day = today - timedelta(days=days)
        text = day.isoformat() if match.group(2) else f"{day.year}年{day.month}月{day.day}日"
        return text.encode(encoding)

    return PLACEHOLDER.sub(replace, body)


@dataclass
class DemoWorld:
    site: SiteEntry
    nameserver: str
    port: int
    expected: dict
    skip_hosts: list[str]  # real public hosts the sample links to, outside the demo world

    def wait(self) -> None:
        """Keep serving until Ctrl-C."""
        threading.Event().wait()


class DemoHandler(BaseHTTPRequestHandler):
    """Serves ``site/<host>/<path>`` by the Host header, with the behaviour vhosts.yaml sets."""

    server: DemoServer

    def do_HEAD(self) -> None:
        self.answer(send_body=False)

    def do_GET(self) -> None:
        self.answer(send_body=True)

    def answer(self, send_body: bool) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        status, body, kind = self.server.resolve(host, self.path.split("?", 1)[0])
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass


class DemoServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, vhosts: dict):
        super().__init__(("127.0.0.1", 0), DemoHandler)
        self.vhosts = vhosts

    def resolve(self, host: str, path: str) -> tuple[int, bytes, str]:
        """Status, body and content type for ``path`` on ``host``."""
        behaviour = self.vhosts.get(host)
        if behaviour is None:
            return 421, b"Misdirected Request", "text/plain"
        root = SITE_DIR / host
        file = (root / path.lstrip("/")).resolve()
        if path.endswith("/"):
            file = file / "index.html"
        status = (behaviour.get("status") or {}).get(path, 200)
        if not file.is_relative_to(root) or not file.is_file():
            file = root / "_404.html"
            status = 200 if behaviour.get("soft404") else 404
        body = fill_placeholders(file.read_bytes(), self.server_port, date.today())
        return status, body, mimetypes.guess_type(file.name)[0] or "application/octet-stream"


class DemoResolver(BaseResolver):
    """Answers A 127.0.0.1 for the demo's hosts and NXDOMAIN for every other name."""

    def __init__(self, hosts: set[str]):
        self.hosts = hosts

    def resolve(self, request, handler):
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        if name not in self.hosts:
            reply.header.rcode = RCODE.NXDOMAIN
        elif request.q.qtype == QTYPE.A:
            reply.add_answer(RR(request.q.qname, QTYPE.A, rdata=A("127.0.0.1"), ttl=60))
        return reply


@contextmanager
def serve_demo_world() -> Iterator[DemoWorld]:
    """Serve the sample portal and its DNS on loopback for as long as the block runs."""
    vhosts = yaml.safe_load((SITE_DIR / "vhosts.yaml").read_text(encoding="utf-8"))
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    http = DemoServer(vhosts)
    dns = DNSServer(
        DemoResolver(set(vhosts)),
        address="127.0.0.1",
        port=0,
        logger=DNSLogger(logf=lambda _line: None),
    )
    threading.Thread(target=http.serve_forever, daemon=True).start()
    dns.start_thread()
    port = http.server_port
    site = SiteEntry(
        id="csz-portal",
        name="苍山州人民政府门户网站",
        url=f"http://www.csz.gov.cn:{port}/",
        unit="苍山州人民政府办公室",
        level="prefecture",
        site_code="5329000001",
        hosts=["zwgk.csz.gov.cn"],
        columns=[
            ColumnEntry(name="在线访谈", url="/hdjl/zxft/", category="other"),
            ColumnEntry(name="苍山州利企惠民政策服务", category="policy"),
        ],
    )
    try:
        nameserver = f"127.0.0.1:{dns.server.server_address[1]}"
        yield DemoWorld(site, nameserver, port, expected, expected["skip_hosts"])
    finally:
        http.shutdown()
        http.server_close()
        dns.stop()

"""One HTTP request to a chosen address, with the right Host and SNI: the probes' fetch."""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from w3lib.encoding import html_to_unicode

MAX_BODY = 2 * 1024 * 1024
TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.IGNORECASE | re.DOTALL)


@dataclass
class Response:
    """What a probe saw: a status and the page, or the error that stopped it."""

    address: str
    status: int | None = None
    location: str | None = None  # absolute, for redirects
    title: str = ""
    text: str = ""
    elapsed_ms: int | None = None
    error: str | None = None
    error_kind: str | None = None  # dns | refused | timeout | tls | connection, as the crawl says

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400


def fetch(url: str, address: str, timeout: float, user_agent: str) -> Response:
    """GET ``url`` from ``address`` (IPv4 or IPv6), as a browser would ask the site's host."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    if https:
        connection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    # http.client connects through this hook (also for HTTPS, before it wraps the socket
    # with the host's SNI): pointing it at the address is how curl's --resolve works too.
    connection._create_connection = lambda _address, *args: socket.create_connection(
        (address, port), *args
    )
    started = time.monotonic()
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers={"User-Agent": user_agent})
        reply = connection.getresponse()
        body = reply.read(MAX_BODY)
    except (OSError, http.client.HTTPException) as error:
        message = f"{type(error).__name__}: {error}"[:300]
        return Response(address, error=message, error_kind=network_kind(error))
    finally:
        connection.close()
    _, text = html_to_unicode(reply.getheader("Content-Type"), body)
    title = TITLE.search(text)
    location = reply.getheader("Location")
    return Response(
        address,
        status=reply.status,
        location=urljoin(url, location) if location else None,
        title=" ".join(title.group(1).split()) if title else "",
        text=" ".join(TAGS.sub(" ", text).split()),
        elapsed_ms=round((time.monotonic() - started) * 1000),
    )


def network_kind(error: BaseException) -> str:
    """The crawl's name for what stopped a request (see govscan.crawler.errors)."""
    if isinstance(error, ssl.SSLError):
        return "tls"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, TimeoutError):
        return "timeout"
    return "connection"

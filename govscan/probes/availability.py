"""Is the homepage there? One GET through the scan's resolver, failing without an answer
within the indicators' 15 seconds; the scheduler runs it many times a day."""

from __future__ import annotations

from govscan.probes.http import Response, fetch
from govscan.resolver import Lookup
from govscan.urls import host_of

TIMEOUT = 15.0


def probe(url: str, lookup: Lookup, user_agent: str) -> Response:
    addresses = lookup.addresses(host_of(url))
    if not addresses:
        return Response("", error="域名无法解析")
    return fetch(url, addresses[0], TIMEOUT, user_agent)

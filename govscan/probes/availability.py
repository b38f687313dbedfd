"""Is the homepage there? One GET through the scan's resolver, failing without an answer
within the indicators' 15 seconds; the scheduler runs it many times a day, and a scan whose
crawl could not reach the homepage runs it again to see whether the site is down."""

from __future__ import annotations

from datetime import datetime

from govscan.outcomes import FAILURE_NAMES
from govscan.probes.http import Response, fetch
from govscan.resolver import Lookup
from govscan.store.view import Attempt, now
from govscan.urls import host_of

TIMEOUT = 15.0
#: Fetches of the homepage, the crawl's included, before a scan calls it unreachable.
ATTEMPTS = 3


def probe(url: str, lookup: Lookup, user_agent: str) -> Response:
    addresses = lookup.addresses(host_of(url))
    if not addresses:
        return Response("", error=FAILURE_NAMES["dns"], error_kind="dns")
    return fetch(url, addresses[0], TIMEOUT, user_agent)


def attempt(
    url: str, resolve: dict[str, list[str]], nameserver: str | None, user_agent: str
) -> Attempt:
    """Fetch the homepage once more, its name looked up afresh."""
    at = now()
    answer = probe(url, Lookup(resolve, nameserver, TIMEOUT), user_agent)
    return Attempt(stamp(at), "scan", answer.status, answer.error_kind, answer.error)


def stamp(moment: datetime) -> str:
    """A naive UTC time as findings.json writes it."""
    return moment.isoformat(timespec="seconds") + "Z"

"""IPv6 support as the national monitoring platform measures it, not just an AAAA record.

DNS (AAAA, its CNAME chain, the zone's nameservers), the homepage fetched over each AAAA
address k times and compared with the IPv4 homepage, the share of 二级/三级 pages that
answer over IPv6, and the hosts of embedded resources that have no AAAA. The result is
the run's ``metrics.ipv6`` (an ``IPv6Measurement``); ``govscan.checks.ipv6`` turns it into
findings.
"""

from __future__ import annotations

import ipaddress
import random
from concurrent.futures import ThreadPoolExecutor
from difflib import SequenceMatcher

from govscan.probes.http import Response, fetch
from govscan.resolver import Lookup
from govscan.store.inventory import IPv6Settings
from govscan.store.view import (
    Answered,
    Consistency,
    DnsAnswer,
    Homepages,
    IPv6Measurement,
    Nameserver,
    Nameservers,
    Resources,
    RunView,
    Series,
    Sublinks,
)
from govscan.urls import host_of

REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_HOPS = 5
TEXT_COMPARED = 3000  # characters of each homepage's text compared
WORKERS = 8


def measure(
    view: RunView, settings: IPv6Settings, lookup: Lookup, user_agent: str, timeout: float
) -> IPv6Measurement:
    """Every IPv6 measurement of the run's site."""
    url = view.site.url
    host = host_of(url)
    if is_address(host):
        return IPv6Measurement(host, skipped="网址中是 IP 地址而不是域名，无法检测域名的 IPv6 支持")
    aaaa = lookup.query(host, "AAAA")
    usable, invalid = split_addresses(aaaa.records)
    dns = DnsAnswer(aaaa.status, tuple(aaaa.records), tuple(aaaa.chain), usable, invalid)
    nameservers = nameserver_support(lookup, host)
    if aaaa.failed or not usable:
        return IPv6Measurement(host, dns=dns, nameservers=nameservers)
    fetcher = Fetcher(lookup, timeout, user_agent)
    attempts = max(settings.probes, len(usable))  # every AAAA address at least once
    v6 = [fetcher.get(url, 6, usable[attempt % len(usable)]) for attempt in range(attempts)]
    v4 = [fetcher.get(url, 4) for _ in range(settings.probes)]
    sublinks = {}
    if any(response.ok for response in v6):  # a blackholed AAAA would cost a timeout a page
        sublinks = {
            level: sublink_support(fetcher, pages_at(view, depth, host), settings.sample)
            for level, depth in (("level2", 1), ("level3", 2))
        }
    return IPv6Measurement(
        host,
        dns=dns,
        nameservers=nameservers,
        homepage=Homepages(ipv6=series(v6), ipv4=series(v4)),
        consistency=consistency(last_ok(v4), last_ok(v6)),
        sublinks=sublinks,
        resources=resource_support(view, lookup, host),
    )


def is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def split_addresses(records: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """AAAA answers a visitor can use, and those nobody can (link-local, IPv4-mapped)."""
    usable, invalid = [], []
    for record in records:
        address = ipaddress.IPv6Address(record)
        bad = address.is_link_local or address.ipv4_mapped or address.is_unspecified
        (invalid if bad else usable).append(record)
    return tuple(usable), tuple(invalid)


def nameserver_support(lookup: Lookup, host: str) -> Nameservers:
    """The zone's authoritative nameservers and which of them have an IPv6 address."""
    zone, answer = lookup.zone_nameservers(host)
    servers = tuple(
        Nameserver(name, split_addresses(lookup.query(name, "AAAA").records)[0])
        for name in answer.records
    )
    return Nameservers(zone, answer.status, servers, sum(1 for s in servers if s.ipv6))


class Fetcher:
    """Fetches over one IP version, following redirects on that version only."""

    def __init__(self, lookup: Lookup, timeout: float, user_agent: str):
        self.lookup = lookup
        self.timeout = timeout
        self.user_agent = user_agent

    def get(self, url: str, version: int, address: str | None = None) -> Response:
        """The final answer of ``url`` over IPv``version``; a hop to a host without an
        address of that version ends it with an error saying so."""
        for _ in range(MAX_HOPS):
            host = host_of(url)
            if address is None:
                found = self.lookup.query(host, "AAAA" if version == 6 else "A").records
                found = split_addresses(found)[0] if version == 6 else found
                if not found:
                    return Response("", error=f"{host} 没有 IPv{version} 地址")
                address = found[0]
            response = fetch(url, address, self.timeout, self.user_agent)
            if response.status not in REDIRECTS or not response.location:
                return response
            if host_of(response.location) != host:
                address = None
            url = response.location
        return Response(address or "", error="重定向次数过多")


def series(responses: list[Response]) -> Series:
    """k attempts: how many succeeded, and the last answer in detail."""
    succeeded = sum(1 for response in responses if response.ok)
    last = responses[-1]
    return Series(
        attempts=len(responses),
        succeeded=succeeded,
        rate=succeeded / len(responses),
        addresses=tuple(sorted({response.address for response in responses if response.address})),
        status=last.status,
        elapsed_ms=last.elapsed_ms,
        title=last.title,
        error=next((r.error for r in responses if r.error), None),
    )


def last_ok(responses: list[Response]) -> Response | None:
    return next((response for response in reversed(responses) if response.ok), None)


def consistency(v4: Response | None, v6: Response | None) -> Consistency | None:
    """Whether the IPv6 homepage is the IPv4 one: status, title and text similarity."""
    if v4 is None or v6 is None:
        return None
    similarity = SequenceMatcher(None, v4.text[:TEXT_COMPARED], v6.text[:TEXT_COMPARED]).ratio()
    return Consistency(
        ipv4=Answered(v4.status, v4.title),
        ipv6=Answered(v6.status, v6.title),
        similarity=round(similarity, 3),
    )


def pages_at(view: RunView, depth: int, host: str) -> list[str]:
    """The site's own crawled pages at ``depth`` (1: 二级链接, 2: 三级链接)."""
    return sorted(
        page.url
        for page in view.pages
        if page.depth == depth and page.role == "page" and host_of(page.url) == host
    )


def sublink_support(fetcher: Fetcher, urls: list[str], cap: int) -> Sublinks:
    """The share of a sample of pages that answer over IPv6."""
    sample = sorted(random.Random(0).sample(urls, cap)) if len(urls) > cap else urls
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda url: fetcher.get(url, 6), sample))
    failed = [url for url, response in zip(sample, results, strict=True) if not response.ok]
    return Sublinks(
        found=len(urls),
        sample=len(sample),
        reachable=len(sample) - len(failed),
        rate=(len(sample) - len(failed)) / len(sample) if sample else None,
        failed=tuple(failed[:20]),
    )


def resource_support(view: RunView, lookup: Lookup, site_host: str) -> Resources:
    """Hosts of embedded images, scripts, styles and frames that have no AAAA record, each
    with one of its resources as an example."""
    examples: dict[str, str] = {}
    for url in view.embedded_targets:
        examples.setdefault(host_of(url), url)
    examples.pop("", None)
    examples.pop(site_host, None)
    answers = {host: lookup.query(host, "AAAA") for host in sorted(examples)}
    ipv4_only = [
        host
        for host, answer in answers.items()
        if not answer.failed and not split_addresses(answer.records)[0]
    ]
    return Resources(
        hosts=len(answers),
        ipv4_only=tuple(ipv4_only),
        examples={host: examples[host] for host in ipv4_only},
        unresolved=tuple(host for host, answer in answers.items() if answer.failed),
    )

"""One resolver for every lookup of a scan: ``--resolve`` overrides, then a chosen nameserver.

The crawl (through Twisted, see ``govscan.crawler.resolver``) and the probes use the same
:class:`Lookup`, so a site is reached the same way everywhere. Nothing here loads Scrapy
or Twisted: the command line checks the options without them.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import dns.exception

from govscan.lazy import lazy_import

#: dnspython's resolver, a twentieth of a second to import in the CLI and again in the crawl
#: process: a site's addresses come from the system (getaddrinfo) unless a nameserver is
#: chosen, and only the DNS-reading checks ask for records.
dns_resolver = lazy_import("dns.resolver")


def parse_overrides(pairs: Sequence[str]) -> dict[str, list[str]]:
    """``["www.a.gov.cn:127.0.0.1", "www.a.gov.cn:::1"]`` → ``{"www.a.gov.cn": [...]}``."""
    overrides: dict[str, list[str]] = {}
    for pair in pairs:
        host, _, address = pair.partition(":")
        address = address.strip("[]")
        try:
            ipaddress.ip_address(address)
        except ValueError:
            address = ""
        if not host or not address:
            raise ValueError(
                f"--resolve 应写作 主机名:IP地址，如 www.a.gov.cn:127.0.0.1（收到 {pair}）"
            )
        overrides.setdefault(host.lower(), []).append(address)
    return overrides


def parse_nameserver(spec: str) -> tuple[str, int]:
    """``"127.0.0.1:5353"`` → ``("127.0.0.1", 5353)``; ``"[::1]:53"`` and bare addresses too."""
    if spec.startswith("["):
        address, _, port = spec[1:].partition("]:")
    elif spec.count(":") == 1:
        address, _, port = spec.partition(":")
    else:
        address, port = spec, ""
    try:
        ipaddress.ip_address(address.strip("[]"))
        return address.strip("[]"), int(port or 53)
    except ValueError:
        raise ValueError(
            f"DNS 服务器应写作 IP 或 IP:端口，如 223.5.5.5 或 127.0.0.1:5353（收到 {spec}）"
        ) from None


MAX_CNAMES = 8


@dataclass
class Answer:
    """One DNS question's outcome: ``status`` is ok, nxdomain, nodata, servfail or timeout."""

    status: str
    records: list[str] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)  # the CNAME targets followed, in order

    @property
    def failed(self) -> bool:
        """The DNS did not answer: nothing can be said about the name."""
        return self.status in ("servfail", "timeout")


#: Seconds an AAAA question may take once the A question has answered (for crawling; the
#: IPv6 check asks again and judges a missing answer itself).
AAAA_GRACE = 2.0


class Lookup:
    """Address lookups with overrides and an optional nameserver (dnspython); blocking."""

    def __init__(self, overrides: dict[str, list[str]], nameserver: str | None, timeout: float):
        self.overrides = overrides
        self.cache: dict[str, list[str]] = {}
        self.resolver: dns_resolver.Resolver | None = None
        if nameserver:
            address, port = parse_nameserver(nameserver)
            self.resolver = dns_resolver.Resolver(configure=False)
            self.resolver.nameservers = [address]
            self.resolver.port = port
            self.resolver.lifetime = timeout

    def addresses(self, host: str) -> list[str]:
        """Every address of ``host``, IPv4 first; empty when the name does not resolve."""
        host = host.lower().rstrip(".")
        if host not in self.cache:
            self.cache[host] = self._lookup(host)
        return self.cache[host]

    def query(self, host: str, rdtype: str) -> Answer:
        """Records of one type, following CNAMEs, with what went wrong if nothing came."""
        host = host.lower().rstrip(".")
        if host in self.overrides:
            version = 6 if rdtype == "AAAA" else 4
            found = [a for a in self.overrides[host] if ipaddress.ip_address(a).version == version]
            return Answer("ok" if found and rdtype in ("A", "AAAA") else "nodata", found)
        chain: list[str] = []
        name = host
        for _ in range(MAX_CNAMES):
            answer = self._ask(name, rdtype)
            if isinstance(answer, str):
                return Answer(answer, [], chain)
            canonical = answer.canonical_name.to_text().rstrip(".").lower()
            if canonical != name and canonical not in chain:
                chain.append(canonical)
            if answer.rrset:
                return Answer("ok", [r.to_text().rstrip(".").lower() for r in answer.rrset], chain)
            cname = self._ask(name, "CNAME")
            if isinstance(cname, str) or not cname.rrset:
                return Answer("nodata", [], chain)
            name = cname.rrset[0].target.to_text().rstrip(".").lower()
            if name not in chain:
                chain.append(name)
        return Answer("servfail", [], chain)

    def zone_nameservers(self, host: str) -> tuple[str | None, Answer]:
        """The zone that holds ``host`` (the nearest name with NS records) and its servers."""
        labels = host.lower().rstrip(".").split(".")
        answer = Answer("nodata")
        for start in range(len(labels) - 1):
            zone = ".".join(labels[start:])
            answer = self.query(zone, "NS")
            if answer.status == "ok" or answer.failed:
                return zone, answer
        return None, answer

    @cached_property
    def system_resolver(self) -> dns_resolver.Resolver:
        """The system's nameservers, for record types that getaddrinfo cannot ask for."""
        return dns_resolver.Resolver()

    def _ask(self, name: str, rdtype: str) -> dns_resolver.Answer | str:
        """dnspython's answer, or the status word for a failure."""
        try:
            return (self.resolver or self.system_resolver).resolve(
                name, rdtype, raise_on_no_answer=False
            )
        except dns_resolver.NXDOMAIN:
            return "nxdomain"
        except (dns_resolver.NoNameservers, dns_resolver.YXDOMAIN):
            return "servfail"
        except dns.exception.Timeout:
            return "timeout"

    def _lookup(self, host: str) -> list[str]:
        if host in self.overrides:
            return self.overrides[host]
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        if self.resolver is None:
            return _system_addresses(host)
        found = self._records(host, "A", self.resolver.lifetime)
        # Some servers drop AAAA questions: once A has answered, IPv6 gets a short wait only
        # (like Happy Eyeballs' resolution delay), so the page is still fetched in time.
        wait = AAAA_GRACE if found else self.resolver.lifetime
        return found + self._records(host, "AAAA", wait)

    def _records(self, host: str, rdtype: str, lifetime: float) -> list[str]:
        """The addresses of one record type; none when the DNS gives none in ``lifetime``."""
        try:
            answer = self.resolver.resolve(host, rdtype, lifetime=lifetime)
        except (dns_resolver.NXDOMAIN, dns_resolver.NoAnswer, dns_resolver.NoNameservers):
            return []
        except dns.exception.Timeout:
            return []
        return [record.address for record in answer]


def _system_addresses(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return []
    return list(dict.fromkeys(info[4][0] for info in infos))

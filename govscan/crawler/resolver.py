"""One resolver for every lookup of a scan: ``--resolve`` overrides, then a chosen nameserver.

Installed on the Twisted reactor through ``TWISTED_DNS_RESOLVER``, so every request
Scrapy makes (IPv4 and IPv6) resolves the same way the user asked for.
"""

from __future__ import annotations

import ipaddress
import socket

import dns.exception
import dns.resolver
from scrapy.resolver import HostResolution
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from twisted.internet.threads import deferToThread
from zope.interface import implementer

from govscan.crawler.dns_options import parse_nameserver


class Lookup:
    """Address lookups with overrides and an optional nameserver (dnspython); blocking."""

    def __init__(self, overrides: dict[str, list[str]], nameserver: str | None, timeout: float):
        self.overrides = overrides
        self.cache: dict[str, list[str]] = {}
        self.resolver: dns.resolver.Resolver | None = None
        if nameserver:
            address, port = parse_nameserver(nameserver)
            self.resolver = dns.resolver.Resolver(configure=False)
            self.resolver.nameservers = [address]
            self.resolver.port = port
            self.resolver.lifetime = timeout

    def addresses(self, host: str) -> list[str]:
        """Every address of ``host``, IPv4 first; empty when the name does not resolve."""
        host = host.lower().rstrip(".")
        if host not in self.cache:
            self.cache[host] = self._lookup(host)
        return self.cache[host]

    def _lookup(self, host: str) -> list[str]:
        if host in self.overrides:
            return self.overrides[host]
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        if self.resolver is None:
            return _system_addresses(host)
        found: list[str] = []
        for rdtype in ("A", "AAAA"):
            try:
                answer = self.resolver.resolve(host, rdtype)
            except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.NoNameservers):
                continue
            except dns.exception.Timeout:
                continue
            found.extend(record.address for record in answer)
        return found


def _system_addresses(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return []
    return list(dict.fromkeys(info[4][0] for info in infos))


@implementer(IHostnameResolver)
class GovscanResolver:
    """Twisted hostname resolver backed by :class:`Lookup`; set up from the crawler settings."""

    def __init__(self, reactor, lookup: Lookup):
        self.reactor = reactor
        self.lookup = lookup

    @classmethod
    def from_crawler(cls, crawler, reactor) -> GovscanResolver:
        settings = crawler.settings
        lookup = Lookup(
            settings.getdict("GOVSCAN_RESOLVE"),
            settings.get("GOVSCAN_NAMESERVER"),
            settings.getfloat("DNS_TIMEOUT"),
        )
        return cls(reactor, lookup)

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def resolveHostName(
        self,
        resolutionReceiver: IResolutionReceiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes=None,
        transportSemantics: str = "TCP",
    ) -> HostResolution:
        resolution = HostResolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)

        def deliver(addresses: list[str]) -> None:
            for address in addresses:
                kind = IPv6Address if ":" in address else IPv4Address
                resolutionReceiver.addressResolved(kind("TCP", address, portNumber))
            resolutionReceiver.resolutionComplete()

        def fail(_failure) -> None:
            resolutionReceiver.resolutionComplete()

        deferToThread(self.lookup.addresses, hostName).addCallbacks(deliver, fail)
        return resolution

"""One resolver for every lookup of a scan: ``--resolve`` overrides, then a chosen nameserver.

Installed on the Twisted reactor through ``TWISTED_DNS_RESOLVER``, so every request
Scrapy makes (IPv4 and IPv6) resolves the same way the user asked for.
"""

from __future__ import annotations

from scrapy.resolver import HostResolution
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from twisted.internet.threads import deferToThread
from zope.interface import implementer

from govscan.resolver import Lookup


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

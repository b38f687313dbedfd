"""URL helpers shared by the crawler and the checks: canonical form, scope, address kinds."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

#: Schemes that are recorded as links but never fetched.
UNFETCHED_SCHEMES = frozenset({"mailto", "tel", "sms", "javascript", "data", "about"})
#: Host suffixes that only exist inside an organisation's network.
INTRANET_SUFFIXES = (".local", ".lan", ".internal", ".intranet", ".intra", ".localdomain")


def canonical_url(href: str, base: str) -> str:
    """Resolve ``href`` against ``base`` and return it without fragment, safely quoted.

    Two spellings of one URL (relative or absolute, with or without ``#top``,
    upper-case host) map to one string, so each unique URL is fetched once.
    """
    href = href.strip()
    if href.startswith("/") and not href.startswith("//") and "/." not in href:
        joined = _origin(base) + href  # the common site-absolute link, without urljoin's cost
    elif href[:8].lower().startswith(("http://", "https://")):
        joined = href
    else:
        joined = urljoin(base, href)
    return _canonical(joined)


@lru_cache(maxsize=4096)
def _origin(url: str) -> str:
    """``scheme://netloc`` of an absolute URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@lru_cache(maxsize=65536)
def _canonical(url: str) -> str:
    """The canonical form of an absolute URL; cached, as menus repeat on every page."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in UNFETCHED_SCHEMES:
        return url
    netloc = parts.netloc.lower()
    if (scheme == "http" and netloc.endswith(":80")) or (
        scheme == "https" and netloc.endswith(":443")
    ):
        netloc = netloc.rsplit(":", 1)[0]
    path = parts.path or "/"
    return safe_url_string(urlunsplit((scheme, netloc, path, parts.query, "")))


def scheme_of(url: str) -> str:
    return urlsplit(url).scheme.lower()


def host_of(url: str) -> str:
    """The host name of ``url`` in lower case, without port or IPv6 brackets."""
    return (urlsplit(url).hostname or "").lower()


def is_fetchable(url: str) -> bool:
    return scheme_of(url) in ("http", "https")


def is_intranet_host(host: str) -> bool:
    """True for loopback, private and link-local addresses and for names only an intranet knows."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or "." not in host or host.endswith(INTRANET_SUFFIXES)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_private or address.is_loopback or address.is_link_local


def origin_of(url: str) -> str:
    """``host:port`` of ``url``, with the scheme's default port made explicit."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    host = (parts.hostname or "").lower()
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def site_scope(start_url: str, hosts: list[str]) -> frozenset[str]:
    """The origins that belong to a site: the start URL's, and each extra host's.

    An extra host written without a port belongs to the site on the start URL's port and
    on the default ports, the way a portal and its 信息公开 subdomain share a server.
    """
    start = urlsplit(start_url)
    ports = {start.port or (443 if start.scheme == "https" else 80), 80, 443}
    scope = {origin_of(start_url)}
    for host in hosts:
        if ":" in host.strip("[]") and not host.startswith("["):
            scope.add(host.lower())
        else:
            scope.update(origin_of(f"http://{host}:{port}/") for port in ports)
    return frozenset(scope)

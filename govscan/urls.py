"""URL helpers shared by the crawler and the checks: canonical form, scope, address kinds."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import SplitResult, quote, unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

#: Schemes that are recorded as links but never fetched.
UNFETCHED_SCHEMES = frozenset({"mailto", "tel", "sms", "javascript", "data", "about"})
#: Host suffixes that only exist inside an organisation's network.
INTRANET_SUFFIXES = (".local", ".lan", ".internal", ".intranet", ".intra", ".localdomain")
#: What govscan records instead of an href no browser can follow (``http://[bad``, a port over
#: 65535): this scheme and the href, quoted. A link like any other, never fetched.
INVALID_SCHEME = "invalid"

# The WHATWG URL rules browsers follow before resolving an href.
_C0_OR_SPACE = "".join(map(chr, range(0x21)))  # stripped from both ends
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")  # removed wherever they are
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*(?=:)")
_QUERY_OR_FRAGMENT = re.compile(r"[?#]")
#: Schemes whose URLs take ``\`` for ``/`` (``\zh\x.html`` is ``/zh/x.html``).
_SPECIAL_SCHEMES = frozenset({"http", "https", "ftp", "ws", "wss", "file"})
#: Any run of two or more slashes before an http(s) host is two: ``http:///www.a.gov.cn/``.
_AUTHORITY_SLASHES = re.compile(r"^((?:https?:)?)//+", re.IGNORECASE)
#: Code points a host may not contain (besides the brackets of an IPv6 address).
_FORBIDDEN_HOST = re.compile(r"[\x00-\x20\x7f<>\[\]\\^|]")


def canonical_url(href: str, base: str) -> str:
    """Resolve ``href`` against ``base`` as a browser does and return it without fragment,
    safely quoted; an href no browser can follow is recorded as ``invalid:`` (see
    ``invalid_href``), never raised.

    Two spellings of one URL (relative or absolute, with or without ``#top``,
    upper-case host) map to one string, so each unique URL is fetched once.
    """
    href = browser_href(href, base)
    try:
        return _canonical(_joined(href, base))
    except ValueError:  # see _canonical
        return f"{INVALID_SCHEME}:{quote(href, safe='')}"


def invalid_href(url: str) -> str | None:
    """The href as the page wrote it, when ``url`` records one no browser can follow."""
    scheme, colon, quoted = url.partition(":")
    return unquote(quoted) if colon and scheme == INVALID_SCHEME else None


def browser_href(href: str, base: str) -> str:
    """``href`` after the WHATWG URL parser's clean-up: outer spaces and controls stripped,
    tabs and newlines dropped, in http(s) URLs ``\\`` read as ``/`` up to the query, and
    extra slashes before a host dropped (``http:///www.csz.gov.cn/``)."""
    # each rule is tested with a plain substring search first: it rarely applies
    href = href.strip(_C0_OR_SPACE)
    if "\t" in href or "\n" in href or "\r" in href:
        href = _TAB_OR_NEWLINE.sub("", href)
    if "\\" in href and _scheme(href, base) in _SPECIAL_SCHEMES:
        end = _QUERY_OR_FRAGMENT.search(href)
        end = end.start() if end else len(href)
        href = href[:end].replace("\\", "/") + href[end:]
    if "///" in href[:9]:  # the slashes after https: at most
        href = _AUTHORITY_SLASHES.sub(r"\1//", href)
    return href


def _scheme(href: str, base: str) -> str:
    """The scheme ``href`` names, or else the one it takes from ``base``."""
    own = _SCHEME.match(href)
    return (own.group(0) if own else base.partition(":")[0]).lower()


def _joined(href: str, base: str) -> str:
    """``href`` made absolute against ``base``."""
    if href.startswith("/") and not href.startswith("//") and "/." not in href:
        return _origin(base) + href  # the common site-absolute link, without urljoin's cost
    if href[:8].lower().startswith(("http://", "https://")):
        return href
    return urljoin(base, href)


@lru_cache(maxsize=4096)
def _origin(url: str) -> str:
    """``scheme://netloc`` of an absolute URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@lru_cache(maxsize=65536)
def _canonical(url: str) -> str:
    """The canonical form of an absolute URL; cached, as menus repeat on every page.

    ValueError when a browser would refuse it: no host, a bad IPv6 address, a port that is
    not a number up to 65535, a character no host may hold."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in UNFETCHED_SCHEMES:
        return url
    if scheme in ("http", "https"):
        _check_authority(parts)
    netloc = parts.netloc.lower()
    if (scheme == "http" and netloc.endswith(":80")) or (
        scheme == "https" and netloc.endswith(":443")
    ):
        netloc = netloc.rsplit(":", 1)[0]
    path = parts.path or "/"
    return safe_url_string(urlunsplit((scheme, netloc, path, parts.query, "")))


def _check_authority(parts: SplitResult) -> None:
    """Raise ValueError for an http(s) authority no browser would accept."""
    host, _ = parts.hostname, parts.port  # the port raises unless a number up to 65535
    if not host or (":" not in host and _FORBIDDEN_HOST.search(host)):
        raise ValueError(f"no valid host in {parts.netloc!r}")


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

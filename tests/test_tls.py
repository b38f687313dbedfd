"""The HTTPS probe against real TLS servers on loopback."""

from __future__ import annotations

import ssl

from servers import closed_port, page, tls_site

from govscan.probes.tls import measure
from govscan.resolver import Lookup

LOOKUP = Lookup({}, None, 5)


def test_a_self_signed_certificate_for_a_day_is_read_and_refused():
    with tls_site({"/": page("首页", "<p>欢迎</p>")}) as site:
        found = measure(site.url, LOOKUP, 5)
    assert (found.https, found.problem, found.days_left) == (True, "self_signed", 0)
    assert found.version in ("TLSv1.2", "TLSv1.3") and found.not_after.endswith("Z")


def test_a_host_that_refuses_https_has_none():
    with closed_port() as endpoint:
        found = measure(f"https://{endpoint.host}:{endpoint.port}/", LOOKUP, 5)
    assert (found.https, found.error) == (
        False,
        f"{endpoint.port} 端口拒绝连接，网站未提供 HTTPS 访问",
    )


def test_a_server_stuck_on_tls_1_1_is_seen_as_such():
    with tls_site({"/": page("首页", "<p>欢迎</p>")}, newest=ssl.TLSVersion.TLSv1_1) as site:
        found = measure(site.url, LOOKUP, 5)
    assert (found.https, found.version, found.problem) == (True, "TLSv1.1", None)

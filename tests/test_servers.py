"""The loopback test servers behave as the crawler tests will rely on (stdlib and dnspython)."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.resolver
import pytest
from servers import (
    Route,
    closed_port,
    dns_server,
    http_site,
    redirect_loop_site,
    silent_server,
    tls_site,
)

GBK_PAGE = "<html><head><meta charset='gbk'></head><body>政府信息公开</body></html>"
RECORDS = {
    "WWW.example.gov.cn.": {"A": ["127.0.0.1"], "AAAA": ["::1"]},
    "alias.example.gov.cn": {"CNAME": ["www.example.gov.cn"]},
    "example.gov.cn": {"NS": ["ns1.example.gov.cn"]},
    "broken.example.gov.cn": "SERVFAIL",
    "slow.example.gov.cn": "TIMEOUT",
}


def fetch(
    url: str,
    method: str = "GET",
    timeout: float = 2.0,
    context: ssl.SSLContext | None = None,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request with http.client: no proxies from the environment, no redirects."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def has_ipv6_loopback() -> bool:
    """Some CI containers have no ::1; the IPv6 test is skipped there."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


def resolver_for(port: int, timeout: float = 0.5) -> dns.resolver.Resolver:
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = port
    resolver.timeout = resolver.lifetime = timeout
    return resolver


# --------------------------------------------------------------------------- HTTP


def test_route_served_with_status_body_and_headers() -> None:
    routes = {"/": Route(body="首页"), "/gone?id=1": Route(status=410, headers={"X-A": "1"})}
    with http_site(routes) as site:
        assert site.url == f"http://127.0.0.1:{site.port}/"
        status, headers, body = fetch(site.url)
        assert (status, body.decode()) == (200, "首页")
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        status, headers, _ = fetch(site.url_for("/gone?id=1"))
        assert (status, headers["X-A"]) == (410, "1")


def test_unknown_path_is_hard_404() -> None:
    with http_site({}) as site:
        status, _, body = fetch(site.url_for("/nope"))
        assert status == 404
        assert body


def test_soft_not_found_answers_200_with_chinese_page() -> None:
    with http_site({}, not_found="soft") as site:
        status, _, body = fetch(site.url_for("/nope"))
        assert status == 200
        assert "您访问的页面不存在" in body.decode()


def test_gbk_bytes_served_untouched() -> None:
    raw = GBK_PAGE.encode("gbk")
    with http_site({"/gbk": Route(body=raw, content_type="text/html; charset=gbk")}) as site:
        _, headers, body = fetch(site.url_for("/gbk"))
        assert body == raw
        assert headers["Content-Type"] == "text/html; charset=gbk"


def test_head_has_headers_only_and_head_status_is_honoured() -> None:
    routes = {"/page": Route(body="0123456789"), "/nohead": Route(body="x", head_status=405)}
    with http_site(routes) as site:
        status, headers, body = fetch(site.url_for("/page"), method="HEAD")
        assert (status, headers["Content-Length"], body) == (200, "10", b"")
        assert fetch(site.url_for("/nohead"), method="HEAD")[0] == 405
        assert fetch(site.url_for("/nohead"))[0] == 200


def test_hits_counted_per_method_and_path() -> None:
    with http_site({"/a": "a"}) as site:
        fetch(site.url_for("/a"))
        fetch(site.url_for("/a"))
        fetch(site.url_for("/a"), method="HEAD")
        assert site.count("GET", "/a") == 2
        assert site.hits[("HEAD", "/a")] == 1
        assert site.count("GET", "/b") == 0


def test_redirect_route_sets_location() -> None:
    with http_site({"/old": Route(status=301, location="/new")}) as site:
        status, headers, _ = fetch(site.url_for("/old"))
        assert (status, headers["Location"]) == (301, "/new")


def test_then_routes_answer_in_turn_and_the_last_stays() -> None:
    flaky = Route(status=503, then=Route(status=502, then=Route(body="ok")))
    with http_site({"/": flaky}) as site:
        assert [fetch(site.url)[0] for _ in range(4)] == [503, 502, 200, 200]


def test_delay_holds_the_answer() -> None:
    with http_site({"/slow": Route(body="ok", delay=0.3)}) as site:
        started = time.monotonic()
        assert fetch(site.url_for("/slow"))[0] == 200
        assert time.monotonic() - started >= 0.3
        with pytest.raises(TimeoutError):
            fetch(site.url_for("/slow"), timeout=0.1)


def test_repeated_endless_dripping_and_resetting_bodies() -> None:
    routes = {
        "/big": Route(body="0123456789", repeat=1000),
        "/endless": Route(body="x" * 1000, repeat=0),
        "/drip": Route(body="a", repeat=4, drip=0.1),
        "/reset": Route(reset=True),
    }
    with http_site(routes) as site:
        _, headers, body = fetch(site.url_for("/big"))
        assert (headers["Content-Length"], len(body)) == ("10000", 10000)
        conn = http.client.HTTPConnection(site.host, site.port, timeout=2)
        conn.request("GET", "/endless")
        response = conn.getresponse()
        assert response.getheader("Transfer-Encoding") == "chunked"
        assert len(response.read(100_000)) == 100_000  # and more to come
        conn.close()
        started = time.monotonic()
        assert fetch(site.url_for("/drip"))[2] == b"aaaa"
        assert time.monotonic() - started >= 0.3
        with pytest.raises(ConnectionResetError):
            fetch(site.url_for("/reset"))


def test_unknown_paths_can_be_answered_from_the_path() -> None:
    with http_site(not_found=lambda path: Route(body=f"<a href='{path}/next'>下一页</a>")) as site:
        assert fetch(site.url_for("/cal/1"))[2].decode() == "<a href='/cal/1/next'>下一页</a>"


def test_exit_is_prompt_with_keep_alive_client_still_connected() -> None:
    started = time.monotonic()
    with http_site({"/": "x"}) as site:
        conn = http.client.HTTPConnection(site.host, site.port, timeout=2)
        conn.request("GET", "/")
        conn.getresponse().read()  # connection stays open (HTTP/1.1 keep-alive)
    assert time.monotonic() - started < 1.5
    conn.close()


@pytest.mark.skipif(not has_ipv6_loopback(), reason="no IPv6 loopback (::1) on this machine")
def test_ipv6_site_reachable_over_ipv6() -> None:
    with http_site({"/": "v6"}, host="::1") as site:
        assert site.url == f"http://[::1]:{site.port}/"
        status, _, body = fetch(site.url)
        assert (status, body) == (200, b"v6")


def test_redirect_loop_loops() -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with redirect_loop_site() as site:
        with pytest.raises(urllib.error.HTTPError, match="infinite loop"):
            opener.open(site.url_for("/loop/a"), timeout=2)
        assert site.count("GET", "/loop/a") >= 2
        assert site.count("GET", "/loop/b") >= 2
        assert opener.open(site.url_for("/ok"), timeout=2).status == 200


# --------------------------------------------------------------------------- failures


def test_closed_port_refuses() -> None:
    with closed_port() as endpoint, pytest.raises(ConnectionRefusedError):
        socket.create_connection((endpoint.host, endpoint.port), timeout=1)


def test_silent_server_times_out_a_client() -> None:
    with silent_server() as endpoint:
        sock = socket.create_connection((endpoint.host, endpoint.port), timeout=0.5)
        with sock, pytest.raises(TimeoutError):
            sock.recv(1)
        with pytest.raises(TimeoutError):
            fetch(endpoint.url, timeout=0.5)


def test_tls_site_fails_verification_and_works_without_it() -> None:
    with tls_site({"/": "secure"}) as site:
        assert site.url.startswith("https://127.0.0.1:")
        with pytest.raises(ssl.SSLCertVerificationError):
            fetch(site.url, context=ssl.create_default_context())
        unverified = ssl.create_default_context()
        unverified.check_hostname = False
        unverified.verify_mode = ssl.CERT_NONE
        assert fetch(site.url, context=unverified)[2] == b"secure"
        trusting = ssl.create_default_context(cafile=str(site.cert_path))
        assert fetch(site.url, context=trusting)[0] == 200


# --------------------------------------------------------------------------- DNS


def test_dns_a_and_aaaa_any_case() -> None:
    with dns_server(RECORDS) as server:
        assert server.address == f"127.0.0.1:{server.port}"
        resolver = resolver_for(server.port)
        assert [r.address for r in resolver.resolve("www.example.gov.cn", "A")] == ["127.0.0.1"]
        assert [r.address for r in resolver.resolve("Www.Example.Gov.Cn.", "AAAA")] == ["::1"]


def test_dns_cname_chain_and_ns() -> None:
    with dns_server(RECORDS) as server:
        resolver = resolver_for(server.port)
        answer = resolver.resolve("alias.example.gov.cn", "A")
        assert str(answer.canonical_name) == "www.example.gov.cn."
        assert [r.address for r in answer] == ["127.0.0.1"]
        ns = resolver.resolve("example.gov.cn", "NS")
        assert [str(r.target) for r in ns] == ["ns1.example.gov.cn."]


def test_dns_nxdomain_nodata_servfail() -> None:
    with dns_server(RECORDS) as server:
        resolver = resolver_for(server.port)
        with pytest.raises(dns.resolver.NXDOMAIN):
            resolver.resolve("missing.example.gov.cn", "A")
        with pytest.raises(dns.resolver.NoAnswer):
            resolver.resolve("www.example.gov.cn", "MX")
        with pytest.raises(dns.resolver.NoNameservers, match="SERVFAIL"):
            resolver.resolve("broken.example.gov.cn", "A")


def test_dns_fails_one_type_and_answers_the_other() -> None:
    records = {"v4.example.gov.cn": {"A": ["127.0.0.1"], "AAAA": "NXDOMAIN"}}
    with dns_server(records) as server:
        resolver = resolver_for(server.port)
        assert [r.address for r in resolver.resolve("v4.example.gov.cn", "A")] == ["127.0.0.1"]
        with pytest.raises(dns.resolver.NXDOMAIN):
            resolver.resolve("v4.example.gov.cn", "AAAA")


def test_dns_timeout_gets_no_answer() -> None:
    with dns_server(RECORDS) as server:
        with pytest.raises(dns.resolver.LifetimeTimeout):
            resolver_for(server.port, timeout=0.5).resolve("slow.example.gov.cn", "A")
        assert server.queries[("slow.example.gov.cn", "A")] >= 1


def test_dns_over_tcp() -> None:
    with dns_server(RECORDS) as server:
        query = dns.message.make_query("www.example.gov.cn", "A")
        response = dns.query.tcp(query, server.host, port=server.port, timeout=1)
        assert response.rcode() == dns.rcode.NOERROR
        assert [r.address for r in response.answer[0]] == ["127.0.0.1"]
        slow = dns.message.make_query("slow.example.gov.cn", "A")
        with pytest.raises(dns.exception.Timeout):
            dns.query.tcp(slow, server.host, port=server.port, timeout=0.5)

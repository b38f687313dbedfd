"""IPv6 findings (IPv6 改造) from what ``govscan.probes.ipv6`` measured."""

from __future__ import annotations

from dataclasses import asdict

from govscan.checks.family import Deduction, Family, Figure, Needs, Rule
from govscan.checks.finding import Finding
from govscan.store.inventory import IPv6Settings
from govscan.store.view import DnsAnswer, IPv6Measurement, Nameservers, Resources, RunView, Sublinks

MIN_SIMILARITY = 0.9
LEVEL_NAMES = {"level2": "二级链接", "level3": "三级链接"}
DNS_PROBLEMS = {
    "servfail": "DNS 服务器查询失败（SERVFAIL）",
    "timeout": "DNS 查询超时",
    "nxdomain": "域名不存在（NXDOMAIN）",
}


NO_AAAA = Rule("ipv6.no_aaaa", "不支持 IPv6（无 AAAA 记录）", "deduction", group="ipv6")
UNREACHABLE = Rule("ipv6.unreachable", "IPv6 无法访问", "deduction", group="ipv6")
INCONSISTENT = Rule("ipv6.inconsistent", "IPv6 与 IPv4 内容不一致", "deduction", group="ipv6")
LOW_SUBLINK_SUPPORT = Rule(
    "ipv6.low_sublink_support", "二三级链接 IPv6 支持率低", "deduction", group="ipv6"
)
NS_NO_IPV6 = Rule("ipv6.ns_no_ipv6", "域名服务器不支持 IPv6", "deduction", group="ipv6")
NS_PARTIAL_IPV6 = Rule("ipv6.ns_partial_ipv6", "部分域名服务器不支持 IPv6", "warning", group="ipv6")
RESOURCE_IPV4_ONLY = Rule(
    "ipv6.resource_ipv4_only", "页面资源仅支持 IPv4", "deduction", group="ipv6"
)
DNS_ERROR = Rule("ipv6.dns_error", "IPv6 无法判定（DNS 无应答）", "warning", group="ipv6")


def judge(view: RunView, settings: IPv6Settings) -> list[Finding]:
    """``ipv6.*`` for the site; nothing when the probe did not run."""
    measured = view.ipv6
    if measured is None or measured.skipped is not None:
        return []
    url = view.site.url
    dns = measured.dns
    if dns.status in DNS_PROBLEMS:
        return [dns_error(url, dns)]
    findings = nameserver_findings(url, measured.nameservers)
    if not dns.usable:
        return [no_aaaa(url, dns), *findings]
    findings += homepage_findings(url, measured)
    findings += [
        low_support(url, level, found, settings.min_rate)
        for level, found in measured.sublinks.items()
        if found.rate is not None and found.rate < settings.min_rate
    ]
    if measured.resources.ipv4_only:
        findings.append(resource_ipv4_only(url, measured.resources))
    return findings


def dns_error(url: str, dns: DnsAnswer) -> Finding:
    return DNS_ERROR.finding(
        url,
        f"未能检测 IPv6：{DNS_PROBLEMS[dns.status]}，不能据此判定是否支持 IPv6",
        detail=asdict(dns),
    )


def no_aaaa(url: str, dns: DnsAnswer) -> Finding:
    why = "只有不可用的地址（链路本地或 IPv4 映射）" if dns.invalid else "没有 AAAA 记录"
    return NO_AAAA.finding(url, f"网站不支持 IPv6：域名{why}", detail=asdict(dns))


def homepage_findings(url: str, measured: IPv6Measurement) -> list[Finding]:
    """Unreachable or flaky over IPv6, and an IPv6 homepage unlike the IPv4 one."""
    v6 = measured.homepage.ipv6
    findings = []
    if v6.rate < 1:
        severity = "deduction" if v6.succeeded == 0 else "warning"
        state = "无法访问" if v6.succeeded == 0 else "访问不稳定"
        findings.append(
            UNREACHABLE.finding(
                url,
                f"首页通过 IPv6 {state}：{v6.attempts} 次探测成功 {v6.succeeded} 次"
                + (f"（{v6.error}）" if v6.error else ""),
                detail={**asdict(v6), "aaaa": measured.dns.usable},
                severity=severity,
            )
        )
    same = measured.consistency
    if same and (
        same.ipv4.status != same.ipv6.status
        or same.ipv4.title != same.ipv6.title
        or same.similarity < MIN_SIMILARITY
    ):
        findings.append(
            INCONSISTENT.finding(
                url,
                f"IPv6 首页与 IPv4 首页内容不一致（标题“{same.ipv6.title}”对"
                f"“{same.ipv4.title}”，文本相似度 {same.similarity:.0%}）",
                detail=asdict(same),
            )
        )
    return findings


def low_support(url: str, level: str, found: Sublinks, minimum: float) -> Finding:
    return LOW_SUBLINK_SUPPORT.finding(
        url,
        f"{LEVEL_NAMES[level]} IPv6 支持率 {found.rate:.0%}（抽查 {found.sample} 个，"
        f"{found.reachable} 个可访问；要求不低于 {minimum:.0%}）",
        detail={"level": level, "minimum": minimum, **asdict(found)},
    )


def nameserver_findings(url: str, servers: Nameservers) -> list[Finding]:
    """None of the zone's nameservers has IPv6 (a deduction), or only some (a warning: an
    IPv6-only resolver is left with fewer servers to ask, and none when those fail)."""
    without = [server.name for server in servers.servers if not server.ipv6]
    if servers.status != "ok" or not without:
        return []
    if servers.with_ipv6 > 0:
        return [partial_nameserver_ipv6(url, servers, without)]
    names = "、".join(server.name for server in servers.servers)
    return [
        NS_NO_IPV6.finding(
            url,
            f"域名 {servers.zone} 的权威 DNS 服务器（{names}）均没有 IPv6 地址",
            detail=asdict(servers),
        )
    ]


def partial_nameserver_ipv6(url: str, servers: Nameservers, without: list[str]) -> Finding:
    return NS_PARTIAL_IPV6.finding(
        url,
        f"域名 {servers.zone} 的 {len(servers.servers)} 台权威 DNS 服务器中有 "
        f"{len(without)} 台没有 IPv6 地址：{'、'.join(without)}",
        detail={**asdict(servers), "without_ipv6": without},
    )


def resource_ipv4_only(url: str, resources: Resources) -> Finding:
    hosts = resources.ipv4_only
    return RESOURCE_IPV4_ONLY.finding(
        url,
        f"页面引用的图片、脚本或样式所在域名没有 IPv6 地址：{'、'.join(hosts[:10])}",
        detail={"hosts": hosts, "examples": dict(resources.examples)},
    )


FAMILY = Family(
    name="ipv6",
    rules=(
        NO_AAAA,
        UNREACHABLE,
        INCONSISTENT,
        LOW_SUBLINK_SUPPORT,
        NS_NO_IPV6,
        NS_PARTIAL_IPV6,
        RESOURCE_IPV4_ONLY,
        DNS_ERROR,
    ),
    judge=judge,
    settings=IPv6Settings,
    needs=Needs(ipv6=True),
    figures=(Figure("ipv6", "IPv6"),),
    points=Deduction(points=2, cap=8),
)

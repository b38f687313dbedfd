"""``report.html``: the readable, self-contained Chinese report of one scan."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape

from govscan.outcomes import COMPLETED, INCOMPLETE, NOT_PASSED, PASSED
from govscan.reports.figures import SITE_FIGURES

#: Chinese names of the rules, for people; ids stay stable for machines.
RULE_TITLES = {
    "links.broken": "链接不可用",
    "links.soft404": "链接不可用（软 404）",
    "links.intranet": "链接到内网地址",
    "links.too_large": "页面过大，未能读取",
    "links.rate_limited": "访问频率受限，链接未检查",
    "home.stale": "首页不更新",
    "columns.stale": "栏目不更新",
    "columns.empty": "空白栏目",
    "columns.missing": "缺少必备栏目",
    "columns.outside_navigation": "必备入口不在导航栏",
    "identity.site_code": "网站标识码",
    "identity.icp": "ICP 备案编号",
    "identity.psb": "公安机关备案编号",
    "identity.conac": "党政机关网站标识",
    "identity.jiucuo": "找错入口",
    "identity.sitemap": "网站地图",
    "identity.contact": "联系我们",
    "identity.sponsor": "主办单位",
    "disclosure.attribute_missing": "未标注公开属性",
    "disclosure.restricted_published": "不应公开的文件被公开",
    "disclosure.no_download": "规范性文件无下载版本",
    "ipv6.no_aaaa": "不支持 IPv6（无 AAAA 记录）",
    "ipv6.unreachable": "IPv6 无法访问",
    "ipv6.inconsistent": "IPv6 与 IPv4 内容不一致",
    "ipv6.low_sublink_support": "二三级链接 IPv6 支持率低",
    "ipv6.ns_no_ipv6": "域名服务器不支持 IPv6",
    "ipv6.ns_partial_ipv6": "部分域名服务器不支持 IPv6",
    "ipv6.resource_ipv4_only": "页面资源仅支持 IPv4",
    "ipv6.dns_error": "IPv6 无法判定（DNS 无应答）",
    "eldercare.entrance_missing": "缺少无障碍/关怀版入口",
    "eldercare.popup": "弹窗或漂浮窗遮挡内容",
    "eldercare.reflow": "放大后无法自适应（需横向滚动）",
    "eldercare.small_text": "正文字号过小",
    "availability.unreachable": "站点无法访问",
    "newmedia.zombie": "账号不更新（僵尸账号）",
    "newmedia.shell": "空壳账号",
    "newmedia.stale": "账号即将超期未更新",
    "newmedia.archive_unreachable": "归档无法读取（未判断）",
    "newmedia.deleted_posts": "信息被删除或无法查看",
    "newmedia.mismatch": "归档与台账账号不一致",
    "newmedia.unregistered": "未报备的政务新媒体账号",
}
PLATFORM_NAMES = {
    "wechat": "微信公众号",
    "weibo": "微博",
    "douyin": "抖音",
    "toutiao": "今日头条",
    "other": "其他",
}
KIND_TITLES = {
    "http_4xx": "HTTP 4xx",
    "http_5xx": "HTTP 5xx",
    "dns": "域名无法解析",
    "refused": "连接被拒绝",
    "timeout": "超时",
    "tls": "证书/加密错误",
    "redirect_loop": "重定向循环",
    "connection": "连接中断",
    "invalid_url": "链接地址无效",
    "too_large": "超过抓取上限",
    "rate_limited": "访问频率受限（HTTP 429）",
}
VERDICT_CLASS = {PASSED: "pass", NOT_PASSED: "fail", INCOMPLETE: "incomplete"}

environment = Environment(
    loader=PackageLoader("govscan.reports", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
#: Supervisors read Beijing time; findings.json keeps UTC.
DISPLAY_ZONE = ZoneInfo("Asia/Shanghai")


def local_time(iso: str | None) -> str:
    """``2026-11-27T05:18:53Z`` → ``2026年11月27日 13:18``."""
    if not iso:
        return "未结束"
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(DISPLAY_ZONE)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def rule_title(finding: dict) -> str:
    """The rule's Chinese name; an axe rule is named by axe-core's own Chinese title."""
    if finding["rule"].startswith("a11y."):
        return f"无障碍：{finding['detail'].get('title', finding['rule'])}"
    return RULE_TITLES.get(finding["rule"], finding["rule"])


environment.filters["local_time"] = local_time
environment.globals.update(
    rule_title=rule_title,
    rule_titles=RULE_TITLES,
    site_figures=SITE_FIGURES,
    kind_titles=KIND_TITLES,
    verdict_class=VERDICT_CLASS,
    COMPLETED=COMPLETED,
    platform_names=PLATFORM_NAMES,
    impact_names={"critical": "严重", "serious": "较重", "moderate": "中等", "minor": "轻微"},
)


def render(result: dict) -> str:
    return environment.get_template("report.html").render(result=result)


def write(result: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(result), encoding="utf-8")
    return path

"""A small local government portal for the column, identity and disclosure tests.

Pages carry the footer 国办发〔2017〕47号 asks for; tests drop parts of it to seed defects.
Dates are written relative to today in Beijing, as the checks judge them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from servers import page

SITE_CODE = "5329000001"
UNIT = "苍山州人民政府办公室"
#: The parts of a complete footer, by the rule that would miss each.
FOOTER_PARTS = {
    "identity.sitemap": "<a href='/wzdt.html'>网站地图</a>",
    "identity.contact": "<a href='/lxwm.html'>联系我们</a>",
    "identity.sponsor": f"<p>主办单位：{UNIT}</p>",
    "identity.icp": "<a href='https://beian.miit.gov.cn/'>滇ICP备05001234号-1</a>",
    "identity.site_code": f"<span>网站标识码：{SITE_CODE}</span>",
    "identity.psb": (
        "<a href='http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=53290202000001'>"
        "滇公网安备 53290202000001号</a>"
    ),
    "identity.conac": (
        "<a href='https://bszs.conac.cn/sitename?method=show&amp;id=6B1F0C3A'>"
        "<img src='/red.png' alt='党政机关'></a>"
    ),
    "identity.jiucuo": (
        f"<script id='_jiucuo_' sitecode='{SITE_CODE}' "
        "src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'></script>"
    ),
}
#: Public hosts the footer links to: recorded, never fetched by the tests' scans.
FOOTER_HOSTS = ("beian.miit.gov.cn", "www.beian.gov.cn", "bszs.conac.cn", "zfwzgl.www.gov.cn")


def today() -> date:
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()


def day(days_ago: int) -> date:
    return today() - timedelta(days=days_ago)


def footer(*without: str, **replace: str) -> str:
    """The identity footer, without the parts of the rules in ``without``."""
    parts = {**FOOTER_PARTS, **{rule.replace("_", ".", 1): html for rule, html in replace.items()}}
    shown = "　".join(html for rule, html in parts.items() if rule not in without)
    return f"<div class='footer'>{shown}<p>版权所有 © {today().year} {UNIT}</p></div>"


def gov_page(title: str, body: str, *without: str, head: str = "", **replace: str) -> str:
    """A page of the portal with its header, body and footer."""
    meta = f"<meta name='SiteIDCode' content='{SITE_CODE}'>"
    header = f"<div class='top'>今天是{today():%Y年%m月%d日} 星期五</div>"
    return page(title, header + body + footer(*without, **replace), head=meta + head)


def dated_list(items: list[tuple[str, str, str]]) -> str:
    """A column's list: (title, href, date as the site writes it)."""
    rows = "".join(
        f"<li><a href='{href}'>{title}</a><span>{when}</span></li>" for title, href, when in items
    )
    return f"<ul class='list'>{rows}</ul>"


def scan_args(site_url: str, checks: str = "links,columns,identity,disclosure") -> list[str]:
    """Scan options that keep the footer's public hosts out of the crawl; the browser checks
    have their own tests."""
    skips = (arg for host in FOOTER_HOSTS for arg in ("--skip-host", host))
    return [site_url, "--checks", checks, *skips]


def accessible_page(title: str, body: str, lang: str = "zh-CN", style: str = "") -> str:
    """A page that passes axe-core's WCAG A/AA rules unless ``body`` breaks one."""
    lang_attribute = f" lang='{lang}'" if lang else ""
    return (
        f"<!DOCTYPE html><html{lang_attribute}><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{style}</style></head><body><main><h1>{title}</h1>{body}</main></body></html>"
    )


PARAGRAPH = "<p>苍山州召开全州政务公开工作推进会，部署下一阶段重点任务。</p>"

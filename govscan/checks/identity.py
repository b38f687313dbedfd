"""Identity marks (标识): 网站标识码, ICP and 公安 filings, 党政机关 mark, 找错, footer links.

国办发〔2017〕47号 wants them on every page; the homepage is checked in full, and a sample of
the crawled pages for the marks every page must carry.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

from govscan.checks.context import kept_homepage
from govscan.checks.family import Deduction, Family, Figure, NoSettings, Rule
from govscan.checks.finding import Finding
from govscan.checks.links import says_not_found
from govscan.checks.marks import Marks, read_marks
from govscan.store.inventory import SITE_CODE
from govscan.store.view import Page, RunView, SiteInfo

#: Real footers often leave out the closing 号: the number is what identifies the filing.
ICP_NUMBER = re.compile(r"ICP备\d{6,10}(?!\d)号?")
#: Every mark is a rule, by what it checks.
MARKS = {
    name: Rule(f"identity.{name}", title, "deduction", group="identity")
    for name, title in (
        ("site_code", "网站标识码"),
        ("icp", "ICP 备案编号"),
        ("psb", "公安机关备案编号"),
        ("conac", "党政机关网站标识"),
        ("jiucuo", "找错入口"),
        ("sitemap", "网站地图"),
        ("contact", "联系我们"),
        ("sponsor", "主办单位"),
    )
}
#: What each rule checks, for the messages, where its title is too short to say it.
MARK_NAMES = {
    **{rule.id: rule.title for rule in MARKS.values()},
    "identity.jiucuo": "“我为政府网站找错”入口",
}
#: The marks every page's footer must carry, and how to see one.
EVERY_PAGE = {
    "identity.site_code": lambda m: m.site_code_text,
    "identity.icp": lambda m: m.icp,
    "identity.psb": lambda m: m.psb,
    "identity.conac": lambda m: m.conac,
    "identity.jiucuo": lambda m: m.jiucuo_src,
    "identity.sponsor": lambda m: m.sponsor,
}
MAX_PAGES_LISTED = 20


def judge(view: RunView, settings: NoSettings) -> list[Finding]:
    """``identity.*`` for the homepage in full and the sampled pages' footers."""
    if (kept := kept_homepage(view)) is None:
        return []
    home, home_html = kept
    marks = read_marks(home_html)
    sample = {
        page.url: read_marks(page.html) for page in sampled_pages(view.pages, view.run.sample_pages)
    }
    return [*homepage_findings(view.site, marks, home.url), *sample_findings(sample, home.url)]


def sampled_pages(pages: Iterable[Page], size: int) -> list[Page]:
    """Up to ``size`` of the kept pages a visitor opens as pages (not iframe contents, not
    not-found pages), chosen by a hash of their URL: the same pages on every run, so that
    a mark seen missing and then present was fixed, not merely sampled differently."""
    candidates = [
        page
        for page in pages
        if page.role == "page" and page.html is not None and not says_not_found(page)
    ]
    return sorted(candidates, key=lambda page: zlib.crc32(page.url.encode()))[:size]


def homepage_findings(site: SiteInfo, marks: Marks, url: str) -> list[Finding]:
    """Every mark on the homepage: present, well-formed, and agreeing with the inventory."""
    problems = {
        "identity.site_code": site_code_problem(marks, site.site_code),
        "identity.icp": icp_problem(marks),
        "identity.psb": psb_problem(marks),
        "identity.conac": None
        if marks.conac
        else ("missing", "未找到党政机关网站标识（conac.cn）"),
        "identity.jiucuo": jiucuo_problem(marks, site.site_code or marks.site_code_text),
        "identity.sitemap": None if marks.sitemap else ("missing", "未找到“网站地图”链接"),
        "identity.contact": None if marks.contact else ("missing", "未找到“联系我们”或联系方式"),
        "identity.sponsor": sponsor_problem(marks, site.unit),
    }
    findings = []
    for rule, result in problems.items():
        if result is None:
            continue
        problem, text = result
        findings.append(
            rule_of(rule).finding(
                url,
                f"首页{MARK_NAMES[rule]}不合规：{text}",
                detail={"problem": problem, "page": "homepage", "found": found_values(rule, marks)},
            )
        )
    return findings


def site_code_problem(marks: Marks, expected: str | None) -> tuple[str, str] | None:
    text, meta = marks.site_code_text, marks.site_code_meta
    if not text:
        return "missing", "页面底部未标注网站标识码"
    if not SITE_CODE.match(text):
        return "malformed", f"网站标识码 {text} 格式不正确（应为 10 位数字，部委为 bm 加 8 位数字）"
    if not meta:
        return "missing", '缺少 <meta name="SiteIDCode"> 标签'
    if meta != text:
        return "mismatch", f"页面标注的网站标识码 {text} 与 SiteIDCode 标签 {meta} 不一致"
    if expected and text != expected:
        return "mismatch", f"网站标识码 {text} 与清单登记的 {expected} 不一致"
    return None


def icp_problem(marks: Marks) -> tuple[str, str] | None:
    if not marks.icp:
        return "missing", "页面底部未标注 ICP 备案编号"
    if not ICP_NUMBER.search(marks.icp):
        return "malformed", f"ICP 备案编号 {marks.icp} 格式不正确"
    if not marks.icp_link or "beian.miit.gov.cn" not in marks.icp_link:
        return "unlinked", f"ICP 备案编号 {marks.icp} 未链接到工业和信息化部备案管理系统"
    return None


def psb_problem(marks: Marks) -> tuple[str, str] | None:
    if not marks.psb:
        return "missing", "页面底部未标注公安机关备案编号"
    if not marks.psb_link_code:
        return "unlinked", f"公安机关备案编号 {marks.psb} 未链接到全国互联网安全管理服务平台"
    if marks.psb_link_code != marks.psb:
        return "mismatch", f"公安备案编号 {marks.psb} 与链接中的备案号 {marks.psb_link_code} 不一致"
    return None


def jiucuo_problem(marks: Marks, expected: str | None) -> tuple[str, str] | None:
    if not marks.jiucuo_src:
        return "missing", "未嵌入“我为政府网站找错”入口（jiucuo.js）"
    if expected and marks.jiucuo_sitecode != expected:
        found = marks.jiucuo_sitecode or "（无）"
        return "mismatch", f"找错入口的 sitecode {found} 与网站标识码 {expected} 不一致"
    return None


def sponsor_problem(marks: Marks, unit: str) -> tuple[str, str] | None:
    if not marks.sponsor:
        return "missing", "页面底部未标注主办单位"
    registered = unit and not unit.startswith("（")  # a one-off scan has no registered unit
    if registered and unit not in marks.sponsor and marks.sponsor not in unit:
        return "mismatch", f"标注的主办单位“{marks.sponsor}”与清单登记的“{unit}”不一致"
    return None


def found_values(rule: str, marks: Marks) -> dict:
    """What the page carries for ``rule``, as evidence."""
    return {
        "identity.site_code": {"text": marks.site_code_text, "meta": marks.site_code_meta},
        "identity.icp": {"text": marks.icp, "link": marks.icp_link},
        "identity.psb": {"text": marks.psb, "link_code": marks.psb_link_code},
        "identity.conac": {"present": marks.conac},
        "identity.jiucuo": {"src": marks.jiucuo_src, "sitecode": marks.jiucuo_sitecode},
        "identity.sitemap": {"link": marks.sitemap},
        "identity.contact": {"link": marks.contact},
        "identity.sponsor": {"text": marks.sponsor},
    }[rule]


def sample_findings(sample: dict[str, Marks], home_url: str) -> list[Finding]:
    """One finding per mark that some sampled pages lack, listing those pages."""
    findings = []
    for rule, has in EVERY_PAGE.items():
        lacking = sorted(url for url, marks in sample.items() if not has(marks))
        if lacking:
            findings.append(
                rule_of(rule).finding(
                    lacking[0],
                    f"抽查的 {len(sample)} 个页面中有 {len(lacking)} 个未标注{MARK_NAMES[rule]}",
                    source=home_url,
                    detail={
                        "problem": "missing",
                        "page": "sample",
                        "sampled": len(sample),
                        "lacking": len(lacking),
                        "pages": lacking[:MAX_PAGES_LISTED],
                    },
                )
            )
    return findings


def rule_of(rule_id: str) -> Rule:
    return MARKS[rule_id.removeprefix("identity.")]


FAMILY = Family(
    name="identity",
    rules=tuple(MARKS.values()),
    judge=judge,
    figures=(Figure("identity", "标识"),),
    points=Deduction(points=1, cap=6),  # 网站标识码, ICP, 公安备案, 党政机关标识… together
)

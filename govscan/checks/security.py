"""security: dark links, defacement, suspicious scripts, and personal data made public.

国办秘函〔2019〕19号 treats a government site that has been defaced or carries 暗链 as a
serious failure, and 信息公开 pages that publish 身份证号, bank accounts or lists of mobile
numbers break the personal-information rules every inspection checks. govscan looks for them
in what the crawl kept:

* **dark links** with gambling, sex or invoice words, a veto: in the HTML of the homepage and
  the pages it links to (where they are planted), links to other sites hidden by inline style
  (display:none, visibility:hidden, far off screen, zero size) or written by a script's
  ``document.write``; and in the pages the browser renders (the homepage, the accessibility
  sample and every page whose title carries such words), links hidden by a style sheet, of no
  size, in the background's colour or in a marquee too small to read, each shown, outlined
  and photographed. Hidden links without those words (a 友情链接 menu opened on hover) are
  the page's own business;
* **defacement** in every page's title and visible text: those words in a title, or three of
  them in a text that does not warn against them (打击, 严禁, 警惕 …), with a screenshot of
  the page's first screen when the browser opened it;
* **suspicious scripts**: scripts from hosts outside the site, the government's domains, the
  inventory's ``settings.security.allowed_script_hosts`` and well-known statistics and
  accessibility services, and obfuscated inline scripts (eval of packed or encoded code), for
  review;
* **personal data** in every page's text: 身份证号 that pass their check digit, bank card
  numbers that pass Luhn's check next to 账号/卡号, and pages listing five or more mobile
  numbers; every output shows a masked example, never a whole number.
"""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urlsplit

import lxml.html
from pydantic import BaseModel, ConfigDict

from govscan.checks.context import homepage
from govscan.checks.family import EVIDENCE_ROLE, BrowserPage, Deduction, Family, Figure, Needs, Rule
from govscan.checks.finding import Finding
from govscan.markup import parse_document
from govscan.store.view import HiddenLink, RenderedPage, RunView, TlsMeasurement
from govscan.urls import host_of

HIDDEN_LINKS = Rule("security.hidden_links", "网页存在暗链", "veto", group="security")
DEFACED = Rule(
    "security.defaced", "网页疑似被篡改（出现赌博、色情等内容）", "veto", group="security"
)
SCRIPT = Rule("security.suspicious_script", "网页引用可疑脚本", "warning", group="security")
TLS = Rule("security.tls", "HTTPS 证书或加密配置有问题", "deduction", group="security")
SENSITIVE = Rule(
    "security.sensitive_data",
    "网页公开了个人敏感信息",
    "deduction",
    Deduction(points=2, cap=6),
    "security",
)

SPAM_WORDS = (
    "博彩", "百家乐", "六合彩", "时时彩", "北京赛车", "澳门葡京", "威尼斯人", "金沙娱乐",
    "真人娱乐", "真人视讯", "体育投注", "网上赌场", "澳门赌场", "娱乐城", "彩金", "首存",
    "bet365", "皇冠体育", "开元棋牌", "成人视频", "色情电影", "裸聊", "一夜情", "代开发票",
    "代开增值税", "发票代开", "casino", "baccarat", "bocai", "xpj", "amjs",
)  # fmt: skip
SPAM = re.compile("|".join(map(re.escape, SPAM_WORDS)), re.IGNORECASE)
#: Words of a text that warns against gambling or fraud rather than advertising it.
WARNING_WORDS = re.compile(r"打击|严禁|警惕|防范|查处|整治|诈骗|违法|犯罪|取缔|提醒|谨防")
WARNING_REACH = 40
MIN_SPAM_WORDS = 3
SUSPECT_PAGES_RENDERED = 5  # pages with such titles opened in the browser as evidence
HIDING_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|(?:left|top|text-indent)\s*:\s*-\d{3,}"
    r"|font-size\s*:\s*0(?![.\d])|(?:height|width)\s*:\s*[01]px",
    re.IGNORECASE,
)
WRITTEN = re.compile(r"document\.write(?:ln)?\s*\((.{0,2000}?)\)\s*;?", re.DOTALL)
WRITTEN_HREF = re.compile(r"href\s*=\s*\\?[\"']?(https?://[^\"'\\\s>]+)")
TAG = re.compile(r"<[^>]*>")
OBFUSCATED = re.compile(
    r"eval\s*\(\s*(?:function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k|unescape|atob|String\.fromCharCode)"
    r"|(?:\\x[0-9a-f]{2}){40,}|[A-Za-z0-9+/]{600,}={0,2}",
    re.IGNORECASE,
)
#: Script hosts every government site may load: statistics, sharing and accessibility tools.
WELL_KNOWN_SCRIPT_HOSTS = (
    ".gov.cn", "hm.baidu.com", "zz.bdstatic.com", "api.map.baidu.com", "s4.cnzz.com",
    "s9.cnzz.com", "s95.cnzz.com", "c.cnzz.com", "js.users.51.la", "res.wx.qq.com",
    "cdn.bootcdn.net", "cdn.bootcss.com", "lib.baomitu.com", "cdn.jsdelivr.net",
    "unpkg.com", "cdnjs.cloudflare.com", "ajax.googleapis.com", "code.jquery.com",
    "wza.cn", "yunmd.net", "govwza.cn", "jiathis.com", "bshare.cn", "dcs.conac.cn",
)  # fmt: skip

ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"(?![0-9A-Za-z])"
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
MIN_MOBILES = 5
BANK_CARD = re.compile(r"(?:账号|卡号|帐号|账户|开户)[^0-9]{0,12}((?:\d[ -]?){15,18}\d)(?!\d)")


class SecuritySettings(BaseModel):
    """Script hosts the province trusts besides the well-known ones."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    allowed_script_hosts: list[str] = []


def judge(view: RunView, settings: SecuritySettings) -> list[Finding]:
    kept = {
        url: root
        for url, html in view.sources.items()
        if (root := parse_document(html)) is not None
    }
    rendered = {page.url: page for page in view.rendered if not page.error}
    findings = []
    for url in dict.fromkeys([*kept, *rendered]):
        source_found = hidden_in_source(kept[url], view) if url in kept else []
        found = dark_links(url, source_found, rendered.get(url), view)
        findings += [found] if found is not None else []
    titles = {page.url: page.title for page in view.pages}
    for url, text in view.texts():
        title = titles.get(url, "")
        if (found := defaced(url, title, text, rendered.get(url))) is not None:
            findings.append(found)
        if (found := sensitive(url, text)) is not None:
            findings.append(found)
    findings += suspicious_scripts(view, kept, settings)
    findings += tls_findings(view)
    return findings


def pages_to_render(view: RunView) -> list[BrowserPage]:
    """The homepage, where dark links are planted, and the first few pages whose title
    carries gambling, sex or invoice words, to photograph as they show."""
    home = homepage(view.pages)
    chosen = [BrowserPage(home.url, "home", home.facts.layout)] if home is not None else []
    suspect = (page for page in view.pages if page.role == "page" and SPAM.search(page.title))
    for page in islice(suspect, SUSPECT_PAGES_RENDERED):
        chosen.append(BrowserPage(page.url, EVIDENCE_ROLE, page.facts.layout))
    return chosen


#: A certificate this close to its end is a warning.
EXPIRY_WARNING_DAYS = 30
OLD_PROTOCOLS = ("SSLv3", "TLSv1", "TLSv1.1")
CERTIFICATE_PROBLEMS = {
    "expired": "证书已过期",
    "self_signed": "证书为自签名证书，浏览器不信任",
    "name_mismatch": "证书与网站域名不符",
    "untrusted": "证书不是受信任的机构签发的（或缺少中间证书）",
    "other": "证书无法通过浏览器校验",
}


def tls_findings(view: RunView) -> list[Finding]:
    """The HTTPS probe's verdict, and HTTP resources on the site's HTTPS pages."""
    measured = view.tls
    findings = [] if measured is None else certificate_findings(view.site.url, measured)
    return findings + mixed_content(view)


def certificate_findings(url: str, tls: TlsMeasurement) -> list[Finding]:
    evidence = {
        "host": tls.host,
        "port": tls.port,
        "version": tls.version,
        "not_after": tls.not_after,
    }
    if not tls.https:
        return [
            TLS.finding(
                url,
                f"网站未提供可用的 HTTPS 访问：{tls.error}",
                detail={**evidence, "problem": "no_https", "error": tls.error},
                severity="warning",
            )
        ]
    findings = []
    if tls.problem is not None:
        findings.append(
            TLS.finding(
                url,
                f"HTTPS {CERTIFICATE_PROBLEMS[tls.problem]}（{tls.detail}）",
                detail={**evidence, "problem": tls.problem, "reason": tls.detail},
            )
        )
    elif tls.days_left is not None and tls.days_left < EXPIRY_WARNING_DAYS:
        findings.append(
            TLS.finding(
                url,
                f"HTTPS 证书将于 {tls.not_after[:10]} 到期（剩余 {tls.days_left} 天），请及时更换",
                detail={**evidence, "problem": "expiring", "days_left": tls.days_left},
                severity="warning",
            )
        )
    if tls.version in OLD_PROTOCOLS:
        findings.append(
            TLS.finding(
                url,
                f"服务器最高只支持 {tls.version}，低于 TLS 1.2",
                detail={**evidence, "problem": "old_protocol"},
            )
        )
    return findings


def mixed_content(view: RunView) -> list[Finding]:
    """Images, scripts and styles over plain HTTP on the site's HTTPS pages."""
    if not any(page.url.startswith("https://") for page in view.pages):
        return []  # an HTTP site's resources are all plain: nothing is mixed
    insecure = [target for target in view.embedded_targets if target.startswith("http://")]
    pages = []
    for target, links in view.links_to(insecure).items():
        pages += [(link.source, target) for link in links if link.source.startswith("https://")]
    if not pages:
        return []
    return [
        TLS.finding(
            pages[0][0],
            f"{len({page for page, _ in pages})} 个 HTTPS 页面加载了 HTTP 资源（混合内容），"
            "浏览器会拦截或提示不安全",
            detail={
                "problem": "mixed_content",
                "examples": [{"page": page, "resource": target} for page, target in pages[:20]],
            },
            severity="warning",
        )
    ]


def hidden_in_source(root: lxml.html.HtmlElement, view: RunView) -> list[dict]:
    """Links to other sites that the page's source hides by inline style, or that a script
    writes into it."""
    hidden = [
        {
            "href": anchor.get("href", ""),
            "text": " ".join(anchor.text_content().split()),
            "how": "inline_style",
        }
        for anchor in root.iter("a")
        if is_foreign(anchor.get("href", ""), view) and is_hidden(anchor)
    ]
    for script in root.iter("script"):
        for written in WRITTEN.findall(script.text or ""):
            text = " ".join(TAG.sub(" ", written).strip("'\" ").split())
            hrefs = WRITTEN_HREF.findall(written)
            hidden += [
                {"href": href, "text": text, "how": "document_write"}
                for href in hrefs
                if is_foreign(href, view)
            ]
    return hidden


def dark_links(
    url: str, in_source: list[dict], rendered: RenderedPage | None, view: RunView
) -> Finding | None:
    """A page's hidden links to other sites with gambling, sex or invoice words, found in its
    source or its rendering (each once, the rendering's with its screenshot)."""
    seen = {link["href"]: link for link in in_source}
    for link in rendered.hidden_links if rendered is not None else ():
        if is_foreign(link.href, view):
            seen[link.href] = rendered_link(link)
    spam = [
        link for link in seen.values() if SPAM.search(link["text"]) or SPAM.search(link["href"])
    ]
    if not spam:
        return None
    return HIDDEN_LINKS.finding(
        url,
        f"页面中有 {len(spam)} 个隐藏的外部链接，含赌博、色情或代开发票等内容",
        detail={
            "hidden_links": [
                {**link, "how_title": HIDING_NAMES[link["how"]]} for link in spam[:20]
            ],
            "rendered": rendered is not None,
        },
    )


#: How a link is hidden, for people.
HIDING_NAMES = {
    "inline_style": "元素样式隐藏",
    "document_write": "脚本写入",
    "hidden": "样式表隐藏（不显示或透明）",
    "zero_size": "尺寸为零",
    "off_screen": "移出屏幕",
    "tiny_font": "字号为零",
    "same_colour": "文字与背景同色",
    "marquee": "滚动字幕隐藏",
}


def rendered_link(link: HiddenLink) -> dict:
    shown = {"href": link.href, "text": link.text, "how": link.how, "target": link.selector}
    return shown | ({"shot": link.shot} if link.shot else {})


def is_foreign(href: str, view: RunView) -> bool:
    host = host_of(href) if href.startswith(("http://", "https://", "//")) else None
    return bool(host) and host not in site_hosts(view)


def site_hosts(view: RunView) -> set[str]:
    return {host_of(view.site.url), *view.site.hosts}


def is_hidden(element: lxml.html.HtmlElement) -> bool:
    """Hidden by its own inline style or an ancestor's."""
    return any(
        HIDING_STYLE.search(node.get("style") or "") for node in [element, *element.iterancestors()]
    )


def defaced(
    url: str, title: str, text: str, rendered: RenderedPage | None = None
) -> Finding | None:
    in_title = SPAM.findall(title)
    advertised = {
        match.group(0)
        for match in SPAM.finditer(text)
        if not WARNING_WORDS.search(
            text, max(0, match.start() - WARNING_REACH), match.end() + WARNING_REACH
        )
    }
    if not in_title and len(advertised) < MIN_SPAM_WORDS:
        return None
    words = sorted(set(in_title) | advertised)
    where = "标题" if in_title else "正文"
    return DEFACED.finding(
        url,
        f"页面{where}出现“{'、'.join(words[:5])}”等赌博、色情或代开发票内容，疑似被篡改",
        detail={
            "words": words,
            "in_title": bool(in_title),
            "title": title,
            "shot": rendered.picture if rendered is not None else None,
        },
    )


def sensitive(url: str, text: str) -> Finding | None:
    ids = {number for number in ID_NUMBER.findall(text) if valid_id(number)}
    cards = {re.sub(r"[ -]", "", number) for number in BANK_CARD.findall(text)}
    cards = {number for number in cards if luhn(number)}
    mobiles = set(MOBILE.findall(text))
    listed_mobiles = mobiles if len(mobiles) >= MIN_MOBILES else set()
    if not (ids or cards or listed_mobiles):
        return None
    parts = [
        f"身份证号 {len(ids)} 个（如 {mask(min(ids))}）" if ids else "",
        f"银行账号 {len(cards)} 个（如 {mask(min(cards))}）" if cards else "",
        f"手机号码 {len(listed_mobiles)} 个（如 {mask(min(listed_mobiles))}）"
        if listed_mobiles
        else "",
    ]
    return SENSITIVE.finding(
        url,
        f"页面公开了{'、'.join(filter(None, parts))}，应去标识化处理",
        detail={
            "id_numbers": len(ids),
            "bank_accounts": len(cards),
            "mobiles": len(listed_mobiles),
            "examples": sorted(mask(number) for number in [*ids, *cards, *listed_mobiles])[:5],
        },
        severity=None if ids or cards else "warning",  # a list of mobiles: for review
    )


def valid_id(number: str) -> bool:
    """Whether an 18-digit 身份证号 passes its ISO 7064 MOD 11-2 check digit."""
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17].upper()


def luhn(number: str) -> bool:
    digits = [int(digit) for digit in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * digit, 10)) for digit in digits[1::2])
    return total % 10 == 0


def mask(number: str) -> str:
    """The number with all but its first three and last two characters hidden."""
    return number[:3] + "*" * (len(number) - 5) + number[-2:]


def suspicious_scripts(
    view: RunView, kept: dict[str, lxml.html.HtmlElement], settings: SecuritySettings
) -> list[Finding]:
    own = site_hosts(view)
    trusted = (*WELL_KNOWN_SCRIPT_HOSTS, *settings.allowed_script_hosts)
    # the hosts first: a site's own assets are linked from every page, thousands of links each
    outside = [
        target
        for target in view.embedded_targets
        if (host := external_host(target)) and host not in own and not is_trusted(host, trusted)
    ]
    foreign = {}
    for target, links in view.links_to(outside).items():
        by_script = [link for link in links if link.element == "script"]
        if by_script:
            foreign[target] = by_script[0].source
    packed = [url for url, root in kept.items() if inline_obfuscated(root)]
    if not foreign and not packed:
        return []
    return [
        SCRIPT.finding(
            view.site.url,
            f"{len(foreign)} 个外部主机的脚本、{len(packed)} 个页面有混淆的内嵌脚本，请人工核查",
            detail={
                "scripts": [{"src": src, "page": page} for src, page in sorted(foreign.items())][
                    :30
                ],
                "obfuscated_pages": packed[:30],
            },
        )
    ]


def external_host(target: str) -> str | None:
    if not target.startswith(("http://", "https://")):
        return None
    return (urlsplit(target).hostname or "").lower() or None


def is_trusted(host: str, trusted: tuple[str, ...]) -> bool:
    return any(
        host == name.lstrip(".") or host.endswith("." + name.lstrip(".")) for name in trusted
    )


def inline_obfuscated(root: lxml.html.HtmlElement) -> bool:
    return any(
        OBFUSCATED.search(script.text or "")
        for script in root.iter("script")
        if not script.get("src")
    )


FAMILY = Family(
    name="security",
    rules=(HIDDEN_LINKS, DEFACED, SCRIPT, TLS, SENSITIVE),
    judge=judge,
    settings=SecuritySettings,
    needs=Needs(tls=True, browser=pages_to_render, suspect_words=SPAM.pattern),
    figures=(Figure("security", "安全"),),
)

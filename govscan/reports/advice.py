"""How to fix a finding, in a sentence a supervisor can pass on: by rule id, or ``prefix.*``
for a family's rules; a rule named nowhere (a plugin's) gets the general advice."""

from __future__ import annotations

from govscan.checks.scoring import most_specific

GENERAL = "请对照问题说明逐项整改，整改后自查确认。"
ADVICE = {
    "links.broken": "恢复链接指向的页面，或更正、删除该链接。",
    "links.soft404": "链接指向的页面已不存在：更正链接地址或删除该链接。",
    "links.intranet": "删除指向内网地址的链接，内部系统不应在公开网站上提供入口。",
    "links.too_large": "压缩或拆分过大的页面和文件，便于公众打开。",
    "links.rate_limited": "将检查单位的访问地址列入访问频率限制的白名单后复查。",
    "home.stale": "及时更新首页动态、要闻类信息，两周内应有更新。",
    "columns.stale": "按要求更新该栏目；长期无内容可更新的栏目应归并或关闭。",
    "columns.empty": "补充栏目内容，或删除空白栏目。",
    "columns.missing": "按要求开设该栏目，并放在便于查找的位置。",
    "columns.outside_navigation": "将该入口放入网站导航栏。",
    "identity.*": "按《政府网站发展指引》在网站底部功能区规范展示该项内容。",
    "disclosure.attribute_missing": "为政府信息标注公开属性（主动公开、依申请公开或不予公开）。",
    "disclosure.restricted_published": "立即撤下不应公开的文件，并按程序复核公开审查。",
    "disclosure.no_download": "为规范性文件提供可下载的版本。",
    "content.serious_error": "立即更正严重表述错误，并排查同类页面。",
    "content.typo": "更正错别字，发布前加强校对。",
    "content.text_cut": "页面过长，仅检查了开头部分：请人工核对其余内容。",
    "interpretation.missing": "为政策文件同步发布解读，并与文件相互链接。",
    "interpretation.late": "政策文件发布后 3 个工作日内发布解读。",
    "services.guide_incomplete": "补全办事指南缺少的要素。",
    "services.attachment_broken": "修复办事指南的附件，确保可以下载。",
    "services.online_unreachable": "修复在线办理入口，或更换为可用的办理地址。",
    "interaction.unanswered": "尽快答复积压的留言。",
    "interaction.slow": "在规定时限内答复留言。",
    "interaction.missing": "开设可用的互动交流渠道（如领导信箱、在线咨询）。",
    "interaction.survey_no_result": "公布调查征集的结果。",
    "security.hidden_links": "立即删除暗链，排查网站被入侵的原因并修复漏洞。",
    "security.defaced": "立即下线被篡改的页面，排查并修复安全漏洞。",
    "security.suspicious_script": "核实并删除来历不明的脚本。",
    "security.tls": "配置有效的 HTTPS 证书和安全的加密协议。",
    "security.sensitive_data": "对页面中的个人信息作去标识化处理（如隐去身份证号中间位数）。",
    "ipv6.*": "协调网站托管单位和网络运营单位开通 IPv6 访问（域名解析、服务器和页面资源）。",
    "a11y.*": "按无障碍标准修改页面（如为图片添加替代文字、为表单添加标签、提高文字对比度）。",
    "eldercare.entrance_missing": "在首页显著位置提供无障碍或关怀版入口。",
    "eldercare.popup": "去除遮挡内容的弹窗和漂浮窗，或提供明显的关闭按钮。",
    "eldercare.reflow": "调整页面布局，使页面放大到 200% 时无需横向滚动。",
    "eldercare.small_text": "调大正文字号，使其不小于要求的字号。",
    "newmedia.zombie": "恢复账号正常更新，或按程序关停注销。",
    "newmedia.shell": "发布信息，或按程序关停注销空壳账号。",
    "newmedia.stale": "尽快发布信息，避免超期未更新。",
    "newmedia.archive_unreachable": "核实账号的归档地址，确保可以读取。",
    "newmedia.deleted_posts": "核实被删除或无法查看的信息并说明原因。",
    "newmedia.serious_error": "立即更正信息标题中的严重表述错误。",
    "newmedia.typo": "更正信息标题中的错别字。",
    "newmedia.mismatch": "核对台账中的账号信息，使之与实际账号一致。",
    "newmedia.unregistered": "按要求报备该账号，或按程序关停注销。",
    "availability.unreachable": "尽快恢复网站访问，排查服务器和网络故障。",
}


def advice(rule_id: str) -> str:
    """The advice of the most specific entry for ``rule_id``."""
    key = most_specific(ADVICE, rule_id)
    return ADVICE[key] if key else GENERAL

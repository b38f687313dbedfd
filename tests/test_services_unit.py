"""The services family from guides' texts, their links and what fetching them gave."""

from __future__ import annotations

from views import fetch, link, page, url, view

from govscan.checks.family import NoSettings
from govscan.checks.services import judge

#: A guide as 政务服务 platforms print one (江西 and 浙江 guides use these labels).
FULL_GUIDE = (
    "事项名称：个体工商户设立登记 设定依据：《促进个体工商户发展条例》第八条 "
    "申请条件：有经营能力的公民 申请材料：1.个体工商户登记（备案）申请书（下载） "
    "办理地点：苍山州政务服务中心一楼3号窗口 办理时间：周一至周五 9:00-17:00 "
    "实施机关：苍山州市场监督管理局 收费标准：不收费 咨询电话：0879-1234567 "
    "办理流程：申请—受理—审查—决定—送达"
)


def guide(path: str = "/bsfw/bszn/1.html", title: str = "个体工商户设立登记办事指南"):
    return page(path, title=title)


def test_a_guide_with_every_element_passes():
    assert judge(view([guide()], texts={url("/bsfw/bszn/1.html"): FULL_GUIDE}), NoSettings()) == []


def test_a_guide_without_some_elements_names_them():
    text = FULL_GUIDE.replace("收费标准：不收费 ", "").replace(
        "办理流程：申请—受理—审查—决定—送达", ""
    )
    [found] = judge(view([guide()], texts={url("/bsfw/bszn/1.html"): text}), NoSettings())
    assert (found.rule, found.severity) == ("services.guide_incomplete", "deduction")
    assert found.detail["missing"] == ["收费标准", "办理流程"]
    assert found.message == "办事指南“个体工商户设立登记办事指南”缺少：收费标准、办理流程"


def test_a_page_is_a_guide_by_its_vocabulary_and_a_news_page_is_not():
    untitled = guide("/bsfw/2.html", title="个体工商户设立登记")
    half = "设定依据：条例 申请条件：公民 申请材料：申请书 办理地点：一楼窗口"
    news = page("/xwdt/3.html", title="州政务服务中心延长办理时间")
    texts = {url("/bsfw/2.html"): half, url("/xwdt/3.html"): "即日起办理时间延长至晚上八点。"}
    [found] = judge(view([untitled, news], texts=texts), NoSettings())
    assert found.url == url("/bsfw/2.html")
    assert found.detail["missing"] == ["办理时间", "办理机构", "收费标准", "联系电话", "办理流程"]


def test_a_form_that_does_not_download_and_a_dead_online_entrance():
    links = [
        link("/bsfw/bszn/1.html", "/files/sqs.docx", "个体工商户登记（备案）申请书"),
        link("/bsfw/bszn/1.html", "/files/ok.pdf", "一次性告知书"),
        link("/bsfw/", "/zwfw/online", "在线办理"),
        link("/xwdt/4.html", "/files/other.docx", "会议材料"),  # not on a guide
    ]
    fetches = [
        fetch("/files/sqs.docx", 404),
        fetch("/files/ok.pdf", 200),
        fetch("/zwfw/online", None, "refused"),
        fetch("/files/other.docx", 404),
    ]
    run = view(
        [guide()], links=links, fetches=fetches, texts={url("/bsfw/bszn/1.html"): FULL_GUIDE}
    )
    found = {f.rule: f for f in judge(run, NoSettings())}
    assert set(found) == {"services.attachment_broken", "services.online_unreachable"}
    attachment = found["services.attachment_broken"]
    assert (attachment.url, attachment.source) == (url("/files/sqs.docx"), url("/bsfw/bszn/1.html"))
    assert attachment.message == "附件“个体工商户登记（备案）申请书”无法访问：HTTP 404"
    online = found["services.online_unreachable"]
    assert online.message == "在线办理入口“在线办理”无法访问：连接被拒绝"


def test_a_unit_without_public_services_is_not_judged():
    run = view([guide()], texts={url("/bsfw/bszn/1.html"): "办事指南"}, external_services=False)
    assert judge(run, NoSettings()) == []


def test_a_homepages_service_tabs_are_labels_without_values_not_a_guide():
    """科技部's homepage lists the elements as the tabs of its 办事服务 box (tests/corpus)."""
    tabs = (
        "申报咨询 | 计划年度报告 适用范围 设定依据 申请条件 办理材料 办理地点 办理时间 "
        "联系电话 办理流程 服务指南"
    )
    assert judge(view([page("/bsfw/")], texts={url("/bsfw/"): tabs}), NoSettings()) == []

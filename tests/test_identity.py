"""Identity marks: the homepage in full, a sample of pages, and the real pages of the corpus."""

from __future__ import annotations

import pytest
import yaml
from portal import SITE_CODE, UNIT, gov_page, scan_args
from servers import http_site

from govscan.checks.identity import homepage_findings, icp_problem
from govscan.checks.marks import read_marks
from govscan.store.models import Site

SITE = Site(id="csz", name="苍山州人民政府", unit=UNIT, site_code=SITE_CODE, profile="portal")


def problems(html: str, site: Site = SITE) -> dict[str, str]:
    """What the homepage check says of a page: {rule: problem}."""
    found = homepage_findings(site, read_marks(html), "http://www.csz.gov.cn/")
    return {f.rule: f.detail["problem"] for f in found}


def test_a_complete_footer_passes():
    assert problems(gov_page("首页", "<p>欢迎</p>")) == {}


@pytest.mark.parametrize(
    "rule",
    [
        "identity.site_code",
        "identity.icp",
        "identity.psb",
        "identity.conac",
        "identity.jiucuo",
        "identity.sitemap",
        "identity.contact",
        "identity.sponsor",
    ],
)
def test_each_missing_mark_is_named(rule):
    assert problems(gov_page("首页", "<p>欢迎</p>", rule)) == {rule: "missing"}


@pytest.mark.parametrize(
    ("replace", "rule", "problem"),
    [
        (
            {"identity_site_code": "<span>网站标识码：532900001</span>"},
            "identity.site_code",
            "malformed",
        ),
        (
            {"identity_site_code": "<span>网站标识码：5329000002</span>"},
            "identity.site_code",
            "mismatch",
        ),
        ({"identity_icp": "<span>滇ICP备05001234号-1</span>"}, "identity.icp", "unlinked"),
        (
            {
                "identity_psb": "<a href='http://www.beian.gov.cn/portal/registerSystemInfo?"
                "recordcode=53290202000009'>滇公网安备 53290202000001号</a>"
            },
            "identity.psb",
            "mismatch",
        ),
        (
            {
                "identity_jiucuo": "<script id='_jiucuo_' sitecode='5329000010' "
                "src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'></script>"
            },
            "identity.jiucuo",
            "mismatch",
        ),
        (
            {"identity_sponsor": "<p>主办单位：云栖县人民政府办公室</p>"},
            "identity.sponsor",
            "mismatch",
        ),
    ],
)
def test_wrong_marks(replace, rule, problem):
    assert problems(gov_page("首页", "<p>欢迎</p>", **replace)) == {rule: problem}


def test_site_code_text_and_meta_must_agree():
    html = gov_page("首页", "<p>欢迎</p>").replace(f"content='{SITE_CODE}'", "content='5329000009'")
    assert problems(html) == {"identity.site_code": "mismatch"}


def test_homepage_and_sampled_pages_of_a_scanned_site(scan, tmp_path):
    routes = {
        "/": gov_page(
            "苍山州人民政府",
            "<a href='/a.html'>文章一</a><a href='/b.html'>文章二</a><a href='/c.html'>文章三</a>"
            "<iframe src='/survey.html'></iframe>",
            "identity.sitemap",
        ),
        "/a.html": gov_page("文章一", "<p>正文</p>", "identity.icp"),
        "/b.html": gov_page("文章二", "<p>正文</p>", "identity.psb", "identity.conac"),
        "/c.html": gov_page("文章三", "<p>正文</p>"),
        "/survey.html": "<html><body><form>满意度调查</form></body></html>",  # inside the homepage
    }
    with http_site(routes) as site:
        inventory = tmp_path / "sites.yaml"
        entry = {"id": "csz", "name": "苍山州人民政府", "url": site.url, "unit": UNIT}
        inventory.write_text(
            yaml.safe_dump({"sites": [{**entry, "site_code": SITE_CODE}]}, allow_unicode=True),
            encoding="utf-8",
        )
        output = scan("--config", str(inventory), *scan_args(site.url, checks="identity")[1:])
    found = {
        (f["rule"], f["detail"]["page"]): f
        for f in output.findings()
        if f["rule"].startswith("identity")
    }
    assert set(found) == {
        ("identity.sitemap", "homepage"),
        ("identity.icp", "sample"),
        ("identity.psb", "sample"),
        ("identity.conac", "sample"),
    }
    assert found["identity.icp", "sample"]["detail"]["pages"] == [site.url_for("/a.html")]
    assert found["identity.psb", "sample"]["detail"]["sampled"] == 3  # the iframe's page is not one


CORPUS_MARKS = {
    "wanzai-2023-article.html": ("3609220011", "万载县人民政府"),
    "wanzai-2016-article.html": ("3609220011", "万载县人民政府"),
    "yichun-2023-article.html": ("3609000002", "宜春市人民政府"),
    "yichun-jiangxi-2023-article.html": ("3609000002", "宜春市人民政府"),
}


@pytest.mark.parametrize("name", sorted(CORPUS_MARKS))
def test_real_pages_pass_the_footer_marks(corpus, name):
    code, unit = CORPUS_MARKS[name]
    html = (corpus / "gov-pages" / name).read_text(encoding="utf-8")
    site = Site(id="real", name=unit, unit=unit, site_code=code, profile="county")
    found = problems(html, site)
    required = ("site_code", "icp", "psb", "conac", "jiucuo", "sitemap", "sponsor")
    assert not {f"identity.{rule}" for rule in required} & set(found), found


def test_an_icp_number_without_its_closing_hao_is_well_formed():
    footer = "<a href='https://beian.miit.gov.cn/'>浙ICP备05006046</a>"
    marks = read_marks(f"<html><body><div class='footer'>{footer}</div></body></html>")
    assert marks.icp == "浙ICP备05006046"
    assert icp_problem(marks) is None

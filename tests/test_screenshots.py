"""Evidence a supervisor can see: real Chromium photographs a pop-up, a page that does not
reflow, a contrast failure, dark links (shown and outlined) and a defaced page's first screen;
the report and the bulletin show each picture beside its finding, lazily and size-bounded."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from portal import PARAGRAPH, accessible_page
from servers import http_site

MODAL = (
    "<div id='notice' style='position:fixed;left:240px;top:150px;width:800px;height:500px;"
    "background:#fff;border:2px solid #333'><p>关于开展政务公开满意度调查的公告</p></div>"
)
LOW_CONTRAST = "<p style='color:#bbb;background:#fff'>本网站由苍山州人民政府办公室主办。</p>"
#: Dark links a visitor never sees, hidden by the style sheet, not by an inline style: only
#: the rendered page shows that they are hidden.
DARK_LINKS = (
    "<div class='yc'><a href='http://bocai.invalid/'>澳门葡京娱乐城</a></div>"
    "<p class='same'>政务服务<a href='http://xpj.invalid/'>百家乐在线</a></p>"
)
DARK_STYLE = ".yc { position: absolute; left: -9999px; } .same a { color: #fff; }"
#: A 友情链接 menu opened on hover: hidden, foreign, and harmless.
FRIENDLY_MENU = "<ul class='menu'><li><a href='http://www.gov.cn.invalid/'>中国政府网</a></li></ul>"
PAGES = {
    "/e/popup.html": PARAGRAPH + MODAL,
    "/e/wide.html": f"<div id='wide' style='width:1200px'>{PARAGRAPH}</div>",
    "/e/contrast.html": PARAGRAPH + LOW_CONTRAST,
    "/e/fine.html": PARAGRAPH * 3,
}


def home() -> str:
    links = "".join(f"<li><a href='{path}'>文章 {path}</a></li>" for path in PAGES)
    body = f"<ul>{links}</ul>{DARK_LINKS}{FRIENDLY_MENU}<a href='/e/hacked.html'>通知</a>"
    style = f"{DARK_STYLE} .menu {{ display: none; }}"
    return accessible_page("苍山州人民政府", body, style=style)


@pytest.fixture(scope="module")
def shot_scan(module_scan):
    routes = {"/": home()}
    routes.update({path: accessible_page(f"文章 {path}", body) for path, body in PAGES.items()})
    routes["/e/hacked.html"] = accessible_page(
        "澳门葡京娱乐城-百家乐-真人视讯", PARAGRAPH + "<p>澳门葡京 百家乐 真人视讯 首存彩金</p>"
    )
    with http_site(routes) as site:
        output = module_scan(site.url, "--checks", "a11y,eldercare,security")
        yield output, site


def picture(output, key: str) -> Image.Image:
    path = output.out / "shots" / f"{key}.jpg"
    assert path.is_file(), f"{path} was not written"
    image = Image.open(io.BytesIO(path.read_bytes()))
    assert image.format == "JPEG"
    assert image.width <= 1280 and image.height <= 800
    return image.convert("RGB")


def red_share(image: Image.Image) -> float:
    """The share of the picture in the outline's red."""
    data = image.tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    return sum(1 for r, g, b in pixels if r > 190 and g < 70 and b < 70) / (len(data) // 3)


def test_the_popup_is_photographed_with_its_layer_outlined(shot_scan):
    output, site = shot_scan
    [popup] = output.findings("eldercare.popup")
    [page] = popup["detail"]["affected"]
    assert page["url"] == site.url_for("/e/popup.html")
    image = picture(output, page["shot"])
    assert (image.width, image.height) == (1280, 800)  # the whole screen, as a visitor sees it
    assert red_share(image) > 0.002


def test_the_element_that_does_not_reflow_is_photographed_at_200_percent(shot_scan):
    output, _ = shot_scan
    [reflow] = output.findings("eldercare.reflow")
    [page] = reflow["detail"]["affected"]
    image = picture(output, page["shot"])
    assert image.width == 640  # 1280 CSS px at 200 % zoom
    assert red_share(image) > 0.002


def test_a_contrast_failure_is_photographed_around_its_element(shot_scan):
    output, site = shot_scan
    [contrast] = output.findings("a11y.color-contrast")
    [page] = contrast["detail"]["affected"]
    assert page["url"] == site.url_for("/e/contrast.html")
    image = picture(output, page["shot"])
    assert image.height < 300  # the paragraph and a margin, not the page
    assert red_share(image) > 0.01


def test_dark_links_hidden_by_the_style_sheet_are_found_and_shown(shot_scan):
    output, site = shot_scan
    [dark] = output.findings("security.hidden_links")
    assert dark["url"] == site.url_for("/")
    links = {link["href"]: link for link in dark["detail"]["hidden_links"]}
    assert set(links) == {"http://bocai.invalid/", "http://xpj.invalid/"}  # not the 友情链接
    assert links["http://bocai.invalid/"]["how"] == "off_screen"
    assert links["http://xpj.invalid/"]["how"] == "same_colour"
    for link in links.values():
        assert red_share(picture(output, link["shot"])) > 0.01  # shown, then outlined


def test_a_defaced_page_keeps_its_first_screen(shot_scan):
    output, site = shot_scan
    by_url = {found["url"]: found for found in output.findings("security.defaced")}
    defaced = by_url[site.url_for("/e/hacked.html")]
    assert defaced["detail"]["in_title"]
    image = picture(output, defaced["detail"]["shot"])
    assert (image.width, image.height) == (1280, 800)


def test_suspect_pages_are_evidence_not_part_of_the_accessibility_sample(shot_scan):
    output, _ = shot_scan
    tested = output.site["metrics"]["a11y"]["pages_tested"]
    assert tested == len(PAGES) + 1  # the homepage and its articles, not the defaced page


def test_only_the_pictures_the_findings_show_are_kept(shot_scan):
    output, _ = shot_scan
    named = set(re.findall(r'"shot": "([0-9a-f]{16})"', (output.out / "findings.json").read_text()))
    written = {path.stem for path in (output.out / "shots").iterdir()}
    assert written == named


@pytest.mark.parametrize("document", ["report.html", "bulletin.html"])
def test_the_documents_show_each_picture_beside_its_finding(shot_scan, document):
    output, _ = shot_scan
    html = (output.out / document).read_text(encoding="utf-8")
    images = re.findall(r'<img src="shots/([0-9a-f]{16})\.jpg" loading="lazy"[^>]*>', html)
    assert images, "no screenshot shown"
    assert all((output.out / "shots" / f"{key}.jpg").is_file() for key in images)
    assert 'width="320" height="200"' in html

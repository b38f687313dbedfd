"""整改清单 workbooks per unit, the summary workbook and the CSV, from a scan's result."""

from __future__ import annotations

import csv

from openpyxl import load_workbook
from servers import http_site

from govscan.reports.exports import write_all

HOSTILE = '=HYPERLINK("http://evil.example/","点我")'


def finding(rule: str, message: str, url: str, source: str | None = None, **detail) -> dict:
    return {
        "rule": rule,
        "severity": "deduction",
        "url": url,
        "source": source,
        "message": message,
        "detail": detail,
    }


RESULT = {
    "sites": [
        {
            "name": "苍山州人民政府门户网站",
            "unit": "苍山州人民政府办公室",
            "verdict": "合格",
            "score": 97.5,
            "vetoes": [],
            "findings": [
                finding(
                    "links.broken", HOSTILE, "http://www.csz.gov.cn/gone", "http://www.csz.gov.cn/"
                ),
                finding(
                    "identity.sitemap", "缺少网站地图", "http://www.csz.gov.cn/", waived="页头已有"
                ),
            ],
        },
        {
            "name": "苍山州发改委网站",
            "unit": "苍山州发展和改革委员会",
            "verdict": "不合格",
            "score": 100.0,
            "vetoes": ["home.stale"],
            "findings": [
                {
                    **finding("home.stale", "首页 30 天未更新", "http://fgw.csz.gov.cn/"),
                    "severity": "veto",
                },
            ],
        },
    ],
    "accounts": [
        {
            "name": "苍山交通",
            "unit": "苍山州人民政府办公室",
            "verdict": "不合格",
            "score": 100.0,
            "vetoes": ["newmedia.zombie"],
            "findings": [
                {
                    **finding(
                        "newmedia.zombie",
                        "微信公众号「苍山交通」已 30 天未更新",
                        "http://feeds/zombie.xml",
                    ),
                    "severity": "veto",
                },
            ],
        },
    ],
}


def rows(path) -> list[tuple]:
    return list(load_workbook(path).active.iter_rows(values_only=True))


def test_one_rectification_list_per_unit_without_waived_findings(tmp_path):
    write_all(RESULT, tmp_path)
    office = rows(tmp_path / "xlsx" / "苍山州人民政府办公室-整改清单.xlsx")
    assert office[0] == (
        "序号",
        "网站/账号",
        "问题类型",
        "问题说明",
        "问题地址",
        "所在页面",
        "严重程度",
        "整改期限",
        "整改情况",
    )
    assert [row[:3] for row in office[1:]] == [
        (1, "苍山州人民政府门户网站", "链接不可用"),
        (2, "苍山交通", "账号不更新（僵尸账号）"),
    ]
    assert office[2][6] == "单项否决"
    assert sorted(p.name for p in (tmp_path / "xlsx").iterdir()) == [
        "苍山州人民政府办公室-整改清单.xlsx",
        "苍山州发展和改革委员会-整改清单.xlsx",
    ]


def test_crawled_text_never_becomes_a_formula(tmp_path):
    write_all(RESULT, tmp_path)
    sheet = load_workbook(tmp_path / "xlsx" / "苍山州人民政府办公室-整改清单.xlsx").active
    assert (sheet["D2"].value, sheet["D2"].data_type) == (HOSTILE, "s")
    with (tmp_path / "findings.csv").open(encoding="utf-8-sig", newline="") as file:
        lines = list(csv.reader(file))
    assert lines[1][5] == "'" + HOSTILE


def test_summary_and_csv_cover_every_site_and_account(tmp_path):
    write_all(RESULT, tmp_path)
    # 问题数 counts what the unit must fix: the waived sitemap finding is in the CSV only
    assert rows(tmp_path / "汇总.xlsx")[1:] == [
        ("苍山州人民政府办公室", "苍山州人民政府门户网站", "网站", "合格", 97.5, None, 1),
        ("苍山州发展和改革委员会", "苍山州发改委网站", "网站", "不合格", 100, "home.stale", 1),
        ("苍山州人民政府办公室", "苍山交通", "政务新媒体", "不合格", 100, "newmedia.zombie", 1),
    ]
    with (tmp_path / "findings.csv").open(encoding="utf-8-sig", newline="") as file:
        lines = list(csv.reader(file))
    assert [line[2] for line in lines[1:]] == [
        "links.broken",
        "identity.sitemap",
        "home.stale",
        "newmedia.zombie",
    ]
    assert lines[2][8] == "页头已有"


def test_a_scan_writes_the_exports(scan):
    with http_site({"/": "<html><title>首页</title><a href='/gone'>旧页</a></html>"}) as site:
        output = scan(site.url, "--checks", "links")
    [workbook] = (output.out / "xlsx").iterdir()
    assert workbook.name == "（未登记）-整改清单.xlsx"
    assert rows(workbook)[1][4] == site.url_for("/gone")
    assert (output.out / "findings.csv").exists() and (output.out / "汇总.xlsx").exists()

"""Command-line mistakes get a Chinese message and exit status 2, before anything is crawled."""

from __future__ import annotations

import pytest

from govscan.cli import main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "请给出要扫描的网址"),
        (["ftp://www.csz.gov.cn/"], "网址不正确"),
        (["http://www.csz.gov.cn/", "--checks", "links,ipv7"], "未知的检查项：ipv7"),
        (["http://www.csz.gov.cn/", "--max-pages", "0"], "--max-pages 取值不正确"),
        (["http://www.csz.gov.cn/", "--resolve", "www.csz.gov.cn"], "--resolve 应写作"),
        (["http://www.csz.gov.cn/", "--nameserver", "dns.example"], "DNS 服务器应写作"),
    ],
)
def test_usage_errors(args, message, capsys, db_url):
    assert main(["scan", *args]) == 2
    assert message in capsys.readouterr().err

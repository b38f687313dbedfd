"""The DNS options a user gives (``--resolve``, ``--nameserver``), parsed without Scrapy.

Kept apart from the resolver so that the command line can check them without loading
Scrapy and Twisted into the parent process.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence


def parse_overrides(pairs: Sequence[str]) -> dict[str, list[str]]:
    """``["www.a.gov.cn:127.0.0.1", "www.a.gov.cn:::1"]`` → ``{"www.a.gov.cn": [...]}``."""
    overrides: dict[str, list[str]] = {}
    for pair in pairs:
        host, _, address = pair.partition(":")
        address = address.strip("[]")
        try:
            ipaddress.ip_address(address)
        except ValueError:
            address = ""
        if not host or not address:
            raise ValueError(
                f"--resolve 应写作 主机名:IP地址，如 www.a.gov.cn:127.0.0.1（收到 {pair}）"
            )
        overrides.setdefault(host.lower(), []).append(address)
    return overrides


def parse_nameserver(spec: str) -> tuple[str, int]:
    """``"127.0.0.1:5353"`` → ``("127.0.0.1", 5353)``; ``"[::1]:53"`` and bare addresses too."""
    if spec.startswith("["):
        address, _, port = spec[1:].partition("]:")
    elif spec.count(":") == 1:
        address, _, port = spec.partition(":")
    else:
        address, port = spec, ""
    try:
        ipaddress.ip_address(address.strip("[]"))
        return address.strip("[]"), int(port or 53)
    except ValueError:
        raise ValueError(
            f"DNS 服务器应写作 IP 或 IP:端口，如 223.5.5.5 或 127.0.0.1:5353（收到 {spec}）"
        ) from None

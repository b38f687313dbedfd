"""One problem across runs and files: its key (rule and URL), the 编号 a 整改清单 row
carries, and the answers a unit may give about it."""

from __future__ import annotations

from urllib.parse import urlsplit

from govscan.store.claims import ACCOUNT, SITE

#: What the unit answers in 整改情况: a dropdown, so that the lists come back comparable.
PROGRESS = ("未整改", "整改中", "已整改", "无法整改")
DONE = "已整改"
CODE_SEPARATOR = "|"  # never in a subject id (see govscan.store.inventory)


def problem_key(finding: dict) -> tuple[str, str]:
    """The same problem in two runs: its rule and URL (the port aside: the sample portal
    is served on a new one each time). An invalid link's URL is its href as written."""
    try:
        parts = urlsplit(finding["url"])
        return finding["rule"], parts._replace(netloc=parts.hostname or "").geturl()
    except ValueError:  # http://[bad, http://host:99999/
        return finding["rule"], finding["url"]


def finding_code(kind: str, subject_id: str, finding: dict) -> str:
    """The 编号 of a 整改清单 row: which site or account, rule and URL — what the returned
    list is matched by, however the unit sorted its rows."""
    return CODE_SEPARATOR.join((kind, subject_id, *problem_key(finding)))


def parse_code(code: str) -> tuple[str, str, str, str] | None:
    """(kind, subject id, rule, URL) of a 编号; None when it is not one."""
    parts = code.split(CODE_SEPARATOR, 3)
    if len(parts) != 4 or parts[0] not in (SITE, ACCOUNT) or not all(parts):
        return None
    return parts[0], parts[1], parts[2], parts[3]

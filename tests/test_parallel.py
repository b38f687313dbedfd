"""Many sites at once, politely: sites are crawled side by side, two sites on one address
share its per-address limit, and no host ever gets more requests at once than its own."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from servers import http_site, inventory_of, linked_pages, most_at_once

from govscan.cli import main
from govscan.parallel import Admission, Slot
from govscan.store.inventory import SiteEntry

PAGES = 12
DELAY = 0.5  # seconds each page takes to answer: a slow government server


def overlap(first: list[tuple[float, float]], second: list[tuple[float, float]]) -> bool:
    return max(s for s, _ in first) > min(s for s, _ in second) and max(s for s, _ in second) > min(
        s for s, _ in first
    )


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """Three sites: a and b on one address (one platform's server), c on another, scanned
    three at once with 2 requests per host and 2 per address."""
    folder = tmp_path_factory.mktemp("night")
    with ExitStack() as stack:
        servers = {
            "a": stack.enter_context(http_site(linked_pages("甲县", PAGES, DELAY), "127.0.0.2")),
            "b": stack.enter_context(http_site(linked_pages("乙县", PAGES, DELAY), "127.0.0.2")),
            "c": stack.enter_context(http_site(linked_pages("丙县", PAGES, DELAY), "127.0.0.3")),
        }
        text, resolve = inventory_of(servers)
        inventory = folder / "sites.yaml"
        inventory.write_text(text, encoding="utf-8")
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("GOVSCAN_DB", f"sqlite:///{folder / 'govscan.db'}")
            polite = ["--parallel", "3", "--concurrency", "2", "--per-ip", "2"]
            out = ["--checks", "links", "--out", str(folder / "out")]
            code = main(["scan", "--config", str(inventory), *out, *polite, *resolve])
        yield code, {name: site.server.spans for name, site in servers.items()}, servers


def test_every_site_is_scanned_in_full(night):
    code, _, servers = night
    assert code == 0
    for site in servers.values():
        assert [site.count("GET", f"/p{n}.html") for n in range(PAGES)] == [1] * PAGES


def test_sites_on_one_address_share_its_limit(night):
    _, spans, servers = night
    assert most_at_once(spans["a"] + spans["b"]) <= 2  # the platform's address: 2 in all
    assert servers["a"].server.max_active == 1  # each its share: 2 // 2 sites
    assert servers["b"].server.max_active == 1
    assert servers["c"].server.max_active == 2  # alone on its address: the host's limit


def test_sites_are_crawled_side_by_side(night):
    _, spans, _ = night
    assert overlap(spans["a"], spans["c"])
    assert overlap(spans["a"], spans["b"])  # within the shared address's limit


def slot(name: str, addresses: set[str], concurrency: int) -> Slot:
    site = SiteEntry(id=name, name=name, url=f"http://{name}.gov.test/", unit="单位")
    return Slot(site, frozenset(addresses), concurrency)


def test_a_site_waits_while_its_address_is_full_and_others_go_ahead():
    admission = Admission(parallel=3, per_ip=4)
    first, second, other = (
        slot("a", {"10.0.0.1"}, 4),
        slot("b", {"10.0.0.1"}, 2),
        slot("c", {"10.0.0.2"}, 4),
    )
    admission.start(first)
    assert admission.next([second, other]) is other  # 4 + 2 would pass 4 on 10.0.0.1
    admission.start(other)
    admission.finish(first)
    assert admission.next([second]) is second
    admission.start(second)
    admission.start(slot("d", {"10.0.0.3"}, 4))
    assert admission.next([slot("e", set(), 4)]) is None  # three at once already

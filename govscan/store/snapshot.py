"""The typed view of a run (``govscan.store.view``), read from what the crawl and the probes
stored; built once per run, and again with the probes' results once they have measured."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import Engine

from govscan.store.availability import probe_counts
from govscan.store.inventory import ColumnEntry
from govscan.store.records import PageRecord
from govscan.store.runs import RunData, get_site
from govscan.store.view import (
    Attempt,
    Availability,
    Fetch,
    IPv6Measurement,
    KnownAccount,
    Link,
    Page,
    PageFacts,
    ProbeCounts,
    ProbeFailure,
    RenderedPage,
    RunInfo,
    RunView,
    SiteInfo,
    TlsMeasurement,
    measured,
)


def load_view(engine: Engine, run_id: int, probe_window: timedelta | None = None) -> RunView:
    """The run as its crawl and probes left it; with the scheduler's probes of the homepage
    over ``probe_window`` before the scan, when a family asks for them."""
    data = RunData(engine, run_id)
    site = get_site(engine, data.site_id)
    options = data.options
    sources = data.sources()
    view = RunView(
        site=SiteInfo(
            id=site.id,
            name=site.name,
            url=site.url,
            unit=site.unit,
            site_code=site.site_code,
            profile=site.profile,
            hosts=tuple(site.hosts or ()),
        ),
        run=RunInfo(
            id=run_id,
            started_at=data.started_at,
            timezone=options["timezone"],
            sample_pages=options["sample_pages"],
            columns=tuple(ColumnEntry(**column) for column in options.get("columns", [])),
            known_accounts=tuple(KnownAccount(**a) for a in options.get("known_accounts", [])),
            external_services=options.get("external_services", True),
        ),
        pages=tuple(page_of(record, sources.get(record.url)) for record in data.pages()),
        fetches=tuple(
            Fetch(f.url, f.method, f.status, f.error_kind, f.error, f.final_url, f.elapsed_ms)
            for f in data.fetches()
        ),
        link_targets=tuple(data.link_targets()),
        embedded_targets=tuple(data.embedded_targets()),
        read_texts=data.texts,
        lookup_links=lambda targets: {
            target: tuple(Link(r.target, r.element, r.anchor, r.count, r.source) for r in found)
            for target, found in data.links_to(targets).items()
        },
    )
    return with_measurements(engine, view, probe_window)


def page_of(record: PageRecord, html: str | None) -> Page:
    facts = PageFacts.of(record.facts)
    return Page(*(getattr(record, name) for name in PAGE_FIELDS), facts=facts, html=html)


PAGE_FIELDS = ("url", "role", "depth", "title", "excerpt", "text_length")


def with_measurements(
    engine: Engine, view: RunView, probe_window: timedelta | None = None
) -> RunView:
    """The view with what the probes measured (read again: they write during the scan)."""
    data = RunData(engine, view.run.id)
    metrics = data.metrics()
    ipv6 = metrics.get("ipv6")
    return replace(
        view,
        rendered=tuple(measured(RenderedPage, result) for result in data.rendered()),
        ipv6=measured(IPv6Measurement, ipv6) if ipv6 is not None else None,
        tls=measured(TlsMeasurement, metrics["tls"]) if "tls" in metrics else None,
        availability=Availability(
            probes=probes_before(engine, view, probe_window) if probe_window else ProbeCounts(),
            attempts=tuple(Attempt(**a) for a in scan_attempts(metrics.get("availability", {}))),
        ),
    )


def scan_attempts(measured_availability: dict) -> list[dict]:
    """The scan's own attempts at a homepage that did not answer, when they decide."""
    if measured_availability.get("evidence") != "scan_attempts":
        return []
    return measured_availability["attempts"]


def probes_before(engine: Engine, view: RunView, window: timedelta) -> ProbeCounts:
    started = view.run.started_at
    counts = probe_counts(engine, view.site.id, started - window, started)
    examples = tuple(ProbeFailure(**example) for example in counts["examples"])
    return ProbeCounts(counts["probes"], counts["failed"], examples)

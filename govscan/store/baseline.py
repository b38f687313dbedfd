"""What an incremental crawl may reuse of the site's last completed run: the validators of its
pages, to ask whether they changed, and the link checks that were fine not long ago.

Only what the checks would read exactly as a new download gives is offered: a page stored
by another version of the page reader, without its text, with its text cut, or reached
through a redirect is downloaded again, and so is every link whose check failed.
"""

from __future__ import annotations

import dbm.dumb
from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import groupby
from pathlib import Path

from sqlalchemy import Engine, func, select

from govscan.outcomes import COMPLETED
from govscan.store.models import Fetch, Link, Page, Run
from govscan.store.records import CACHED, REVALIDATED, Baseline, FetchRecord, PriorPage, pack
from govscan.store.runs import get_run, latest_runs
from govscan.store.view import now

#: Where the crawl keeps, with the run, how much it reused (``incremental_metrics``).
METRIC = "incremental"


def load_baseline(
    engine: Engine, run_id: int, reader: str, link_ttl_days: float, folder: Path
) -> Baseline | None:
    """The last completed run of the run's site and start URL, when its pages were read by
    the same ``reader``; None for a first scan. Its pages' links are written to ``folder``."""
    run = get_run(engine, run_id)
    prior = last_completed(engine, run)
    if prior is None or (prior.metrics or {}).get(METRIC, {}).get("reader") != reader:
        return None
    baseline = Baseline(prior.id, str(folder / "links"))
    baseline.pages = prior_pages(engine, prior.id)
    write_page_links(engine, prior.id, baseline.pages.keys(), baseline.links_file)
    baseline.checks = fine_checks(engine, prior, now() - timedelta(days=link_ttl_days))
    return baseline


def last_completed(engine: Engine, run: Run) -> Run | None:
    """The site's last completed run, if it started from the same URL (sites scanned by
    address alone share an id by host)."""
    [prior] = latest_runs(engine, run.site_id, (COMPLETED,), 1) or [None]
    return prior if prior is not None and prior.options.get("url") == run.options["url"] else None


def prior_pages(engine: Engine, run_id: int) -> dict[str, PriorPage]:
    """The run's pages fetched in one GET that answered 2xx with a validator, whose text was
    kept whole."""
    query = (
        select(
            Fetch.url,
            Fetch.status,
            Fetch.etag,
            Fetch.last_modified,
            Page.html.is_not(None).label("has_html"),
            Page.facts,
        )
        .join(Page, (Page.run_id == Fetch.run_id) & (Page.url == Fetch.url))
        .where(
            Fetch.run_id == run_id,
            Fetch.method == "GET",
            Fetch.status.between(200, 299),
            Fetch.error_kind.is_(None),
            Fetch.final_url.is_(None),
            (Fetch.etag.is_not(None)) | (Fetch.last_modified.is_not(None)),
            Page.text.is_not(None),
            Page.role != "notfound_probe",
        )
    )
    with engine.connect() as connection:
        return {
            row.url: PriorPage(row.status, row.etag, row.last_modified, bool(row.has_html))
            for row in connection.execute(query)
            if "text_cut" not in (row.facts or {})
        }


def write_page_links(engine: Engine, run_id: int, pages: Iterable[str], path: str) -> None:
    """The links of these pages of the run, packed by page into the ``dbm.dumb`` file
    ``path``. A page's links were stored together, so they are read in one pass in the order
    they were stored: an index by source page would slow every crawl's inserts by half."""
    wanted = set(pages)
    with engine.connect() as connection:
        first, last = connection.execute(
            select(func.min(Link.id), func.max(Link.id)).where(Link.run_id == run_id)
        ).one()
        query = (
            select(Link.source, Link.target, Link.element, Link.anchor, Link.count)
            .where(Link.id.between(first, last), Link.run_id == run_id)
            .order_by(Link.id)
        )
        rows = connection.execution_options(yield_per=5000).execute(query)
        with dbm.dumb.open(path, "n") as packed:
            for source, links in groupby(rows, key=lambda row: row.source):
                if source in wanted:
                    packed[source.encode("utf-8")] = pack(links)


def fine_checks(engine: Engine, run: Run, since: datetime) -> dict[str, FetchRecord]:
    """The run's fetches that answered 2xx, last really fetched after ``since``, each as a
    cached result dated by that fetch."""
    checked = func.coalesce(Fetch.checked_at, run.started_at)
    query = select(
        Fetch.url,
        Fetch.method,
        Fetch.status,
        Fetch.final_url,
        Fetch.elapsed_ms,
        checked.label("checked_at"),
    ).where(
        Fetch.run_id == run.id,
        Fetch.status.between(200, 299),
        Fetch.error_kind.is_(None),
        checked >= since,
    )
    with engine.connect() as connection:
        return {
            row.url: FetchRecord(
                row.url,
                row.method,
                row.status,
                final_url=row.final_url,
                elapsed_ms=row.elapsed_ms,
                reuse=CACHED,
                checked_at=as_datetime(row.checked_at),
            )
            for row in connection.execute(query)
        }


def as_datetime(value: datetime | str) -> datetime:
    """SQLite gives back a coalesced time as the text it keeps."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def reuse_counts(engine: Engine, run_id: int) -> dict[str, int]:
    """How the run's pages and link checks were had: downloaded, revalidated or cached."""
    query = select(Fetch.reuse, func.count()).where(Fetch.run_id == run_id).group_by(Fetch.reuse)
    pages = select(func.count(Page.id)).where(Page.run_id == run_id, Page.role != "notfound_probe")
    with engine.connect() as connection:
        counts = dict(connection.execute(query).all())
        page_count = connection.scalar(pages)
    revalidated = counts.get(REVALIDATED, 0)
    return {
        "pages_downloaded": page_count - revalidated,
        "pages_revalidated": revalidated,
        "links_reused": counts.get(CACHED, 0),
    }

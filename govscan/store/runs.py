"""Runs: start, finish, progress, and what checks and reports read back."""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import cached_property

from sqlalchemy import Engine, func, insert, literal, or_, select

from govscan.store.db import session_scope
from govscan.store.inventory import SiteEntry
from govscan.store.models import (
    FINDING_FIELDS,
    Fetch,
    FindingRow,
    Link,
    Page,
    RenderedPage,
    Run,
    Screenshot,
    Site,
    url_key,
)
from govscan.store.records import FetchRecord, LinkRecord, PageRecord
from govscan.store.view import EMBEDDED_ELEMENTS, now


def save_site(engine: Engine, site: SiteEntry) -> None:
    """Store the site as the inventory describes it now."""
    with session_scope(engine) as session:
        session.merge(
            Site(
                id=site.id,
                name=site.name,
                url=site.url,
                unit=site.unit,
                level=site.level,
                profile=site.profile,
                site_code=site.site_code,
                hosts=site.all_hosts,
            )
        )


def finish_run(
    engine: Engine, run_id: int, status: str, error: str | None = None, stats: dict | None = None
) -> None:
    with session_scope(engine) as session:
        run = session.get(Run, run_id)
        run.status, run.error, run.stats, run.finished_at = status, error, stats, now()
        run.lease_until = None  # finished by its process: not lost


def save_metrics(engine: Engine, run_id: int, family: str, metrics: dict) -> None:
    """Keep what one probe family measured with the run."""
    with session_scope(engine) as session:
        run = session.get(Run, run_id)
        run.metrics = {**(run.metrics or {}), family: metrics}


def save_rendered(engine: Engine, run_id: int, results: list[dict]) -> None:
    """Keep what the browser measured on each page (``govscan.probes.browser``), and its
    screenshots (a result's ``shots``) apart from the measurements."""
    rows, shots = [], {}
    for result in results:
        shots.update(result.get("shots", {}))
        measured = {key: value for key, value in result.items() if key != "shots"}
        rows.append(
            {
                "run_id": run_id,
                "url": result["url"],
                "role": result["role"],
                "error": result.get("error"),
                "result": measured,
            }
        )
    with engine.begin() as connection:
        if rows:
            connection.execute(insert(RenderedPage), rows)
        if shots:
            pictures = [{"run_id": run_id, "key": k, "data": v} for k, v in shots.items()]
            connection.execute(insert(Screenshot), pictures)


def screenshots(engine: Engine, run_ids: Iterable[int], keys: Iterable[str]) -> dict[str, bytes]:
    """The screenshots of these runs named ``keys``; a key kept by two runs (the same element
    photographed again) gives the later run's picture."""
    query = (
        select(Screenshot.key, Screenshot.data)
        .where(Screenshot.run_id.in_(list(run_ids)), Screenshot.key.in_(list(keys)))
        .order_by(Screenshot.run_id)
    )
    with engine.connect() as connection:
        return {key: data for key, data in connection.execute(query)}


def get_run(engine: Engine, run_id: int) -> Run:
    with session_scope(engine) as session:
        return session.get(Run, run_id)


def latest_runs(engine: Engine, site_id: str, statuses: tuple[str, ...], limit: int) -> list[Run]:
    """The site's last ``limit`` runs in one of ``statuses``, newest first."""
    query = (
        select(Run)
        .where(Run.site_id == site_id, Run.status.in_(statuses))
        .order_by(Run.started_at.desc(), Run.id.desc())
        .limit(limit)
    )
    with session_scope(engine) as session:
        return list(session.scalars(query))


def get_site(engine: Engine, site_id: str) -> Site:
    with session_scope(engine) as session:
        return session.get(Site, site_id)


def progress(engine: Engine, run_id: int) -> dict[str, int]:
    """Counts for a live display: pages parsed, URLs fetched, fetches that failed."""
    with session_scope(engine) as session:
        pages = session.scalar(select(func.count(Page.id)).where(Page.run_id == run_id))
        fetched = session.scalar(select(func.count(Fetch.id)).where(Fetch.run_id == run_id))
        failed = session.scalar(
            select(func.count(Fetch.id)).where(
                Fetch.run_id == run_id, or_(Fetch.status >= 400, Fetch.error_kind.is_not(None))
            )
        )
        return {"pages": pages, "fetched": fetched, "failed": failed}


def save_findings(engine: Engine, run_id: int, findings: Iterable[dict]) -> None:
    rows = [{**finding, "run_id": run_id} for finding in findings]
    if rows:
        with engine.begin() as connection:
            connection.execute(insert(FindingRow), rows)


def findings_of(engine: Engine, run_id: int) -> list[dict]:
    with session_scope(engine) as session:
        rows = session.scalars(
            select(FindingRow).where(FindingRow.run_id == run_id).order_by(FindingRow.id)
        )
        return [{name: getattr(row, name) for name in FINDING_FIELDS} for row in rows]


class RunData:
    """Read access to one run's crawl results, in plain records: what the view the families
    judge is built from (``govscan.store.snapshot``)."""

    def __init__(self, engine: Engine, run_id: int):
        self.engine = engine
        self.run_id = run_id
        run = get_run(engine, run_id)
        self.site_id: str = run.site_id
        self.options: dict = run.options
        self.started_at: datetime = run.started_at  # UTC; dates are judged against it

    def fetches(self) -> list[FetchRecord]:
        """The outcome of every fetch of the run; read once and shared by the checks."""
        return self._fetches

    def pages(self) -> list[PageRecord]:
        """Every parsed page with its facts, without its source (see ``sources``).

        Read once and shared by the checks, which must not change the records."""
        return self._pages

    def sources(self) -> dict[str, str]:
        """The HTML the crawl kept (homepage, the pages it links to, declared columns), by URL;
        read once."""
        return self._sources

    @cached_property
    def _fetches(self) -> list[FetchRecord]:
        query = select(
            Fetch.url,
            Fetch.method,
            Fetch.status,
            Fetch.error_kind,
            Fetch.error,
            Fetch.final_url,
            Fetch.elapsed_ms,
        ).where(Fetch.run_id == self.run_id)
        with self.engine.connect() as connection:
            return [FetchRecord(*row) for row in connection.execute(query)]

    @cached_property
    def _pages(self) -> list[PageRecord]:
        query = select(
            Page.url, Page.role, Page.depth, Page.title, Page.excerpt, Page.text_length, Page.facts
        ).where(Page.run_id == self.run_id)
        with self.engine.connect() as connection:
            return [
                PageRecord(*row[:6], facts=row.facts or {}) for row in connection.execute(query)
            ]

    @cached_property
    def _sources(self) -> dict[str, str]:
        query = select(Page.url, Page.html).where(
            Page.run_id == self.run_id, Page.html.is_not(None)
        )
        with self.engine.connect() as connection:
            return {
                row.url: zlib.decompress(row.html).decode("utf-8")
                for row in connection.execute(query)
            }

    def texts(self) -> Iterator[tuple[str, str]]:
        """``(url, visible text)`` of each page that has it, streamed from the database."""
        query = select(Page.url, Page.text).where(
            Page.run_id == self.run_id, Page.text.is_not(None)
        )
        with self.engine.connect() as connection:
            for row in connection.execution_options(yield_per=500).execute(query):
                yield row.url, zlib.decompress(row.text).decode("utf-8")

    def links_to(self, targets: Iterable[str]) -> dict[str, list[LinkRecord]]:
        """For each target, the links that point to it (source page, element, anchor)."""
        found: dict[str, list[LinkRecord]] = defaultdict(list)
        keys = [url_key(literal(target)) for target in targets]  # what ix_links_run_target holds
        with self.engine.connect() as connection:
            for start in range(0, len(keys), 500):
                query = (
                    select(Link.target, Link.element, Link.anchor, Link.count, Link.source)
                    .where(
                        Link.run_id == self.run_id,
                        url_key(Link.target).in_(keys[start : start + 500]),
                    )
                    .order_by(Link.id)
                )
                for row in connection.execute(query):
                    found[row.target].append(LinkRecord(*row))
        return found

    def metrics(self) -> dict:
        """What the probes measured, by family (read fresh: probes write during the scan)."""
        return get_run(self.engine, self.run_id).metrics or {}

    def rendered(self) -> list[dict]:
        """What the browser measured on each page it opened, in the order they were chosen;
        read once and shared by the a11y and eldercare checks."""
        return self._rendered

    @cached_property
    def _rendered(self) -> list[dict]:
        query = (
            select(RenderedPage.result)
            .where(RenderedPage.run_id == self.run_id)
            .order_by(RenderedPage.id)
        )
        with self.engine.connect() as connection:
            return list(connection.scalars(query))

    def embedded_targets(self) -> list[str]:
        """Every distinct target of an img, script, link or iframe element of the run; read
        once and shared by the IPv6 and the browser probes."""
        return self._embedded_targets

    @cached_property
    def _embedded_targets(self) -> list[str]:
        query = (
            select(Link.target)
            .where(Link.run_id == self.run_id, Link.element.in_(EMBEDDED_ELEMENTS))
            .distinct()
        )
        with self.engine.connect() as connection:
            return list(connection.scalars(query))

    def link_targets(self) -> list[str]:
        """Every distinct link target of the run, fetchable or not."""
        query = select(Link.target).where(Link.run_id == self.run_id).distinct()
        with self.engine.connect() as connection:
            return list(connection.scalars(query))

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {
                "pages": connection.scalar(
                    select(func.count(Page.id)).where(
                        Page.run_id == self.run_id, Page.role != "notfound_probe"
                    )
                ),
                "links": connection.scalar(
                    select(func.coalesce(func.sum(Page.link_count), 0)).where(
                        Page.run_id == self.run_id
                    )
                ),
                "unique_links": connection.scalar(
                    select(func.count(Link.target.distinct())).where(Link.run_id == self.run_id)
                ),
                "fetched": connection.scalar(
                    select(func.count(Fetch.id)).where(Fetch.run_id == self.run_id)
                ),
            }

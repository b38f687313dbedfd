"""The typed, read-only view of one run that the check families judge.

The store builds it once per run from what the crawl and the probes kept
(``govscan.store.snapshot``); a family's unit test builds one from a few records
(``RunView.of``). Every part is frozen: a family reads the run, it never changes it. The
probes' results have declared models here, and ``findings.json`` shows them as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from functools import cache, cached_property
from typing import TypeVar
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter
from pydantic.dataclasses import dataclass as model

from govscan.dates import parse_date
from govscan.markup import TITLE_SUFFIX
from govscan.store.inventory import ColumnEntry, Settings

Measurement = TypeVar("Measurement")
#: Elements whose target a browser loads into the page.
EMBEDDED_ELEMENTS = ("img", "script", "link", "iframe", "frame")


# --------------------------------------------------------------------------- the crawl


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What the crawl read on a page (see ``govscan.crawler.pages.page_facts``)."""

    meta: Mapping[str, str] = field(default_factory=dict)  # the guideline's meta tags
    layout: str | None = None  # a short signature of the page's template
    date_text: str | None = None  # the publication date the page shows
    date_conflict: str | None = None  # a PubDate tag that names another day
    attribute: str | None = None  # 公开属性: 此件公开发布, 此件不公开, …
    doc_number: str | None = None  # the document's own 文号
    normative: bool = False  # says 规范性文件
    downloads: tuple[str, ...] = ()  # PDF, OFD, WPS or Word versions it links to
    disclosure: Mapping[str, str] = field(default_factory=dict)  # 信息公开 metadata table
    text_cut: int | None = None  # the visible text's length, when only its start was kept

    @classmethod
    def of(cls, facts: Mapping) -> PageFacts:
        known = {name: facts[name] for name in FACT_NAMES if name in facts}
        return cls(**{**known, "downloads": tuple(facts.get("downloads", ()))})


FACT_NAMES = tuple(item.name for item in fields(PageFacts))


@dataclass(frozen=True, slots=True)
class Page:
    """An internal HTML page the crawl parsed."""

    url: str
    role: str  # home | page | frame (shown in an iframe) | notfound_probe
    depth: int
    title: str
    excerpt: str
    text_length: int
    facts: PageFacts = PageFacts()
    html: str | None = None  # kept: the homepage, the pages it links to, declared columns

    @property
    def headline(self) -> str:
        """The page's own title: the ArticleTitle tag the 政府网站发展指引 asks for, else its
        ``<title>`` without the site's name after it. Many platforms title every article
        栏目名_站点名, so what a page is (a guide, a 征集, a 解读) is read here."""
        own = self.facts.meta.get("ArticleTitle") or self.title
        return TITLE_SUFFIX.split(own, 1)[0].strip() or own

    def published(self, today: date) -> date | None:
        """The day the page says it was published, if it says."""
        return parse_date(self.facts.date_text, today) if self.facts.date_text else None


@dataclass(frozen=True, slots=True)
class Fetch:
    """The outcome of fetching one URL: a status, or the kind of network error."""

    url: str
    method: str = "GET"
    status: int | None = None
    error_kind: str | None = None  # dns | refused | timeout | tls | redirect_loop | connection
    error: str | None = None
    final_url: str | None = None
    elapsed_ms: int | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A link of a crawled page: its target, element (a, img, script, …) and anchor text."""

    target: str
    element: str
    anchor: str
    count: int = 1
    source: str = ""


# --------------------------------------------------------------------------- the browser


@model(frozen=True)
class AxeExample:
    target: str
    html: str
    summary: str = ""
    shot: str | None = None  # the screenshot's key (``govscan.probes.browser.shot_key``)


@model(frozen=True)
class AxeViolation:
    id: str
    impact: str | None
    help: str  # axe-core's Chinese title of the rule
    description: str
    wcag: tuple[str, ...]  # wcag111, wcag1410, …
    nodes: int
    examples: tuple[AxeExample, ...] = ()


@model(frozen=True)
class AxeResult:
    version: str
    violations: tuple[AxeViolation, ...] = ()
    passes: tuple[str, ...] = ()  # the ids of the rules the page passes


@model(frozen=True)
class Layer:
    """An element laid over the page after load."""

    selector: str
    share: float  # of the 1280×800 screen
    html: str
    floats: bool = False  # fixed to the screen, or moving by itself
    full_width: bool = False
    position: str | None = None  # fixed, absolute
    shot: str | None = None


@model(frozen=True)
class Controls:
    """What a visitor can click on the homepage, and the scripts it loads."""

    controls: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()


@model(frozen=True)
class Culprit:
    selector: str
    html: str
    shot: str | None = None


@model(frozen=True)
class Reflow:
    """The page at 640 CSS px: 1280 px at 200 % zoom."""

    width: int
    scroll_width: int
    culprit: Culprit | None = None


@model(frozen=True)
class HiddenLink:
    """A link to another host that a visitor of the rendered page cannot see, and how it is
    hidden: ``hidden`` (by a style or an ancestor), ``zero_size``, ``off_screen``,
    ``tiny_font``, ``same_colour`` (as the background) or ``marquee``."""

    href: str
    text: str
    how: str
    selector: str
    html: str
    suspect: bool = False  # its text or address carries the words the scan photographs
    shot: str | None = None  # shown, outlined and photographed


@model(frozen=True)
class RenderedPage:
    """A page opened in Chromium, and what was measured on it; ``error`` when it could not
    be tested."""

    url: str
    role: str  # home | nav | layout | column | article
    layout: str | None = None
    status: int | None = None
    error: str | None = None
    final_url: str | None = None
    axe: AxeResult | None = None
    layers: tuple[Layer, ...] = ()
    text_sizes: Mapping[float, int] = field(default_factory=dict)  # characters by CSS px
    controls: Controls | None = None  # the homepage's only
    reflow: Reflow | None = None
    hidden_links: tuple[HiddenLink, ...] = ()
    picture: str | None = None  # the first screen, kept when its title or opening is suspect


# --------------------------------------------------------------------------- IPv6


@model(frozen=True)
class DnsAnswer:
    status: str  # ok | nodata | nxdomain | servfail | timeout
    aaaa: tuple[str, ...] = ()
    cname_chain: tuple[str, ...] = ()
    usable: tuple[str, ...] = ()
    invalid: tuple[str, ...] = ()  # link-local or IPv4-mapped: nobody can use them


@model(frozen=True)
class Nameserver:
    name: str
    ipv6: tuple[str, ...] = ()


@model(frozen=True)
class Nameservers:
    zone: str | None
    status: str
    servers: tuple[Nameserver, ...] = ()
    with_ipv6: int = 0


@model(frozen=True)
class Series:
    """k fetches of the homepage over one IP version."""

    attempts: int
    succeeded: int
    rate: float
    addresses: tuple[str, ...] = ()
    status: int | None = None
    elapsed_ms: int | None = None
    title: str | None = None
    error: str | None = None


@model(frozen=True)
class Homepages:
    ipv6: Series
    ipv4: Series


@model(frozen=True)
class Answered:
    status: int | None
    title: str | None


@model(frozen=True)
class Consistency:
    ipv4: Answered
    ipv6: Answered
    similarity: float


@model(frozen=True)
class Sublinks:
    found: int  # pages the crawl found at this level
    sample: int
    reachable: int
    rate: float | None
    failed: tuple[str, ...] = ()


@model(frozen=True)
class Resources:
    hosts: int
    ipv4_only: tuple[str, ...] = ()
    examples: Mapping[str, str] = field(default_factory=dict)  # a resource of each host
    unresolved: tuple[str, ...] = ()


@model(frozen=True)
class TlsMeasurement:
    """What ``govscan.probes.tls`` found at the site's HTTPS address."""

    host: str
    port: int
    https: bool  # a TLS handshake succeeded, whatever the certificate
    error: str | None = None  # why there is no HTTPS, in Chinese
    version: str | None = None  # the newest protocol the server speaks: TLSv1.3, TLSv1.1, …
    not_after: str | None = None  # the certificate's end, ISO UTC
    days_left: int | None = None
    problem: str | None = None  # expired | self_signed | name_mismatch | untrusted | other
    detail: str | None = None  # the verifier's own words


@model(frozen=True)
class IPv6Measurement:
    """What ``govscan.probes.ipv6`` measured: parts are None where it stopped early."""

    host: str
    skipped: str | None = None  # why nothing was measured
    dns: DnsAnswer | None = None
    nameservers: Nameservers | None = None
    homepage: Homepages | None = None
    consistency: Consistency | None = None  # None when either homepage never answered
    sublinks: Mapping[str, Sublinks] = field(default_factory=dict)  # level2, level3
    resources: Resources | None = None


# --------------------------------------------------------------------------- availability


@dataclass(frozen=True)
class Attempt:
    """One fetch of the homepage: when, by whom (the crawl or the scan), and what came back."""

    at: str  # UTC, ISO 8601
    by: str  # crawl | scan
    status: int | None = None
    error_kind: str | None = None  # dns | refused | timeout | tls | connection | …
    error: str | None = None


@dataclass(frozen=True)
class ProbeFailure:
    at: str
    status: int | None
    error: str | None


@dataclass(frozen=True)
class ProbeCounts:
    """The scheduler's probes of the homepage over a window before the scan."""

    probes: int = 0
    failed: int = 0
    examples: tuple[ProbeFailure, ...] = ()  # the last failures


@dataclass(frozen=True)
class Availability:
    """Whether the homepage answered: the scheduler's probes, and the scan's own attempts
    when the crawl got no answer and no probes judge it."""

    probes: ProbeCounts = ProbeCounts()
    attempts: tuple[Attempt, ...] = ()


# --------------------------------------------------------------------------- the run


@dataclass(frozen=True)
class SiteInfo:
    """The site as the inventory registered it."""

    id: str
    name: str
    url: str
    unit: str
    site_code: str | None = None
    profile: str = "portal"
    hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownAccount:
    """A new-media account of the register: a site linking to another is unregistered."""

    platform: str
    name: str
    account_id: str | None = None


DEFAULTS = Settings()


@dataclass(frozen=True)
class RunInfo:
    """The run: when it started, and what of the inventory the families read."""

    id: int
    started_at: datetime  # UTC; dates are judged against it
    timezone: str = DEFAULTS.timezone
    sample_pages: int = DEFAULTS.sample_pages  # article pages sampled by identity and browser
    columns: tuple[ColumnEntry, ...] = ()  # the inventory's
    known_accounts: tuple[KnownAccount, ...] = ()
    external_services: bool = True  # the unit serves the public: its 办事服务 are checked

    @property
    def day(self) -> date:
        """The day the scan started, in the inventory's time zone."""
        return self.started_at.replace(tzinfo=UTC).astimezone(ZoneInfo(self.timezone)).date()


LinkLookup = Callable[[list[str]], Mapping[str, tuple[Link, ...]]]
TextReader = Callable[[], Iterator[tuple[str, str]]]


@dataclass(frozen=True)
class RunView:
    """One run of one site, as the check families read it."""

    site: SiteInfo
    run: RunInfo
    pages: tuple[Page, ...] = ()
    fetches: tuple[Fetch, ...] = ()
    link_targets: tuple[str, ...] = ()  # every distinct target, fetchable or not
    embedded_targets: tuple[str, ...] = ()  # distinct targets of img, script, link, iframe
    rendered: tuple[RenderedPage, ...] = ()  # in the order the pages were chosen
    ipv6: IPv6Measurement | None = None
    tls: TlsMeasurement | None = None
    availability: Availability = Availability()
    lookup_links: LinkLookup = field(default=lambda targets: {}, repr=False, compare=False)
    read_texts: TextReader = field(default=lambda: iter(()), repr=False, compare=False)

    def texts(self) -> Iterator[tuple[str, str]]:
        """``(url, visible text)`` of every page, read one at a time from the store: the text
        of 20,000 pages is too much to hold at once."""
        return self.read_texts()

    def links_to(self, targets: Iterable[str]) -> Mapping[str, tuple[Link, ...]]:
        """For each target, the links that point to it, in page order. Looked up by target:
        a site of 20,000 pages has a million links."""
        return self.lookup_links(list(targets))

    @cached_property
    def sources(self) -> Mapping[str, str]:
        """The HTML the crawl kept, by URL."""
        return {page.url: page.html for page in self.pages if page.html is not None}

    @classmethod
    def of(
        cls,
        site: SiteInfo,
        *,
        links: Iterable[Link] = (),
        texts: Mapping[str, str] | None = None,
        started_at: datetime | None = None,
        **parts,
    ) -> RunView:
        """A view of a few records, for a family's unit tests: ``links`` are looked up and
        ``texts`` (the pages' visible text by URL) read in memory, ``started_at`` is now unless
        given, ``parts`` are the other fields (``run`` too, to set more than the start)."""
        texts = dict(texts or {})
        links = tuple(links)
        by_target = defaultdict(list)
        for link in links:
            by_target[link.target].append(link)
        embedded = [link.target for link in links if link.element in EMBEDDED_ELEMENTS]
        return cls(
            site=site,
            run=parts.pop("run", None) or RunInfo(0, started_at or now()),
            link_targets=tuple(dict.fromkeys(link.target for link in links)),
            embedded_targets=tuple(dict.fromkeys(embedded)),
            lookup_links=lambda targets: {
                t: tuple(by_target[t]) for t in targets if t in by_target
            },
            read_texts=lambda: iter(texts.items()),
            **parts,
        )


def now() -> datetime:
    """The time in UTC, naive, as the store keeps times."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_json(measurement: object) -> dict:
    """A probe's measurement as ``findings.json`` shows it under ``metrics``."""
    return adapter(type(measurement)).dump_python(measurement, mode="json")


def measured(kind: type[Measurement], stored: Mapping) -> Measurement:
    """A probe's measurement, from what the store kept of it."""
    return adapter(kind).validate_python(stored)


@cache
def adapter(kind: type) -> TypeAdapter:
    return TypeAdapter(kind)

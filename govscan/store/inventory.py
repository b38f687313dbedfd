"""The inventory (台账): which sites to scan, loaded from YAML and validated with line numbers."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from govscan.dates import DEFAULT_TIMEZONE

Day = date  # a field named ``date`` would hide the type from the annotations after it
SITE_CODE = re.compile(r"^(\d{10}|bm\d{8})$")
#: Far deeper than any inventory nests (settings → notify → webhooks → entry is four levels);
#: PyYAML builds a document recursively, so 100,000 levels would end in a RecursionError.
MAX_YAML_DEPTH = 100

#: Chinese wording for pydantic's error types; others fall back to pydantic's own text.
ERROR_TEXT = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（请检查拼写）",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "list_type": "应为列表",
    "dict_type": "应为键值对",
    "model_type": "应为键值对",
    "literal_error": "取值不在允许范围内",
    "string_pattern_mismatch": "格式不正确",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "date_type": "应为日期（例如 2026-12-01）",
    "date_parsing": "应为日期（例如 2026-12-01）",
    "date_from_datetime_parsing": "应为日期（例如 2026-12-01）",
    "string_too_short": "不能为空",
}


class InventoryError(ValueError):
    """An inventory that cannot be used; ``str()`` names the file, line and field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Freshness(Strict):
    """How many days a column may go without a new item (国办秘函〔2019〕19号)."""

    home: Annotated[int, Field(ge=1)] = 14
    dynamic: Annotated[int, Field(ge=1)] = 14  # 动态、要闻
    notice: Annotated[int, Field(ge=1)] = 183  # 通知公告: six months
    policy: Annotated[int, Field(ge=1)] = 183  # 政策文件
    other: Annotated[int, Field(ge=1)] = 183


class VetoThresholds(Strict):
    """Column counts at which 栏目不更新 / 空白栏目 become a single veto."""

    stale_news_columns: Annotated[int, Field(ge=1)] = 5  # stale 动态/要闻/通知公告/政策文件 columns
    stale_columns: Annotated[int, Field(ge=1)] = 10  # stale columns of any kind
    empty_columns: Annotated[int, Field(ge=1)] = 5


class IPv6Settings(Strict):
    """How IPv6 support is measured."""

    probes: Annotated[int, Field(ge=1, le=20)] = 3  # homepage fetches per IP version
    sample: Annotated[int, Field(ge=1)] = 200  # 二级/三级 pages fetched over IPv6, per level
    min_rate: Annotated[float, Field(ge=0, le=1)] = 0.95  # share of them that must answer


class EldercareSettings(Strict):
    """Thresholds of the 适老化 checks that provinces set differently."""

    min_font_px: Annotated[float, Field(ge=6, le=40)] = 12  # the size most body text is set in


class Contact(Strict):
    """Who at the unit receives its list of problems."""

    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None


class MailSettings(Strict):
    """The SMTP server mail goes out through; the login comes from GOVSCAN_SMTP_USER and
    GOVSCAN_SMTP_PASSWORD, never from the inventory."""

    host: str
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    sender: str
    starttls: bool = True
    ca_file: str | None = None  # a private CA that signed the server's certificate


class Webhook(Strict):
    kind: Literal["wecom", "dingtalk"]  # 企业微信 or 钉钉 group robot
    url: str


class NotifySettings(Strict):
    mail: MailSettings | None = None
    webhooks: list[Webhook] = []
    attempts: Annotated[int, Field(ge=1, le=10)] = 3  # a failed delivery is retried
    retry_seconds: Annotated[float, Field(ge=0)] = 30


class ScheduleSettings(Strict):
    """When ``govscan schedule`` works: the nightly scan (crontab, in the inventory's time
    zone) and how often a day every homepage is probed."""

    scan: str = "0 2 * * *"
    probes_per_day: Annotated[int, Field(ge=20, le=86400)] = 24

    @field_validator("scan")
    @classmethod
    def _crontab(cls, expression: str) -> str:
        """Five crontab fields (six put seconds first, for drills), each one APScheduler,
        which runs the service, accepts."""
        from apscheduler.triggers.cron import CronTrigger  # only an inventory with a schedule

        fields = expression.split()
        names = ("second", "minute", "hour", "day", "month", "day_of_week")[-len(fields) :]
        try:
            if len(fields) not in (5, 6):
                raise ValueError
            CronTrigger(**dict(zip(names, fields, strict=True)), timezone="UTC")
        except ValueError:
            raise ValueError(
                f'不是有效的 crontab 表达式："{expression}"；五个字段依次为 分 时 日 月 星期，'
                '如 "0 2 * * *"（每天 2:00）、"30 1 * * 1-5"（工作日 1:30）'
            ) from None
        return expression


class BulletinSettings(Strict):
    """How the bulletin (检查通报) is issued: its 文头, 主送, 文号 and 落款, and the 整改期限.
    Unset, the document is numbered by the inspection, dated and signed on the inspection's
    day, and the deadline falls ``deadline_days`` working days after it."""

    office: Annotated[str, Field(min_length=1)] = "人民政府办公室"  # 发文机关, in 文头 and 落款
    title: Annotated[str, Field(min_length=1)] = "关于政府网站与政务新媒体检查情况的通报"
    recipients: Annotated[str, Field(min_length=1)] = "各有关单位"  # 主送
    number: Annotated[str, Field(min_length=1)] | None = None  # 文号, such as 苍政办函〔2026〕12号
    date: Day | None = None  # 成文日期
    deadline: Day | None = None  # 整改期限, instead of deadline_days
    deadline_days: Annotated[int, Field(ge=1, le=90)] = 15  # working days after the inspection

    @model_validator(mode="after")
    def _deadline_after_date(self) -> BulletinSettings:
        if self.deadline and self.date and self.deadline < self.date:
            raise ValueError(f"整改期限（{self.deadline}）不能早于成文日期（{self.date}）")
        return self


class AvailabilitySettings(Strict):
    """How a scan judges a homepage that did not answer its crawl when the scheduler has not
    probed it: fetched again, ``retry_seconds`` apart, three attempts in all."""

    retry_seconds: Annotated[float, Field(ge=0)] = 30


class CrawlLimits(Strict):
    """Bounds of one link, page or host (docs/limits.md); unset, the crawl's own defaults
    (``govscan/crawler/settings.py``) apply."""

    max_body_mb: Annotated[float, Field(gt=0)] | None = None  # larger bodies are too_large
    max_retry_after: Annotated[float, Field(ge=0)] | None = None  # a longer 429 wait: give up
    rate_limit_budget: Annotated[int, Field(ge=1)] | None = None  # 429s before a host is left


class IncrementalSettings(Strict):
    """How a scan reuses the site's last completed run: pages are revalidated with
    conditional requests, and fine links to other hosts and assets are checked again only
    once ``link_ttl_days`` have passed (failures every time). ``enabled: false`` always scans
    in full, as ``govscan scan --full`` does once."""

    enabled: bool = True
    link_ttl_days: Annotated[float, Field(ge=0)] = 7


class NewMediaSettings(Strict):
    """When a new-media account counts as not updated (国办秘函〔2019〕19号: two weeks)."""

    zombie_days: Annotated[int, Field(ge=1)] = 14  # no post for longer: 僵尸账号, a veto
    stale_days: Annotated[int, Field(ge=1)] = 7  # a warning before that


class DictionaryEntry(Strict):
    """A wrong form and its correct one (see ``govscan/checks/dictionaries``)."""

    wrong: Annotated[str, Field(min_length=2)]
    right: str
    kind: Literal["leader", "body", "expression", "typo"] = "typo"
    since: date | None = None  # a renamed body: pages published before this day are history
    allow: list[str] = []  # correct words that contain the wrong form

    @model_validator(mode="after")
    def _differs(self) -> DictionaryEntry:
        if self.wrong == self.right:
            raise ValueError(f"错误写法与正确写法相同：{self.wrong}")
        return self


class Dictionaries(Strict):
    """The inventory's additions to the dictionaries govscan ships: entries, or the paths of
    dictionary files (relative to the inventory's folder), read when the inventory is."""

    serious: list[DictionaryEntry] = []  # 严重表述错误: a veto
    typo: list[DictionaryEntry] = []  # 错别字: a deduction

    @field_validator("serious", "typo", mode="before")
    @classmethod
    def _files_read(cls, items: Any, info: ValidationInfo) -> Any:
        if not isinstance(items, list):
            return items
        folder = Path((info.context or {}).get("folder", "."))
        entries = []
        for item in items:
            if isinstance(item, str):
                try:
                    entries += load_dictionary(folder / item)
                except InventoryError as error:
                    raise ValueError(f"词典文件有误：{error}") from error
            else:
                entries.append(item)
        return entries


class CrawlChoices(Strict):
    """How sites are crawled: for every site (the inventory's ``settings``) or for one (a
    site's ``crawl``). A site's choice wins over the inventory's, the command line's over
    both; skipped hosts and excluded URLs add up instead."""

    max_pages: Annotated[int, Field(ge=1)] | None = None
    depth: Annotated[int, Field(ge=0)] | None = None
    concurrency: Annotated[int, Field(ge=1, le=64)] | None = None  # requests at once per host
    timeout: Annotated[float, Field(gt=0, le=600)] | None = None  # seconds
    skip_hosts: list[str] = []  # linked, never fetched nor judged
    exclude: list[str] = []  # regular expressions: matching URLs are never fetched nor judged
    checks: list[str] | None = None  # families to run (default: all)
    obey_robots: bool | None = None
    user_agent: str | None = None

    @field_validator("exclude")
    @classmethod
    def _patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"不是有效的正则表达式：{pattern}（{error.msg}）") from None
        return patterns


class Settings(CrawlChoices):
    timezone: str = DEFAULT_TIMEZONE
    nameserver: str | None = None
    freshness: Freshness = Freshness()
    veto: VetoThresholds = VetoThresholds()
    # article pages per site whose footer marks are checked and that the browser opens
    sample_pages: Annotated[int, Field(ge=0)] = 20
    ipv6: IPv6Settings = IPv6Settings()
    eldercare: EldercareSettings = EldercareSettings()
    newmedia: NewMediaSettings = NewMediaSettings()
    availability: AvailabilitySettings = AvailabilitySettings()
    limits: CrawlLimits = CrawlLimits()
    incremental: IncrementalSettings = IncrementalSettings()
    # how hard a night leans on servers (unset: --concurrency and --per-ip, or their defaults)
    parallel: Annotated[int, Field(ge=1, le=64)] | None = None  # sites crawled at once
    per_ip: Annotated[int, Field(ge=1, le=256)] | None = None  # per address, over all sites
    # accounts whose archives one crawl reads: each batch is a run (a task on a cluster)
    account_batch: Annotated[int, Field(ge=1, le=10_000)] = 100
    # a Redis queue (redis://host:6379/0) whose workers scan the sites; unset: this machine
    broker: Annotated[str, Field(pattern=r"^rediss?://")] | None = None
    scoring_profile: str | None = None  # a YAML file like govscan/checks/scoring.yaml
    dictionaries: Dictionaries = Dictionaries()
    notify: NotifySettings = NotifySettings()
    schedule: ScheduleSettings = ScheduleSettings()
    bulletin: BulletinSettings = BulletinSettings()

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"未知的时区：{name}（例如 Asia/Shanghai）") from error
        return name


class ColumnEntry(Strict):
    """A column (栏目) the inventory declares; ``name`` may be a path such as 政府信息公开→年报."""

    name: str
    url: str | None = None  # absolute, or relative to the site's URL
    category: Literal["dynamic", "notice", "policy", "other"] = "other"
    required: bool = True
    max_age_days: Annotated[int, Field(ge=1)] | None = None  # instead of the category's window


class Waiver(Strict):
    """A finding the office has judged a false positive: kept in the report, not counted."""

    rule: str
    url: str | None = None  # only this finding of the rule; without it, every one
    reason: str

    @field_validator("rule")
    @classmethod
    def _declared_rule(cls, rule: str, info: ValidationInfo) -> str:
        is_rule = (info.context or {}).get("is_rule")
        if is_rule is not None and not is_rule(rule):
            raise ValueError(f"未知的规则：{rule}（请检查拼写；规则编号见 findings.json）")
        return rule


class SiteEntry(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
    name: str
    url: str
    unit: str
    level: Literal["national", "province", "prefecture", "county", "township"] | None = None
    profile: Literal["portal", "department", "county", "other"] = "portal"
    external_services: bool = True  # False: the unit serves no public (no 办事服务 to check)
    site_code: str | None = None
    hosts: list[str] = []
    columns: list[ColumnEntry] = []
    waivers: list[Waiver] = []
    contact: Contact = Contact()
    crawl: CrawlChoices = CrawlChoices()  # this site's own choices

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("应为以 http:// 或 https:// 开头的网址")
        return url

    @field_validator("site_code", mode="before")
    @classmethod
    def _site_code(cls, code: Any) -> Any:
        code = str(code) if isinstance(code, int) else code
        if code is not None and not SITE_CODE.match(code):
            raise ValueError("网站标识码应为 10 位数字（部委网站为 bm 加 8 位数字）")
        return code

    @property
    def all_hosts(self) -> list[str]:
        """The site's own host first, then the extra hosts that belong to it."""
        own = (urlsplit(self.url).hostname or "").lower()
        return [own, *(h.lower() for h in self.hosts if h.lower() != own)]


class ArchiveSource(Strict):
    """Where an account's posts can be read, one adapter per ``type``."""

    type: Literal["feed", "wechat_articles", "exporter_json", "html_list"]
    url: str | None = None  # feed, exporter_json, html_list
    urls: list[str] = []  # wechat_articles: article pages
    item: str | None = None  # html_list: CSS selector of one list item
    date: str | None = None  # html_list: regular expression of its date
    encoding: str | None = None  # html_list: when the page does not say

    @model_validator(mode="after")
    def _complete(self) -> ArchiveSource:
        if self.type == "wechat_articles" and not self.urls:
            raise ValueError("wechat_articles 需要 urls：文章网址列表")
        if self.type != "wechat_articles" and not self.url:
            raise ValueError(f"{self.type} 需要 url")
        if self.type == "html_list" and not (self.item and self.date):
            raise ValueError("html_list 需要 item（列表项的 CSS 选择器）和 date（日期正则）")
        for url in [self.url, *self.urls]:
            if url is not None and urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"应为以 http:// 或 https:// 开头的网址：{url}")
        return self

    @property
    def addresses(self) -> list[str]:
        return [self.url] if self.url else list(self.urls)


class AccountEntry(Strict):
    """A government new-media account (政务新媒体) as the register (台账) records it."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
    platform: Literal["wechat", "weibo", "douyin", "toutiao", "other"]
    name: str
    account_id: str | None = None  # WeChat gh_… original id or __biz; a Weibo uid; …
    unit: str
    registered: bool = True  # 已报备
    archives: list[ArchiveSource] = []
    waivers: list[Waiver] = []
    contact: Contact = Contact()


def _unique(entries: list, kind: str) -> list:
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise ValueError(f"{kind} id 重复：{entry.id}")
        seen.add(entry.id)
    return entries


class Inventory(Strict):
    settings: Settings = Settings()
    sites: list[SiteEntry] = []
    accounts: list[AccountEntry] = []

    @field_validator("sites")
    @classmethod
    def _unique_site_ids(cls, sites: list[SiteEntry]) -> list[SiteEntry]:
        return _unique(sites, "站点")

    @field_validator("accounts")
    @classmethod
    def _unique_account_ids(cls, accounts: list[AccountEntry]) -> list[AccountEntry]:
        return _unique(accounts, "账号")

    def site(self, site_id: str) -> SiteEntry:
        for site in self.sites:
            if site.id == site_id:
                return site
        known = "、".join(s.id for s in self.sites) or "（无）"
        raise InventoryError(f"清单中没有 id 为 {site_id} 的站点；已有：{known}")


@dataclass(frozen=True)
class Catalogue:
    """What an inventory is checked against besides its own schema, from the check families:
    the settings sections of families from other packages (``settings.<family>``), and
    whether a rule id a waiver names is declared."""

    sections: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    is_rule: Callable[[str], bool] | None = None


def load_inventory(path: str | Path, catalogue: Catalogue = Catalogue()) -> Inventory:
    """Read and validate an inventory file; errors name the file, the line and the field."""
    path = Path(path)
    data, root = _read_yaml(path, "清单文件")
    model = inventory_model(tuple(sorted(catalogue.sections.items())))
    context = {"is_rule": catalogue.is_rule, "folder": path.parent}
    try:
        return model.model_validate(data or {}, context=context)
    except ValidationError as error:
        raise InventoryError(_describe(error, path, root)) from error


def load_dictionary(path: str | Path) -> list[DictionaryEntry]:
    """A dictionary file: a YAML list of entries; errors name the file, the line and the
    field, as the inventory's do."""
    path = Path(path)
    data, root = _read_yaml(path, "词典文件")
    try:
        return _DICTIONARY.validate_python(data or [])
    except ValidationError as error:
        raise InventoryError(_describe(error, path, root)) from error


def _read_yaml(path: Path, what: str) -> tuple[Any, yaml.Node | None]:
    """The document in ``path`` and its node tree (for the lines of errors)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InventoryError(f"{path}: 无法读取{what}（{error.strerror}）") from error
    except UnicodeDecodeError as error:
        raise InventoryError(f"{path}: {what}应为 UTF-8 编码") from error
    try:
        _check_depth(text, path)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=_Loader) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InventoryError(f"{where}: YAML 语法错误：{yaml_problem(error)}") from error
    return data, root


#: PyYAML's problems, by their English words, as a Chinese user would fix them.
YAML_PROBLEMS = [
    ("expected ',' or '}'", "花括号 { } 里缺少逗号，或缺少右花括号 }"),
    ("expected ',' or ']'", "方括号 [ ] 里缺少逗号，或缺少右方括号 ]"),
    ("mapping values are not allowed", "此处不能有冒号：值里含有冒号时请给整个值加引号"),
    ("cannot start any token", "含有制表符（Tab）或不能开头的字符：YAML 只能用空格缩进"),
    ("could not find expected ':'", "缺少冒号 :（键与值之间要有冒号和空格）"),
    ("found unexpected end of stream", "引号没有闭合"),
    ("found undefined alias", "引用了未定义的锚点（*别名）"),
    ("expected <block end>", "缩进不一致：同一层的各行要对齐"),
    ("did not find expected key", "缩进不一致，或列表项缺少开头的“- ”"),
    ("did not find expected '-' indicator", "列表的各项要以“- ”开头并对齐"),
    ("found duplicate anchor", "锚点（&名称）重复"),
]


CHINESE = re.compile(r"[\u4e00-\u9fff]")


def yaml_problem(error: yaml.YAMLError) -> str:
    """What is wrong with the YAML, in Chinese, with PyYAML's own words after it."""
    problem = str(getattr(error, "problem", None) or error)
    if CHINESE.search(problem):  # the reader's own words for what YAML left to it
        return problem
    context = str(getattr(error, "context", None) or "")
    for words, chinese in YAML_PROBLEMS:
        if words in problem or words in context:
            return f"{chinese}（{problem}）"
    return f"格式不正确（{problem}）"


@cache
def inventory_model(sections: tuple[tuple[str, type[BaseModel]], ...]) -> type[Inventory]:
    """``Inventory`` whose settings also hold these families' sections, each validated by the
    family's own model (with its defaults when the section is absent)."""
    if not sections:
        return Inventory
    fields: dict[str, Any] = {
        name: (model, Field(default_factory=model)) for name, model in sections
    }
    settings = create_model("Settings", __base__=Settings, **fields)
    return create_model(
        "Inventory", __base__=Inventory, settings=(settings, Field(default_factory=settings))
    )


_DICTIONARY = TypeAdapter(list[DictionaryEntry])


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, with the line of a value it cannot build (2024-02-30 is read as a
    date, and fails as one)."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, AttributeError) as error:
            problem = f"无法读取此处的值（{error}），请检查日期、数字和以 !! 标注的值"
            mark = node.start_mark
            raise yaml.constructor.ConstructorError(problem=problem, problem_mark=mark) from error


def _check_depth(text: str, path: Path) -> None:
    """Refuse nesting deeper than MAX_YAML_DEPTH at the line where it starts, before the
    document is built; the parser itself keeps a stack, not recursion."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise InventoryError(
                    f"{path}:{event.start_mark.line + 1}: 嵌套超过 {MAX_YAML_DEPTH} 层，"
                    "不是有效的清单；请检查此处的括号和缩进"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _describe(error: ValidationError, path: Path, root: yaml.Node | None) -> str:
    lines = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "（整个文件）"
        text = ERROR_TEXT.get(item["type"], item["msg"])
        if item["type"] == "value_error":
            text = str(item["ctx"]["error"])
        lines.append(f"{path}:{_line_of(root, item['loc'])}: {field}: {text}")
    return "\n".join(lines)


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the deepest YAML node on the path ``loc``."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
            if node is None:  # a missing key: report the mapping that lacks it
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line

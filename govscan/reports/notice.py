"""The bulletin as a document an office issues (公文): its 文头, 文号, 主送, 落款 and the
整改期限, from the inventory's ``settings.bulletin`` and the inspection's day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from govscan.dates import nth_working_day
from govscan.store.inventory import BulletinSettings


@dataclass(frozen=True)
class Notice:
    office: str  # 发文机关: the 文头 and the 落款
    title: str
    recipients: str  # 主送
    number: str | None  # 文号
    issued: date  # 成文日期
    inspected: date  # the inspection's day, in Beijing time
    deadline: date  # 整改期限
    deadline_days: int | None  # the working days it was counted with; None when set as a day


def working_days_after(day: date, days: int) -> date:
    """The ``days``-th working day after ``day``: a deadline. An office sets
    ``settings.bulletin.deadline`` across public holidays, which are not known here."""
    return nth_working_day(day + timedelta(1), days)


def notice(settings: BulletinSettings, inspected: date, inspection_id: int | None) -> Notice:
    """The bulletin's document parts: the settings' own, else numbered by the inspection and
    dated on its day, the deadline ``deadline_days`` working days after it."""
    number = settings.number
    if number is None and inspection_id is not None:
        number = f"{inspected.year}年第{inspection_id}期"
    return Notice(
        office=settings.office,
        title=settings.title,
        recipients=settings.recipients,
        number=number,
        issued=settings.date or inspected,
        inspected=inspected,
        deadline=settings.deadline or working_days_after(inspected, settings.deadline_days),
        deadline_days=None if settings.deadline else settings.deadline_days,
    )


def chinese_date(day: date) -> str:
    """``2026年12月2日``: a 公文's dates in Arabic numerals (GB/T 9704-2012)."""
    return f"{day.year}年{day.month}月{day.day}日"


DIGITS = "零一二三四五六七八九"


def chinese_ordinal(number: int) -> str:
    """``1`` → 一, ``12`` → 十二, ``20`` → 二十: the numbering of a 公文's parts (（一）…)."""
    tens, ones = divmod(number, 10)
    if not 0 < number < 100:
        return str(number)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "")

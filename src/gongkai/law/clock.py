"""The application answer clock of 条例第二十九条至第三十五条 (LAW.md §2).

Every function returns a frozen value whose ``explanation`` is a list of Chinese lines a clerk
can check by hand against a printed calendar. Conventions the law leaves open (see docs/law.md):

* counting starts the day after the start event (民法典第二百零一条);
* a pause ``FROM..TO`` is inclusive and removes every working day in it that falls after the
  clock start; overlapping pauses remove each working day once;
* the fee payment window pauses the answer clock unless ``fee_window_pauses_clock`` is false
  (LAW.md §3 [R]);
* days in a year whose holiday schedule is not loaded follow the weekends-only assumption and
  make the result provisional.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from gongkai.law.workdays import ONE_DAY, Calendar, default_calendar, fmt_day

ANSWER_DAYS = 20  # 条例第三十三条第二款
MAX_EXTENSION_DAYS = 20  # 条例第三十三条第二款
CORRECTION_NOTICE_DAYS = 7  # 条例第三十条
THIRD_PARTY_DAYS = 15  # 条例第三十二条、第三十四条
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号
FEE_WINDOW_PAUSES_CLOCK = True  # LAW.md §3 [R]: practice stops the clock while the fee is due

CONSULTATION_REASON = "征求第三方意见"
FEE_REASON = "等待缴纳信息处理费"
_COUNTING_RULE = "民法典第二百零一条"


class ClockError(ValueError):
    """Input that no clerk could mean (correction before receipt, pause ending before it
    starts, extension beyond the legal maximum). The message is Chinese."""


# ---------------------------------------------------------------------------------------------
# Receipt date (条例第三十一条)


class Channel(StrEnum):
    IN_PERSON = "in_person"  # 当面提交
    POST = "post"  # 邮寄，需签收
    LETTER = "letter"  # 平常信函等无需签收的邮寄方式
    ONLINE = "online"  # 互联网渠道
    FAX = "fax"  # 传真
    EMAIL = "email"  # 电子邮件


CHANNEL_LABELS = {
    Channel.IN_PERSON: "当面提交",
    Channel.POST: "邮寄",
    Channel.LETTER: "平常信函",
    Channel.ONLINE: "互联网渠道",
    Channel.FAX: "传真",
    Channel.EMAIL: "电子邮件",
}

# channel -> (the event argument that fixes the date, what the event is, the legal basis)
_RECEIPT_RULES: dict[Channel, tuple[str, str, str]] = {
    Channel.IN_PERSON: ("handed_in", "当面提交之日", "条例第三十一条第（一）项"),
    Channel.POST: ("signed_for", "行政机关签收之日", "条例第三十一条第（二）项"),
    Channel.LETTER: (
        "confirmed",
        "政府信息公开工作机构与申请人确认之日",
        "条例第三十一条第（二）项",
    ),
    Channel.ONLINE: ("confirmed", "双方确认之日", "条例第三十一条第（三）项"),
    Channel.FAX: ("confirmed", "双方确认之日", "条例第三十一条第（三）项"),
    Channel.EMAIL: (
        "email_received",
        "电子邮件系统收到之日",
        "参照条例第三十一条、国办公开办函〔2015〕207号",
    ),
}

_EVENT_LABELS = {
    "handed_in": "当面提交日期",
    "signed_for": "签收日期",
    "confirmed": "确认日期",
    "email_received": "邮件系统收到日期",
}


@dataclass(frozen=True)
class Receipt:
    channel: Channel
    received: date
    explanation: tuple[str, ...]


def receipt_date(
    channel: Channel | str,
    *,
    handed_in: date | None = None,
    signed_for: date | None = None,
    confirmed: date | None = None,
    email_received: date | None = None,
) -> Receipt:
    """The legal receipt date of an application by channel (条例第三十一条).

    Only the event that the law names for the channel matters; the others are ignored.
    """
    try:
        channel = Channel(channel)
    except ValueError:
        known = "、".join(c.value for c in Channel)
        raise ClockError(f"未知的申请渠道：{channel}（可用：{known}）") from None
    events = {
        "handed_in": handed_in,
        "signed_for": signed_for,
        "confirmed": confirmed,
        "email_received": email_received,
    }
    event, meaning, basis = _RECEIPT_RULES[channel]
    received = events[event]
    if received is None:
        raise ClockError(
            f"{CHANNEL_LABELS[channel]}的申请须提供{_EVENT_LABELS[event]}，"
            f"以{meaning}为收到申请之日（{basis}）"
        )
    line = (
        f"{received.isoformat()} 收到申请：{CHANNEL_LABELS[channel]}，"
        f"以{meaning}为收到申请之日（{basis}）"
    )
    return Receipt(channel=channel, received=received, explanation=(line,))


# ---------------------------------------------------------------------------------------------
# Periods


@dataclass(frozen=True)
class Pause:
    """Days not counted (consultation under 条例第三十三条第三款, or the fee window).

    ``start`` and ``end`` are both included.
    """

    start: date
    end: date
    reason: str = CONSULTATION_REASON

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ClockError(
                f"暂停期间的结束日 {self.end.isoformat()} 早于开始日 {self.start.isoformat()}"
            )

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def span(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}至{self.end.isoformat()}"


PauseLike = Pause | tuple[date, date] | tuple[date, date, str]


@dataclass(frozen=True)
class Deadline:
    """A computed legal deadline.

    ``received`` is the event that started the matter, ``clock_start`` the day the count is
    anchored to (not itself counted: the first counted day is the next one), ``due`` the last
    day, ``working_days`` the working days counted (paused days excluded).
    """

    received: date
    clock_start: date
    due: date
    provisional: bool
    explanation: tuple[str, ...]
    working_days: int
    paused_days: int = 0
    extension_days: int = 0
    base_due: date | None = None  # the due date before any extension
    pauses: tuple[Pause, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {
            "received": self.received.isoformat(),
            "clock_start": self.clock_start.isoformat(),
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "working_days": self.working_days,
            "paused_days": self.paused_days,
            "extension_days": self.extension_days,
            "base_due": self.base_due.isoformat() if self.base_due else None,
            "pauses": [
                {"from": p.start.isoformat(), "to": p.end.isoformat(), "reason": p.reason}
                for p in self.pauses
            ],
            "explanation": list(self.explanation),
        }


def _as_pause(value: PauseLike, reason: str) -> Pause:
    if isinstance(value, Pause):
        return value
    if len(value) == 3:  # (start, end, reason)
        return Pause(value[0], value[1], str(value[2]))
    start, end = value[0], value[1]
    return Pause(start, end, reason)


def _count(
    calendar: Calendar, start: date, n: int, pauses: Sequence[Pause]
) -> tuple[date, list[date]]:
    """The n-th non-paused working day after ``start`` and the paused working days skipped."""
    day = start
    counted = 0
    skipped: list[date] = []
    while counted < n:
        day += ONE_DAY
        if not calendar.is_working_day(day):
            continue
        if any(p.contains(day) for p in pauses):
            skipped.append(day)
        else:
            counted += 1
    return day, skipped


def _pause_lines(pauses: Sequence[Pause], start: date, due: date, calendar: Calendar) -> list[str]:
    lines: list[str] = []
    for pause in pauses:
        if pause.end <= start:
            lines.append(f"{pause.span} {pause.reason}在计时开始之前，不影响期限")
            continue
        days = [
            d
            for d in _span(max(pause.start, start + ONE_DAY), min(pause.end, due))
            if calendar.is_working_day(d)
        ]
        if pause.start <= due:
            basis = "" if pause.reason == FEE_REASON else "，条例第三十三条第三款"
            lines.append(
                f"暂停 {len(days)} 个工作日（{pause.reason}，{pause.span}，不计入期限{basis}）"
            )
        else:
            lines.append(f"{pause.span} {pause.reason}在期限届满之后，不影响期限")
    return lines


def _span(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def _overlap_count(pauses: Sequence[Pause], skipped: list[date]) -> int:
    per_pause = sum(sum(1 for d in skipped if p.contains(d)) for p in pauses)
    return per_pause - len(skipped)


def answer_deadline(
    received: date,
    *,
    correction_received: date | None = None,
    pauses: Iterable[PauseLike] = (),
    fee_pauses: Iterable[PauseLike] = (),
    extension_days: int = 0,
    fee_window_pauses_clock: bool = FEE_WINDOW_PAUSES_CLOCK,
    calendar: Calendar | None = None,
) -> Deadline:
    """The answer deadline of 条例第三十三条.

    20 working days counted from the day after ``received`` — or after ``correction_received``
    when the applicant corrected the application (条例第三十条 restarts the clock). Working days
    inside ``pauses`` (consultation, 条例第三十三条第三款) are not counted; ``fee_pauses`` (from
    the day after the fee notice was received to the day of payment) likewise unless
    ``fee_window_pauses_clock`` is false. ``extension_days`` (1–20, once) extends the period.
    """
    cal = calendar or default_calendar()
    _check_extension(extension_days)
    if correction_received is not None and correction_received < received:
        raise ClockError(
            f"补正日期 {correction_received.isoformat()} 早于收到申请日期 {received.isoformat()}"
        )
    consult = [_as_pause(p, CONSULTATION_REASON) for p in pauses]
    fee = [_as_pause(p, FEE_REASON) for p in fee_pauses]
    effective = consult + (fee if fee_window_pauses_clock else [])

    clock_start = correction_received or received
    base_due, _ = _count(cal, clock_start, ANSWER_DAYS, effective)
    total = ANSWER_DAYS + extension_days
    due, skipped = _count(cal, clock_start, total, effective)

    lines = [f"{received.isoformat()} 收到申请（条例第三十一条）"]
    if correction_received is not None:
        lines.append(
            f"{correction_received.isoformat()} 收到补正后的申请，答复期限自该日重新起算"
            "（条例第三十条）"
        )
    lines.append(f"自次日起计算{ANSWER_DAYS}个工作日（{_COUNTING_RULE}）")
    lines += cal.describe_span(clock_start, due)
    lines += _pause_lines(effective, clock_start, due, cal)
    overlap = _overlap_count(effective, skipped)
    if overlap:
        lines.append(
            f"暂停期间有重叠，重叠的 {overlap} 个工作日只计一次，共暂停 {len(skipped)} 个工作日"
        )
    if fee and not fee_window_pauses_clock:
        lines.append("按本机关设置，缴费期间不暂停答复期限（收费通知后的缴费期照常计入）")
    elif fee:
        lines.append(
            "缴费期间暂停答复期限（国办函〔2020〕109号未明确规定，按通行做法，可在设置中关闭）"
        )
    if extension_days:
        lines.append(f"原答复期限届满日为 {fmt_day(base_due)}")
        lines.append(f"延长 {extension_days} 个工作日（条例第三十三条第二款）")
    lines.append(f"答复期限届满日：{fmt_day(due)}")

    return Deadline(
        received=received,
        clock_start=clock_start,
        due=due,
        provisional=cal.is_provisional(clock_start, due),
        explanation=tuple(lines),
        working_days=total,
        paused_days=len(skipped),
        extension_days=extension_days,
        base_due=base_due if extension_days else None,
        pauses=tuple(effective),
    )


def _check_extension(extension_days: int) -> None:
    if isinstance(extension_days, bool) or not isinstance(extension_days, int):
        raise ClockError(f"延长天数必须是整数：{extension_days!r}")
    if extension_days < 0:
        raise ClockError("延长天数不能为负数")
    if extension_days > MAX_EXTENSION_DAYS:
        raise ClockError(
            f"延长期限最长不得超过{MAX_EXTENSION_DAYS}个工作日（条例第三十三条第二款），"
            f"不能延长 {extension_days} 个工作日"
        )


def _simple_period(
    start: date, days: int, start_line: str, rule_line: str, calendar: Calendar | None
) -> Deadline:
    cal = calendar or default_calendar()
    due, provisional = cal.add_working_days(start, days)
    lines = [start_line, f"自次日起计算{days}个工作日（{rule_line}；{_COUNTING_RULE}）"]
    lines += cal.describe_span(start, due)
    lines.append(f"期限届满日：{fmt_day(due)}")
    return Deadline(
        received=start,
        clock_start=start,
        due=due,
        provisional=provisional,
        explanation=tuple(lines),
        working_days=days,
    )


def correction_notice_deadline(received: date, *, calendar: Calendar | None = None) -> Deadline:
    """The last day to send the one-time 补正 notice: 7 working days (条例第三十条)."""
    return _simple_period(
        received,
        CORRECTION_NOTICE_DAYS,
        f"{received.isoformat()} 收到申请（条例第三十一条）",
        "一次性告知补正，条例第三十条",
        calendar,
    )


def third_party_reply_deadline(
    request_received: date, *, joint: bool = False, calendar: Calendar | None = None
) -> Deadline:
    """The third party's (or co-maker's, ``joint=True``) window: 15 working days from the day
    after it received the request for opinions (条例第三十二条 / 第三十四条)."""
    who, basis = ("共同制作机关", "条例第三十四条") if joint else ("第三方", "条例第三十二条")
    return _simple_period(
        request_received,
        THIRD_PARTY_DAYS,
        f"{request_received.isoformat()} {who}收到征求意见书",
        f"{who}提出意见，{basis}",
        calendar,
    )


def fee_payment_deadline(notice_received: date, *, calendar: Calendar | None = None) -> Deadline:
    """The applicant's payment window: 20 working days from the day after receiving the fee
    notice (国办函〔2020〕109号); unpaid after it, the application is not processed further."""
    return _simple_period(
        notice_received,
        FEE_PAYMENT_DAYS,
        f"{notice_received.isoformat()} 申请人收到收费通知",
        "缴纳信息处理费，国办函〔2020〕109号",
        calendar,
    )


def fee_pause(notice_received: date, paid: date) -> Pause | None:
    """The span the fee window removes from the answer clock: the day after the applicant
    received the notice up to the day of payment, both included (``None`` when paid the same
    day: nothing to remove)."""
    if paid < notice_received:
        raise ClockError(
            f"缴费日期 {paid.isoformat()} 早于收到收费通知日期 {notice_received.isoformat()}"
        )
    if paid == notice_received:
        return None
    return Pause(notice_received + ONE_DAY, paid, FEE_REASON)

"""From a case's clock events to ``gongkai.law.clock`` arguments (the pure arithmetic).

Conventions (docs/applications.md): a consultation removes the days from the day after the
consulted party received the letter up to its reply — never beyond its 15-working-day window
(silence lets the agency decide, 条例第三十二条); while no reply is in, the whole window is assumed.
The fee window removes the days from the day after the applicant received the notice to the
payment (or to the end of the 20-working-day window while unpaid).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gongkai.law import clock
from gongkai.law.workdays import ONE_DAY, Calendar


def _consultation_pause(event: Any, calendar: Calendar) -> clock.Pause | None:
    joint = event.party == "co_maker"
    window = clock.third_party_reply_deadline(event.on, joint=joint, calendar=calendar).due
    end = min(event.until, window) if event.until else window
    if end <= event.on:
        return None
    reason = clock.CONSULTATION_REASON if not joint else "征求共同制作机关意见"
    if event.party == "other_agency":
        reason = "征求其他行政机关意见"
    if not event.until:
        reason += "（尚未答复，按15个工作日计）"
    return clock.Pause(event.on + ONE_DAY, end, reason)


def _fee_pause(notice: Any, paid_on: Any, calendar: Calendar) -> clock.Pause | None:
    if paid_on is not None:
        return clock.fee_pause(notice.on, paid_on)
    window = clock.fee_payment_deadline(notice.on, calendar=calendar).due
    # The reason must stay FEE_REASON: the law module cites no 条例 article for fee pauses.
    return clock.Pause(notice.on + ONE_DAY, window, clock.FEE_REASON)


def answer_deadline(application: Any, events: Iterable[Any], calendar: Calendar) -> clock.Deadline:
    events = sorted(events, key=lambda e: (e.on, e.pk or 0))
    correction = [e.on for e in events if e.kind == "correction_received"]
    pauses = [
        p for e in events if e.kind == "consultation" and (p := _consultation_pause(e, calendar))
    ]
    fee_pauses = []
    paid = [e for e in events if e.kind == "fee_paid"]
    for notice in (e for e in events if e.kind == "fee_notice"):
        paid_on = next((p.on for p in paid if p.on >= notice.on), None)
        pause = _fee_pause(notice, paid_on, calendar)
        if pause is not None:
            fee_pauses.append(pause)
    return clock.answer_deadline(
        application.received_on,
        correction_received=correction[-1] if correction else None,
        pauses=pauses,
        fee_pauses=fee_pauses,
        extension_days=application.extension_days,
        calendar=calendar,
    )

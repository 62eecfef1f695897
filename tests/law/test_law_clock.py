"""The answer clock of 条例第三十条–第三十四条. Expected dates counted by hand on the 2026
schedule (LAW.md §2.1); the counting is written next to each case."""

from datetime import date

import pytest

from gongkai.law.clock import (
    Channel,
    ClockError,
    Pause,
    answer_deadline,
    correction_notice_deadline,
    fee_pause,
    fee_payment_deadline,
    receipt_date,
    third_party_reply_deadline,
)
from gongkai.law.workdays import Calendar

D = date


class TestAnswerDeadline:
    def test_across_national_day(self):
        # 9/29 (1) 9/30 (2) | 10/1–10/7 国庆 | 10/8 (3) 10/9 (4) 10/10 Sat 调休 (5)
        # 10/12–16 (10) 10/19–23 (15) 10/26–30 (20)
        d = answer_deadline(D(2026, 9, 28))
        assert d.due == D(2026, 10, 30)
        assert d.clock_start == D(2026, 9, 28)
        assert d.received == D(2026, 9, 28)
        assert d.provisional is False
        assert d.working_days == 20
        assert d.explanation == (
            "2026-09-28 收到申请（条例第三十一条）",
            "自次日起计算20个工作日（民法典第二百零一条）",
            "跳过 2026-10-01至2026-10-07 国庆节假期",
            "2026-10-10（星期六）为调休工作日",
            "答复期限届满日：2026-10-30（星期五）",
        )

    def test_across_spring_festival(self):
        # 2/11 2/12 2/13 2/14(Sat 调休) = 4 | 2/15–2/23 春节 | 2/24–2/27 (8) 2/28 Sat 调休 (9)
        # 3/2–3/6 (14) 3/9–3/13 (19) 3/16 (20)
        d = answer_deadline(D(2026, 2, 10))
        assert d.due == D(2026, 3, 16)
        assert "跳过 2026-02-15至2026-02-23 春节假期" in d.explanation
        assert "2026-02-14（星期六）为调休工作日" in d.explanation
        assert "2026-02-28（星期六）为调休工作日" in d.explanation

    def test_december_receipt_is_provisional(self):
        # 12/11 (1) 12/14–18 (6) 12/21–25 (11) 12/28–31 (15); 2027 weekends only:
        # 1/1 Fri (16) 1/4–1/7 (20)
        d = answer_deadline(D(2026, 12, 10))
        assert d.due == D(2027, 1, 7)
        assert d.provisional is True
        assert "2027年节假日安排尚未载入，按仅周末休息推算，结果为暂定" in d.explanation

    def test_december_receipt_ending_in_december_is_not_provisional(self):
        # 12/2–12/4 (3) 12/7–11 (8) 12/14–18 (13) 12/21–25 (18) 12/28 (19) 12/29 (20)
        d = answer_deadline(D(2026, 12, 1))
        assert d.due == D(2026, 12, 29)
        assert d.provisional is False

    def test_correction_restarts_the_clock(self):
        # restart from 9/10: 9/11 (1) 9/14–18 (6) 9/20 Sun 调休 (7) 9/21–24 (11) | 中秋 9/25–27 |
        # 9/28–30 (14) | 国庆 | 10/8 10/9 (16) 10/10 (17) 10/12–14 (20)
        d = answer_deadline(D(2026, 9, 1), correction_received=D(2026, 9, 10))
        assert d.received == D(2026, 9, 1)
        assert d.clock_start == D(2026, 9, 10)
        assert d.due == D(2026, 10, 14)
        assert any("条例第三十条" in line and "2026-09-10" in line for line in d.explanation)
        assert "2026-09-20（星期日）为调休工作日" in d.explanation

    def test_receipt_on_a_holiday_is_not_shifted(self):
        # e-mail received Sat 10/3 (国庆): 10/8 (1) 10/9 (2) 10/10 (3) 10/12–16 (8)
        # 10/19–23 (13) 10/26–30 (18) 11/2 (19) 11/3 (20)
        received = receipt_date(Channel.EMAIL, email_received=D(2026, 10, 3)).received
        assert answer_deadline(received).due == D(2026, 11, 3)

    def test_correction_before_receipt_is_refused(self):
        with pytest.raises(ClockError, match="早于"):
            answer_deadline(D(2026, 9, 28), correction_received=D(2026, 9, 27))

    def test_consultation_pause(self):
        # 9/29 9/30 10/8 10/9 10/10 (5) | paused 10/12–16 (5 days) | 10/19–23 (10)
        # 10/26–30 (15) 11/2–6 (20)
        d = answer_deadline(D(2026, 9, 28), pauses=[(D(2026, 10, 12), D(2026, 10, 16))])
        assert d.due == D(2026, 11, 6)
        assert d.paused_days == 5
        assert any(line.startswith("暂停 5 个工作日（征求第三方意见") for line in d.explanation)

    def test_pause_over_a_holiday_counts_only_working_days(self):
        # paused working days: 9/30, 10/8, 10/9 (10/1–10/7 are holidays anyway)
        # counted: 9/29 (1) 10/10 (2) 10/12–16 (7) 10/19–23 (12) 10/26–30 (17) 11/2–4 (20)
        d = answer_deadline(D(2026, 9, 28), pauses=[Pause(D(2026, 9, 30), D(2026, 10, 9))])
        assert d.paused_days == 3
        assert d.due == D(2026, 11, 4)

    def test_pause_before_clock_start_is_irrelevant(self):
        d = answer_deadline(
            D(2026, 9, 28),
            pauses=[(D(2026, 9, 1), D(2026, 9, 25)), (D(2026, 9, 28), D(2026, 9, 28))],
        )
        assert d.due == D(2026, 10, 30)
        assert d.paused_days == 0
        assert sum("计时开始之前" in line for line in d.explanation) == 2

    def test_pause_partly_before_clock_start(self):
        # only 9/29 is paused: 9/30 (1) 10/8–10/10 (4) 10/12–16 (9) 10/19–23 (14)
        # 10/26–30 (19) 11/2 (20)
        d = answer_deadline(D(2026, 9, 28), pauses=[(D(2026, 9, 25), D(2026, 9, 29))])
        assert d.paused_days == 1
        assert d.due == D(2026, 11, 2)

    def test_overlapping_pauses_count_each_day_once(self):
        d = answer_deadline(
            D(2026, 9, 28),
            pauses=[(D(2026, 10, 12), D(2026, 10, 14)), (D(2026, 10, 13), D(2026, 10, 16))],
        )
        assert d.paused_days == 5  # 10/12–10/16, not 3 + 4
        assert d.due == D(2026, 11, 6)
        assert any("重叠" in line for line in d.explanation)

    def test_pause_after_the_deadline_changes_nothing(self):
        d = answer_deadline(D(2026, 9, 28), pauses=[(D(2026, 11, 16), D(2026, 11, 20))])
        assert d.due == D(2026, 10, 30)
        assert d.paused_days == 0

    def test_pause_with_end_before_start_is_refused(self):
        with pytest.raises(ClockError):
            answer_deadline(D(2026, 9, 28), pauses=[(D(2026, 10, 16), D(2026, 10, 12))])

    def test_full_extension(self):
        # original 10/30; + 11/2–6 (5) 11/9–13 (10) 11/16–20 (15) 11/23–27 (20)
        d = answer_deadline(D(2026, 9, 28), extension_days=20)
        assert d.due == D(2026, 11, 27)
        assert d.base_due == D(2026, 10, 30)
        assert d.working_days == 40
        assert "延长 20 个工作日（条例第三十三条第二款）" in d.explanation

    def test_short_extension(self):
        # 10/30 + 11/2–11/6 = 5 working days
        assert answer_deadline(D(2026, 9, 28), extension_days=5).due == D(2026, 11, 6)

    def test_extension_with_pause(self):
        # base with pause 10/12–16 is 11/6; + 11/9–13 (5) 16–20 (10) 23–27 (15) 11/30–12/4 (20)
        d = answer_deadline(
            D(2026, 9, 28), pauses=[(D(2026, 10, 12), D(2026, 10, 16))], extension_days=20
        )
        assert d.base_due == D(2026, 11, 6)
        assert d.due == D(2026, 12, 4)

    @pytest.mark.parametrize("days", [21, 40, -1])
    def test_extension_out_of_range_is_refused(self, days):
        with pytest.raises(ClockError):
            answer_deadline(D(2026, 9, 28), extension_days=days)

    def test_fee_window_pauses_the_clock_by_default(self):
        # notice received 10/12, paid 10/20: paused 10/13–16, 10/19, 10/20 (6 days)
        # 9/29 9/30 10/8 10/9 10/10 (5) 10/12 (6) 10/21–23 (9) 10/26–30 (14) 11/2–6 (19) 11/9 (20)
        pause = fee_pause(D(2026, 10, 12), D(2026, 10, 20))
        assert pause == Pause(D(2026, 10, 13), D(2026, 10, 20), "等待缴纳信息处理费")
        d = answer_deadline(D(2026, 9, 28), fee_pauses=[pause])
        assert d.paused_days == 6
        assert d.due == D(2026, 11, 9)
        assert any("缴费期间暂停答复期限" in line for line in d.explanation)

    def test_fee_window_setting_off_keeps_the_clock_running(self):
        pause = fee_pause(D(2026, 10, 12), D(2026, 10, 20))
        d = answer_deadline(D(2026, 9, 28), fee_pauses=[pause], fee_window_pauses_clock=False)
        assert d.due == D(2026, 10, 30)
        assert d.paused_days == 0
        assert any("不暂停答复期限" in line for line in d.explanation)

    def test_fee_paid_the_same_day_pauses_nothing(self):
        assert fee_pause(D(2026, 10, 12), D(2026, 10, 12)) is None
        with pytest.raises(ClockError):
            fee_pause(D(2026, 10, 12), D(2026, 10, 11))

    def test_injected_calendar(self):
        # a calendar that knows nothing: weekends only, provisional; 2026-10-01 is a Thursday
        d = answer_deadline(D(2026, 9, 28), calendar=Calendar.weekends_only())
        # 9/29–10/2 (4) 10/5–9 (9) 10/12–16 (14) 10/19–23 (19) 10/26 (20)
        assert d.due == D(2026, 10, 26)
        assert d.provisional is True

    def test_as_dict_is_json_ready(self):
        data = answer_deadline(D(2026, 9, 28)).as_dict()
        assert data["due"] == "2026-10-30"
        assert data["provisional"] is False
        assert isinstance(data["explanation"], list)


class TestOtherPeriods:
    def test_correction_notice_within_7_working_days(self):
        # 2/11 2/12 2/13 2/14 (4) | 春节 | 2/24 2/25 2/26 (7)
        d = correction_notice_deadline(D(2026, 2, 10))
        assert d.due == D(2026, 2, 26)
        assert any("条例第三十条" in line for line in d.explanation)

    def test_third_party_15_working_days(self):
        # 9/29 9/30 (2) 10/8–10/10 (5) 10/12–16 (10) 10/19–23 (15)
        d = third_party_reply_deadline(D(2026, 9, 28))
        assert d.due == D(2026, 10, 23)
        assert any("条例第三十二条" in line for line in d.explanation)

    def test_co_maker_cites_article_34(self):
        d = third_party_reply_deadline(D(2026, 9, 28), joint=True)
        assert d.due == D(2026, 10, 23)
        assert any("条例第三十四条" in line for line in d.explanation)

    def test_fee_payment_20_working_days(self):
        # 4/2 4/3 (2) | 清明 4/4–4/6 | 4/7–10 (6) 4/13–17 (11) 4/20–24 (16) 4/27–30 (20)
        d = fee_payment_deadline(D(2026, 4, 1))
        assert d.due == D(2026, 4, 30)
        assert "跳过 2026-04-04至2026-04-06 清明节假期" in d.explanation

    def test_short_period_in_unloaded_year_is_provisional(self):
        # 12/29 12/30 12/31 (3), 2027-01-01 Fri (4), 1/4 1/5 1/6 (7)
        d = correction_notice_deadline(D(2026, 12, 28))
        assert d.due == D(2027, 1, 6)
        assert d.provisional is True


class TestReceiptDate:
    def test_in_person(self):
        r = receipt_date(Channel.IN_PERSON, handed_in=D(2026, 9, 28))
        assert r.received == D(2026, 9, 28)
        assert "条例第三十一条" in r.explanation[0]
        assert r.explanation[0].startswith("2026-09-28 收到申请")

    def test_post_is_the_day_signed_for_not_posted(self):
        r = receipt_date("post", signed_for=D(2026, 9, 30), confirmed=D(2026, 10, 9))
        assert r.received == D(2026, 9, 30)
        assert "签收" in r.explanation[0]

    def test_ordinary_letter_is_the_day_confirmed(self):
        r = receipt_date(Channel.LETTER, signed_for=D(2026, 9, 28), confirmed=D(2026, 9, 29))
        assert r.received == D(2026, 9, 29)
        assert "确认" in r.explanation[0]

    @pytest.mark.parametrize("channel", [Channel.ONLINE, Channel.FAX])
    def test_online_and_fax_are_the_day_both_sides_confirm(self, channel):
        r = receipt_date(channel, confirmed=D(2026, 10, 8))
        assert r.received == D(2026, 10, 8)
        assert "双方确认" in r.explanation[0]
        assert "条例第三十一条第（三）项" in r.explanation[0]

    def test_email_is_the_day_the_mail_system_received_it(self):
        r = receipt_date(Channel.EMAIL, email_received=D(2026, 10, 3))
        assert r.received == D(2026, 10, 3)
        assert "条例第三十一条" in r.explanation[0]
        assert "207号" in r.explanation[0]

    def test_missing_event_is_refused(self):
        with pytest.raises(ClockError, match="签收日期"):
            receipt_date(Channel.POST, confirmed=D(2026, 9, 28))

    def test_unknown_channel_is_refused(self):
        with pytest.raises(ClockError, match="未知的申请渠道"):
            receipt_date("pigeon", handed_in=D(2026, 9, 28))

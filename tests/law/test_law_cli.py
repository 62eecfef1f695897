"""`gongkai deadline` and `gongkai fee` through the real dispatcher."""

import json

import pytest

from gongkai.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    assert err == ""
    return json.loads(out)


class TestDeadline:
    def test_json(self, capsys):
        data = run_json(capsys, "deadline", "--received", "2026-09-28")
        assert data["received"] == "2026-09-28"
        assert data["clock_start"] == "2026-09-28"
        assert data["due"] == "2026-10-30"
        assert data["provisional"] is False
        assert "跳过 2026-10-01至2026-10-07 国庆节假期" in data["explanation"]

    def test_human_output_is_chinese(self, capsys):
        code, out, err = run(capsys, "deadline", "--received", "2026-09-28")
        assert code == 0
        assert err == ""
        assert out.splitlines()[0] == "答复期限：2026-10-30（星期五）"
        assert "2026-10-10（星期六）为调休工作日" in out

    def test_provisional_in_2027(self, capsys):
        data = run_json(capsys, "deadline", "--received", "2026-12-10")
        assert data["due"] == "2027-01-07"
        assert data["provisional"] is True
        code, out, _ = run(capsys, "deadline", "--received", "2026-12-10")
        assert code == 0
        assert "（暂定）" in out.splitlines()[0]

    def test_correction_and_pauses(self, capsys):
        # restart 9/10 → 10/14 (see test_law_clock); pause 10/12–10/13 moves it 2 days: 10/16
        data = run_json(
            capsys,
            "deadline",
            "--received",
            "2026-09-01",
            "--correction-received",
            "2026-09-10",
            "--pause",
            "2026-10-12:2026-10-13",
            "--pause",
            "2026-10-13:2026-10-13",
        )
        assert data["clock_start"] == "2026-09-10"
        assert data["due"] == "2026-10-16"
        assert data["paused_days"] == 2

    def test_extend_alone_means_20(self, capsys):
        data = run_json(capsys, "deadline", "--received", "2026-09-28", "--extend")
        assert data["extension_days"] == 20
        assert data["due"] == "2026-11-27"

    def test_extend_n(self, capsys):
        data = run_json(capsys, "deadline", "--received", "2026-09-28", "--extend", "5")
        assert data["due"] == "2026-11-06"

    def test_fee_pause_and_setting(self, capsys):
        args = ("deadline", "--received", "2026-09-28", "--fee-pause", "2026-10-13:2026-10-20")
        assert run_json(capsys, *args)["due"] == "2026-11-09"
        assert run_json(capsys, *args, "--fee-window-runs")["due"] == "2026-10-30"

    @pytest.mark.parametrize(
        ("args", "words"),
        [
            (("--received", "2026-13-01"), "不是有效日期"),
            (("--received", "yesterday"), "不是有效日期"),
            ((), "缺少 --received"),
            (("--received", "2026-09-28", "--pause", "2026-10-16:2026-10-12"), "晚于"),
            (("--received", "2026-09-28", "--pause", "2026-10-16"), "FROM:TO"),
            (("--received", "2026-09-28", "--correction-received", "2026-09-01"), "早于"),
            (("--received", "2026-09-28", "--extend", "21"), "1–20"),
            (("--received", "2026-09-28", "--extend", "0"), "1–20"),
            (("--received", "2026-09-28", "--extend", "-3"), "负数"),
        ],
    )
    def test_bad_input(self, capsys, args, words):
        code, out, err = run(capsys, "deadline", *args)
        assert code == 2
        assert out == ""
        assert err.count("\n") == 1
        assert err.startswith("gongkai deadline: 错误: ")
        assert words in err


class TestFee:
    def test_items_json(self, capsys):
        data = run_json(capsys, "fee", "--items", "35")
        assert data["method"] == "items"
        assert data["amount_yuan"] == 3000
        assert [b["subtotal"] for b in data["bands"]] == [0, 2000, 1000]

    def test_items_this_month(self, capsys):
        assert run_json(capsys, "fee", "--items", "5", "--already", "28")["amount_yuan"] == 800

    def test_pages(self, capsys):
        data = run_json(capsys, "fee", "--pages", "250")
        assert data["method"] == "pages"
        assert data["amount_yuan"] == 4700
        assert data["bands"][-1]["to"] is None

    def test_human_output(self, capsys):
        code, out, _ = run(capsys, "fee", "--pages", "31")
        assert code == 0
        assert out.splitlines()[0] == "信息处理费（按量）：10 元"

    @pytest.mark.parametrize(
        ("args", "words"),
        [
            (("--items", "3", "--pages", "40"), "只能选一个"),
            (("--items", "-1"), "负数"),
            (("--pages", "x"), "不是整数"),
            ((), "--items"),
            (("--pages", "40", "--already", "3"), "按件"),
        ],
    )
    def test_bad_input(self, capsys, args, words):
        code, out, err = run(capsys, "fee", *args)
        assert code == 2
        assert out == ""
        assert err.count("\n") == 1
        assert err.startswith("gongkai fee: 错误: ")
        assert words in err

    def test_argparse_errors_exit_2(self, capsys):
        with pytest.raises(SystemExit) as exc:
            main(["fee", "--bogus"])
        assert exc.value.code == 2

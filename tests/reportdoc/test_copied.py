"""Rule C1 on a constructed pair of consecutive reports: section 五 copied, section 一 rewritten."""

from __future__ import annotations

from gongkai.law.findings import Severity
from gongkai.reportdoc.copied import check_copied, copied_sections, fold

LAST_YEAR = {
    "overview": "2023年，本局认真贯彻落实条例，全年主动公开政府信息120条。全面推进决策公开。",
    "problems": (
        "一是政策解读形式较为单一，图解、视频解读数量偏少。\n"
        "二是信息公开队伍业务能力有待提高。下一步，我局将加强培训，"
        "不断提升政府信息公开工作水平。"
    ),
    "other": "本年度未收取信息处理费。",
}

# 2024: section 五 is last year's text with the figures and years changed and spaces added;
# section 一 is written afresh.
THIS_YEAR_COPIED = {
    "overview": "2024年，我局围绕优化营商环境，新建政策问答库，主动公开信息156条。",
    "problems": (
        "一是政策解读形式较为单一， 图解、视频解读数量偏少。\n"
        "二是信息公开队伍业务能力有待提高。下一步，我局将加强培训，"
        "不断提升政府信息公开工作水平。"
    ),
    "other": "本年度未收取信息处理费。",
}

THIS_YEAR_REWRITTEN = {
    "overview": THIS_YEAR_COPIED["overview"],
    "problems": (
        "一是基层单位公开目录更新不及时，个别栏目存在空白。"
        "二是依申请公开答复文书格式不够统一。下一步将制定答复文书范本并开展专项检查。"
    ),
    "other": "本年度未收取信息处理费。",
}


def test_copied_section_five_is_one_warning_with_its_share():
    findings = check_copied(THIS_YEAR_COPIED, LAST_YEAR)
    assert [f.rule for f in findings] == ["C1"]
    finding = findings[0]
    assert finding.severity is Severity.WARNING
    assert finding.cells == ("sections.problems",)
    assert finding.message.startswith("与上年报告文字相同")
    assert "3 句" in finding.message
    assert "100%" in finding.message


def test_rewritten_report_has_no_finding():
    assert check_copied(THIS_YEAR_REWRITTEN, LAST_YEAR) == []


def test_share_counts_only_the_repeated_part():
    half = dict(
        THIS_YEAR_REWRITTEN, problems=THIS_YEAR_REWRITTEN["problems"] + LAST_YEAR["problems"]
    )
    (copy,) = copied_sections(half, LAST_YEAR)
    assert copy.section == "problems"
    assert 0.3 < copy.share < 0.7
    assert len(copy.sentences) == 3


def test_short_formulas_are_not_copies():
    # 「本年度未收取信息处理费。」 repeats every year but says nothing: below the length floor
    assert copied_sections({"other": "本年度未收取信息处理费。"}, LAST_YEAR) == []


def test_fold_ignores_years_figures_and_spaces():
    assert fold("2023年 共收到申请 21 件。") == fold("二〇二四年共收到申请1,035件。")
    assert fold("收到申请21件") != fold("收到复议21件")


def test_no_previous_text_no_finding():
    assert check_copied(THIS_YEAR_COPIED, {}) == []

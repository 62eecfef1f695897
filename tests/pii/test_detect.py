"""Worked true and false positives of the personal-data check."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from gongkai.agencies.validators import credit_code_check_char
from gongkai.pii import Finding, mask_text, scan_text
from gongkai.pii.detect import credit_code_ok, resident_id_ok

from .ids import FULL_WIDTH, id_check, id_with_check, luhn_complete, make_id

ID = make_id()  # 410482199003071239
CARD16 = luhn_complete("622202123456789")
CARD19 = luhn_complete("621700123456789012")


def kinds(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(f.kind, f.masked) for f in scan_text(text, **kwargs)]


# -- resident ID numbers --------------------------------------------------------------------


def test_an_id_number_in_a_sentence_is_found_masked_with_its_place():
    text = f"申请人张三，身份证号码{ID}，现住某县。"
    [finding] = scan_text(text)
    assert finding == Finding("resident_id", "410482********1239", 1, 12, 11, 29)
    assert text[finding.start : finding.end] == ID


@pytest.mark.parametrize(
    "written",
    [
        id_with_check("X"),  # upper-case check character
        id_with_check("X").lower(),  # lower-case x, as people type it
        ID.translate(FULL_WIDTH),  # full-width digits (Chinese input methods)
        id_with_check("X").lower().translate(FULL_WIDTH),  # full-width ｘ
        f"{ID[:6]} {ID[6:14]} {ID[14:]}",  # grouped 6-8-4
    ],
)
def test_id_numbers_as_people_write_them(written):
    [finding] = scan_text(f"身份证：{written}。")
    assert finding.kind == "resident_id"
    assert finding.masked.startswith("410482********")
    assert finding.end - finding.start == len(written)


def test_the_mask_keeps_region_and_last_four_only():
    number = id_with_check("X").lower()
    [finding] = scan_text(number)
    assert finding.masked == f"410482********{number[-4:].upper()}"
    assert number not in repr(finding)
    assert number not in str(finding.to_json())


@pytest.mark.parametrize("position", range(18))
def test_any_single_wrong_character_fails_the_checksum(position):
    wrong = str((int(ID[position]) + 1) % 10) if position < 17 else "X"
    number = ID[:position] + wrong + ID[position + 1 :]
    # MOD 11-2 catches every single substitution: no weight is a multiple of 11
    assert "resident_id" not in [k for k, _ in kinds(f"号码{number}")]
    assert not resident_id_ok(number)


@pytest.mark.parametrize(
    "birth",
    [
        "19901301",  # month 13
        "19900230",  # 30 February
        "19000229",  # 1900 was no leap year
        "18991231",  # before 1900
        "19900000",  # day 0
    ],
)
def test_impossible_birth_dates_are_not_ids_even_with_a_right_checksum(birth):
    number = make_id(birth=birth)
    assert kinds(f"身份证{number}") == []


def test_a_real_leap_day_is_a_birth_date():
    assert kinds(make_id(birth="20000229"))[0][0] == "resident_id"


def test_a_birth_date_in_the_future_is_not_an_id():
    number = make_id(birth="20270101")
    assert kinds(number, today=date(2026, 12, 2)) == []
    assert kinds(number, today=date(2027, 1, 1))[0][0] == "resident_id"


def test_an_unknown_region_code_is_not_an_id():
    assert kinds(make_id(region="010482")) == []
    assert kinds(make_id(region="100000")) == []  # no province 10


@pytest.mark.parametrize(
    "text",
    [
        f"1{ID}",  # 19 digits
        f"{ID}0",
        f"A{ID}",  # touching ASCII letters
        f"{ID}B",
        f"ｂ{ID}",  # or full-width ones
        f"{ID}８",
        f"{ID}-01",  # joined to more digits
        f"2026-{ID}",
        f"0.{ID}",
        f"{ID}/2026-00012",  # the organisation part of a 索引号
    ],
)
def test_an_id_inside_a_longer_code_is_no_finding(text):
    assert [k for k, _ in kinds(text) if k == "resident_id"] == []


def test_an_id_beside_chinese_text_and_punctuation_is_found():
    for text in (f"{ID}", f"（{ID}）", f"号{ID}号", f"{ID}\n", f"“{ID}”", f"{ID}/13812345678"):
        assert kinds(text)[0][0] == "resident_id", text


# -- unified social credit codes and 索引号 ----------------------------------------------------


def _credit_code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


@pytest.mark.parametrize(
    "text",
    [
        "统一社会信用代码：11410000MB1957361X",
        "12410482MB0F12345K",
        _credit_code("91410100MA44ABCD1"),
        "索引号：MB1957361/2026-00012",
        "索引号：11410000MB1957361X/2026-00012",
        "索引号 410482001/2026-000123",
        "文号：汝政〔2026〕12号，成文日期：2026年3月12日，20260312",
        "成文日期 2026-03-12 发布日期 2026.03.12 10:30:15",
        "预算金额 1,234,567,890,123.45 元，合计 12345678901234.56 万元",
    ],
)
def test_codes_dates_and_amounts_are_not_personal_data(text):
    assert kinds(text) == []


def _all_digit_credit_code_that_is_also_an_id() -> str:
    """An 18-digit string valid both as a credit code and as an ID number (1 in 31 IDs)."""
    for day in range(1, 29):
        for seq in range(1000):
            number = make_id(region="110101", birth=f"199001{day:02d}", seq=f"{seq:03d}")
            if number.isdigit() and credit_code_check_char(number[:17]) == number[17]:
                return number
    raise AssertionError


def test_an_all_digit_credit_code_under_its_label_is_not_an_id():
    code = _all_digit_credit_code_that_is_also_an_id()
    assert credit_code_ok(code)
    assert resident_id_ok(code)
    assert kinds(f"统一社会信用代码：{code}") == []
    assert kinds(f"纳税人识别号 {code}") == []
    # without the label it is read as what it also is, an ID number: the safe side
    assert kinds(f"证件号码：{code}")[0][0] == "resident_id"


def test_credit_code_check_agrees_with_the_agencies_validator():
    for first17 in ("91410100MA44ABCD1", "11410000MB1957361", "12100000400000624"):
        assert credit_code_ok(_credit_code(first17))
        assert not credit_code_ok(first17 + ("0" if _credit_code(first17)[-1] != "0" else "1"))


# -- mobiles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "13812345678",
        "138-1234-5678",
        "138 1234 5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "+86-13812345678",
        "0086 13812345678",
        "008613812345678",
        "１３８１２３４５６７８",
        "＋８６ １３８１２３４５６７８",
    ],
)
def test_mobiles_as_people_write_them(written):
    findings = scan_text(f"联系电话：{written}。")
    assert [(f.kind, f.masked) for f in findings] == [("mobile", "138****5678")]
    assert findings[0].end - findings[0].start == len(written)


def test_every_mobile_prefix_from_13_to_19():
    for second in "3456789":
        assert kinds(f"1{second}012345678") == [("mobile", f"1{second}0****5678")]


def test_two_mobiles_side_by_side_are_two_findings():
    for sep in ("、", "/", "，", " ", "；"):
        text = f"13812345678{sep}13987654321"
        assert kinds(text) == [("mobile", "138****5678"), ("mobile", "139****4321")], sep


@pytest.mark.parametrize(
    "text",
    [
        "0371-12345678",  # office fixed lines (area code + 8 or 7 digits)
        "0375-6012345",
        "（0371）68901234",
        "010-13812345",
        "037168901234",
        "电话：0371-68901234，传真：0371-68901235",
        "12345678901",  # 12x is no mobile prefix
        "10012345678",
        "8613812345678",  # 86 without + or 00 is a longer run
        "138123456789",  # 12 digits
        "413812345678",
        "13812345678.00元",  # an amount
        "1.13812345678",
        "ABC13812345678",
        "13812345678abc",
        "信件编号20261126001",
    ],
)
def test_not_mobiles(text):
    assert [k for k, _ in kinds(text) if k == "mobile"] == []


# -- bank cards -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        (CARD16, f"6222********{CARD16[-4:]}"),
        (CARD19, f"6217***********{CARD19[-4:]}"),
        (" ".join(CARD16[i : i + 4] for i in range(0, 16, 4)), f"6222********{CARD16[-4:]}"),
        ("-".join(CARD16[i : i + 4] for i in range(0, 16, 4)), f"6222********{CARD16[-4:]}"),
        (
            " ".join(CARD19[i : i + 4] for i in range(0, 19, 4)),
            f"6217***********{CARD19[-4:]}",
        ),
        (CARD16.translate(FULL_WIDTH), f"6222********{CARD16[-4:]}"),
    ],
)
def test_bank_cards(written, masked):
    assert kinds(f"开户账号：{written}，") == [("bank_card", masked)]


def test_card_lengths_16_to_19():
    for length in range(16, 20):
        card = luhn_complete("6" + "2" * (length - 2))
        assert kinds(card) == [("bank_card", f"6222{'*' * (length - 8)}{card[-4:]}")]


def test_an_18_digit_card_that_is_no_id_is_still_a_card():
    card = luhn_complete("62170012345678901")
    assert not resident_id_ok(card)
    assert kinds(card)[0][0] == "bank_card"


@pytest.mark.parametrize(
    "text",
    [
        CARD16[:-1] + str((int(CARD16[-1]) + 1) % 10),  # Luhn fails
        luhn_complete("62220212345678"),  # 15 digits
        luhn_complete("6222021234567890123"),  # 20 digits
        f"{CARD16}1234",
        f"订单号NO{CARD16}",
    ],
)
def test_not_bank_cards(text):
    assert [k for k, _ in kinds(text) if k == "bank_card"] == []


# -- sensitive words ------------------------------------------------------------------------


def test_the_agencys_own_words_are_found_masked():
    text = "第一行\n本案涉及艾滋病患者，另有HIV检测。"
    findings = scan_text(text, words=["艾滋病", "hiv", "  ", ""])
    assert [(f.kind, f.masked, f.line, f.column) for f in findings] == [
        ("sensitive_word", "艾**", 2, 5),
        ("sensitive_word", "H**", 2, 13),
    ]


def test_the_longest_word_wins_and_words_are_literal():
    text = "身份证号码和a.b和axb"
    assert kinds(text, words=["身份证", "身份证号码", "a.b"]) == [
        ("sensitive_word", "身****"),
        ("sensitive_word", "a**"),
    ]


def test_words_and_numbers_in_one_pass_in_text_order():
    text = f"低保户{ID}，电话13812345678"
    assert [k for k, _ in kinds(text, words=["低保户"])] == [
        "sensitive_word",
        "resident_id",
        "mobile",
    ]


# -- places, the finding itself, masking for the event log ------------------------------------


def test_line_and_column_are_1_based_and_count_code_points():
    text = "第一行\r\n第二行：13812345678\n\n" + f"  {ID}"
    first, second = scan_text(text)
    assert (first.line, first.column) == (2, 5)
    assert (second.line, second.column) == (4, 3)
    assert text[second.start : second.end] == ID


def test_finding_is_frozen_and_serialises_without_the_raw_value():
    [finding] = scan_text(f"x {ID}")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.masked = ID  # type: ignore[misc]
    assert finding.to_json() == {
        "kind": "resident_id",
        "masked": "410482********1239",
        "line": 1,
        "column": 3,
        "start": 2,
        "end": 20,
    }


def test_nothing_in_empty_or_plain_text():
    assert scan_text("") == []
    assert scan_text("二〇二六年政府信息公开工作年度报告\n" * 50) == []


def test_mask_text_masks_the_shape_of_an_id_even_with_a_wrong_checksum():
    wrong = ID[:-1] + "0"
    assert mask_text(f"身份证{wrong}，手机13812345678，卡{CARD16}") == (
        f"身份证410482********1230，手机138****5678，卡6222********{CARD16[-4:]}"
    )
    assert mask_text("无个人信息") == "无个人信息"


def test_id_check_helper_matches_the_published_example():
    # GB 11643-1999 appendix example
    assert id_check("11010519491231002") == "X"

import pytest

from gongkai.eventlog.masking import (
    MASK,
    mask_id_number,
    mask_phone,
    mask_pii_text,
    mask_secrets,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("110101199003071234", "110101********1234"),
        ("11010119900307123X", "110101********123X"),
        ("123", MASK),
        ("A1234567", "****4567"),
    ],
)
def test_mask_id_number(value, expected):
    assert mask_id_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("13812345678", "138****5678"), ("0375-1234567", "********4567"), ("110", MASK)],
)
def test_mask_phone(value, expected):
    assert mask_phone(value) == expected


def test_mask_pii_in_text():
    text = "申请人张三，身份证号110101199003071234，手机13812345678，信件编号20261126001。"
    assert mask_pii_text(text) == (
        "申请人张三，身份证号110101********1234，手机138****5678，信件编号20261126001。"
    )


def test_mask_secrets_keys():
    data = {
        "Password": "x",
        "new_password1": "y",
        "session_key": "z",
        "SECRET_KEY": "k",
        "applicant_id_number": "110101199003071234",
        "mobile": "13812345678",
        "title": "关于某事的通知",
        "count": 3,
        "empty_token": "",
        "none_secret": None,
    }
    assert mask_secrets(data) == {
        "Password": MASK,
        "new_password1": MASK,
        "session_key": MASK,
        "SECRET_KEY": MASK,
        "applicant_id_number": "110101********1234",
        "mobile": "138****5678",
        "title": "关于某事的通知",
        "count": 3,
        "empty_token": "",
        "none_secret": None,
    }


def test_mask_secrets_does_not_mutate_input():
    data = {"password": "x", "list": [{"token": "t"}]}
    mask_secrets(data)
    assert data == {"password": "x", "list": [{"token": "t"}]}


def test_public_office_contacts_are_not_masked():
    data = {"office_phone": "0375-1234567", "applicant_phone": "0375-1234567"}
    assert mask_secrets(data) == {"office_phone": "0375-1234567", "applicant_phone": "********4567"}


def test_free_text_masking_uses_the_personal_data_check():
    # the same detectors as `gongkai pii`: full-width digits, separators, bank cards, and
    # numbers inside longer codes left alone
    text = "身份证１１０１０１１９９００３０７１２３４，手机+86 138-1234-5678，卡6222021234567894"
    assert mask_pii_text(text) == "身份证110101********1234，手机138****5678，卡6222********7894"
    assert mask_pii_text("索引号MB1957361/2026-00012，编号A110101199003071234") == (
        "索引号MB1957361/2026-00012，编号A110101199003071234"
    )


def test_mask_phone_accepts_written_mobiles():
    assert mask_phone("+86 138-1234-5678") == "138****5678"

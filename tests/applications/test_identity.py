from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gongkai.applications.identity import validate_identity, validate_resident_id

from .conftest import COMPANY_CODE, RESIDENT_ID


def test_valid_resident_id_normalises_x():
    assert validate_resident_id(RESIDENT_ID.lower()) == RESIDENT_ID


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("11010519491231002", "18 位"),
        ("1101051949123100AX", "前 17 位"),
        ("110105194902300021", "不是有效日期"),
        ("110105189912310023", "不合理"),
        ("110105194912310021", "校验位"),
    ],
)
def test_bad_resident_ids(number, fragment):
    with pytest.raises(ValidationError) as info:
        validate_resident_id(number)
    assert fragment in " ".join(info.value.messages)


def test_future_birth_date_refused():
    with pytest.raises(ValidationError):
        validate_resident_id("11010520300101001X", today=date(2026, 1, 1))


def test_credit_code_and_other_types():
    assert validate_identity("credit_code", COMPANY_CODE.lower()) == COMPANY_CODE
    with pytest.raises(ValidationError):
        validate_identity("credit_code", COMPANY_CODE[:-1] + "0")
    assert validate_identity("passport", " E12345678 ") == "E12345678"
    with pytest.raises(ValidationError):
        validate_identity("passport", "")
    with pytest.raises(ValidationError):
        validate_identity("none", "123")

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gongkai.agencies.validators import (
    credit_code_check_char,
    org_code_check_char,
    org_code_from_credit_code,
    validate_credit_code,
    validate_org_code,
)

# The worked example of GB 32100-2015 and a government agency's code.
VALID_CODES = ["91350100M000100Y43", "11410482005521437A"]


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_credit_codes(code):
    validate_credit_code(code)
    validate_credit_code(code.lower())  # normalised before checking
    validate_credit_code(f" {code[:9]}-{code[9:]} ")


def test_wrong_check_character():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y44")
    assert exc.value.code == "check_digit"
    assert "第 18 位应为 3" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y433", "length"),
        ("91350100I000100Y43", "alphabet"),  # I is not in the alphabet
        ("9135010OM000100Y43", "alphabet"),  # nor O
        ("", "length"),
    ],
)
def test_malformed_credit_codes(code, error):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == error


def test_every_single_character_change_is_caught():
    code = VALID_CODES[0]
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(17):
        for ch in alphabet:
            if ch == code[position]:
                continue
            changed = code[:position] + ch + code[position + 1 :]
            assert credit_code_check_char(changed[:17]) != code[17], changed


def test_org_code_check():
    body = "D2143569"
    code = body + org_code_check_char(body)
    validate_org_code(code)
    validate_org_code(f"{body}-{code[-1]}")
    wrong = "1" if code[-1] != "1" else "2"
    with pytest.raises(ValidationError) as exc:
        validate_org_code(body + wrong)
    assert exc.value.code == "check_digit"
    with pytest.raises(ValidationError):
        validate_org_code("D214356")


def test_org_code_from_credit_code():
    assert org_code_from_credit_code("91350100M000100Y43") == "M000100Y4"


ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.sampled_from(ALPHABET))
def test_computed_check_character_validates_and_only_it(body, other):
    validate_credit_code(body + credit_code_check_char(body))
    if other != credit_code_check_char(body):
        with pytest.raises(ValidationError):
            validate_credit_code(body + other)

"""Hypothesis properties of the personal-data check."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from gongkai.pii import mask_text, scan_text
from gongkai.pii.detect import _ID_REGIONS

from .ids import FULL_WIDTH, make_id

# Chinese prose: CJK ideographs, Chinese punctuation, spaces and line breaks (no digits or
# Latin letters, which would make the number part of a longer code)
CJK = "".join(chr(c) for c in range(0x4E00, 0xA000, 23))  # spread over the whole block
CHINESE = st.text(
    alphabet=CJK + "的一是在不了有和人这中大为上个国我以要他，。、；：？！“”（）《》【】— \n\u3000",
    max_size=200,
)
TODAY = date(2026, 12, 2)


@st.composite
def valid_ids(draw) -> str:
    region = draw(st.sampled_from(sorted(_ID_REGIONS))) + draw(
        st.text(alphabet="0123456789", min_size=4, max_size=4)
    )
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    number = make_id(region, born.strftime("%Y%m%d"), seq)
    if draw(st.booleans()):
        number = number.lower()
    if draw(st.booleans()):
        number = number.translate(FULL_WIDTH)
    return number


@given(before=CHINESE, number=valid_ids(), after=CHINESE)
def test_a_valid_id_anywhere_in_chinese_text_is_found(before, number, after):
    text = before + number + after
    [finding] = scan_text(text, today=TODAY)
    assert finding.kind == "resident_id"
    assert (finding.start, finding.end) == (len(before), len(before) + len(number))
    assert finding.line == before.count("\n") + 1
    assert finding.column == len(before) - (before.rfind("\n") + 1) + 1
    plain = number.translate(str.maketrans("０１２３４５６７８９ｘＸx", "0123456789XXX"))
    assert finding.masked == f"{plain[:6]}********{plain[-4:]}"


@given(
    before=CHINESE,
    run=st.text(alphabet="0123456789", min_size=1, max_size=40).filter(
        lambda r: len(r) not in {11, 16, 17, 18, 19}
    ),
    after=CHINESE,
)
def test_digit_runs_of_other_lengths_are_not_found(before, run, after):
    assert scan_text(before + run + after, today=TODAY) == []


@given(
    before=CHINESE,
    number=valid_ids(),
    left=st.text(alphabet="0123456789ABCXYZabcxyz", max_size=3),
    right=st.text(alphabet="0123456789ABCXYZabcxyz", max_size=3),
    after=CHINESE,
)
def test_an_id_glued_to_more_digits_or_letters_is_not_an_id(before, number, left, right, after):
    if not (left or right):
        right = "7"
    found = scan_text(before + left + number + right + after, today=TODAY)
    assert "resident_id" not in [f.kind for f in found]


@given(
    before=CHINESE,
    mobile=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    glue=st.text(alphabet="0123456789", min_size=1, max_size=5),
    left=st.booleans(),
    after=CHINESE,
)
def test_a_mobile_inside_a_longer_digit_run_is_not_a_mobile(before, mobile, glue, left, after):
    if left and glue == "0086":
        glue = "1086"  # 0086 + a mobile is the country prefix: a real mobile, found as one
    run = glue + mobile if left else mobile + glue
    assert "mobile" not in [f.kind for f in scan_text(before + run + after)]


@given(text=st.text(max_size=300), words=st.lists(st.text(max_size=5), max_size=4))
def test_any_text_scans_without_error_and_findings_are_ordered_spans(text, words):
    findings = scan_text(text, words=words)
    positions = [(f.start, f.end) for f in findings]
    assert positions == sorted(positions)
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert f.line == text.count("\n", 0, f.start) + 1


@given(before=CHINESE, number=valid_ids(), after=CHINESE)
def test_mask_text_never_leaves_the_number(before, number, after):
    masked = mask_text(before + number + after)
    assert number not in masked
    assert len(scan_text(masked, today=TODAY)) == 0

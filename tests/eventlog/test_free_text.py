"""Free text entering the permanent log is masked (ID and mobile numbers) and truncated."""

from __future__ import annotations

import pytest
from django.db import transaction

from gongkai.eventlog.chain import verify_chain
from gongkai.eventlog.masking import EVENT_TEXT_MAX, mask_free_text
from gongkai.eventlog.registry import register_actions
from gongkai.eventlog.services import record

pytestmark = pytest.mark.django_db

register_actions({"testing.free_text": "测试：自由文本"})

ID_NUMBER = "110101199003071234"
MOBILE = "13812345678"
DIGEST = "a13812345678" + "0" * 52


def _record(**kwargs):
    with transaction.atomic():
        return record(action="testing.free_text", **kwargs)


def test_id_and_mobile_numbers_in_any_text_are_masked():
    event = _record(after={"comment": f"申请人身份证 {ID_NUMBER}，电话 {MOBILE}。"})
    comment = event.after["comment"]
    assert ID_NUMBER not in comment
    assert MOBILE not in comment
    assert "110101********1234" in comment
    assert "138****5678" in comment


def test_nested_text_is_masked_too():
    event = _record(before={"steps": [{"reason": f"转 {MOBILE}"}]})
    assert MOBILE not in str(event.before)


def test_huge_text_is_truncated_once_here():
    event = _record(after={"reason": "长" * 2_000_000})
    reason = event.after["reason"]
    assert len(reason) < EVENT_TEXT_MAX + 50
    assert "2000000" in reason


def test_revision_digests_are_not_mistaken_for_phone_numbers():
    assert mask_free_text({"revision": DIGEST}) == {"revision": DIGEST}


def test_masked_events_still_verify():
    _record(after={"comment": f"{ID_NUMBER} " * 3000})
    assert verify_chain().ok

import datetime
import decimal

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from gongkai.agencies.models import Section
from gongkai.eventlog.chain import GENESIS_HASH, compute_hash, verify_chain
from gongkai.eventlog.masking import MASK
from gongkai.eventlog.middleware import RequestContextMiddleware, client_ip
from gongkai.eventlog.models import AppendOnlyError, Event, EventChainHead
from gongkai.eventlog.registry import UnknownActionError, register_actions
from gongkai.eventlog.services import NotInTransactionError, events_for, record

pytestmark = pytest.mark.django_db

register_actions({"testing.poke": "测试事件"})


def poke(**kwargs):
    with transaction.atomic():
        return record(action="testing.poke", **kwargs)


@pytest.mark.django_db(transaction=True)
def test_record_requires_callers_transaction():
    with pytest.raises(NotInTransactionError, match="事务"):
        record(action="testing.poke")
    assert Event.objects.count() == 0


def test_unregistered_action_is_refused(db):
    with transaction.atomic(), pytest.raises(UnknownActionError, match="未登记"):
        record(action="testing.never_registered")


def test_register_conflicting_label_or_bad_code_is_refused():
    with pytest.raises(ValueError, match="已登记"):
        register_actions({"testing.poke": "别的说明"})
    with pytest.raises(ValueError, match="格式无效"):
        register_actions({"NoDots": "说明"})
    register_actions({"testing.poke": "测试事件"})  # same pair again is harmless


def test_events_form_a_linear_chain(db):
    first, second, third = poke(), poke(), poke()
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    head = EventChainHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (3, third.hash)
    stored = Event.objects.get(seq=2)
    assert compute_hash(stored, first.hash) == stored.hash
    assert verify_chain().ok


def test_event_rolls_back_with_the_change(db):
    poke()

    def failing_change():
        with transaction.atomic():
            record(action="testing.poke")
            raise RuntimeError("业务失败")

    with pytest.raises(RuntimeError):
        failing_change()
    assert Event.objects.count() == 1
    assert poke().seq == 2
    assert verify_chain().ok


def test_actor_object_and_agency(drafter, petition_bureau, office_section):
    event = poke(actor=drafter, obj=office_section)
    assert event.actor == drafter
    assert event.actor_label == "王起草（drafter）"
    assert event.agency_id == petition_bureau.pk  # taken from the object's agency
    assert event.object_id == str(office_section.pk)
    assert event.object_repr == "市信访局·办公室"
    assert list(events_for(office_section).values_list("action", flat=True)) == [
        "agencies.section_create",
        "testing.poke",
    ]


def test_system_actor_label(db):
    assert poke().actor_label == "系统"


def test_secrets_and_pii_are_masked(db):
    event = poke(
        before={"password": "hunter2", "nested": {"api_token": "abc"}},
        after={
            "id_number": "110101199003071234",
            "phone": "13812345678",
            "name": "张三",
            "items": [{"secret": "x"}],
        },
    )
    event = Event.objects.get(pk=event.pk)
    assert event.before == {"password": MASK, "nested": {"api_token": MASK}}
    assert event.after == {
        "id_number": "110101********1234",
        "phone": "138****5678",
        "name": "张三",
        "items": [{"secret": MASK}],
    }
    assert verify_chain().ok


def test_non_json_values_are_stored_as_json(db):
    event = poke(after={"when": datetime.date(2026, 11, 26), "fee": decimal.Decimal("10.50")})
    stored = Event.objects.get(pk=event.pk)
    assert stored.after == {"when": "2026-11-26", "fee": "10.50"}
    assert verify_chain().ok


def test_events_cannot_be_changed_or_deleted(db):
    event = poke()
    event.action = "testing.other"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()


def test_request_id_and_ip_from_the_current_request(db, settings):
    settings.GONGKAI_BEHIND_PROXY = True
    seen = {}

    def view(request):
        seen["event"] = poke()
        return HttpResponse("ok")

    middleware = RequestContextMiddleware(view)
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="proxy-req-12345", REMOTE_ADDR="10.1.2.3")
    response = middleware(request)
    assert response["X-Request-ID"] == "proxy-req-12345"
    assert seen["event"].request_id == "proxy-req-12345"
    assert seen["event"].ip == "10.1.2.3"
    # Outside the request no request data leaks into events.
    later = poke()
    assert later.request_id == ""
    assert later.ip is None


def test_client_request_id_not_trusted_without_proxy(db, settings):
    """Without the configured proxy a client could make its requests look like another's."""
    settings.GONGKAI_BEHIND_PROXY = False
    seen = {}

    def view(request):
        seen["event"] = poke()
        return HttpResponse("ok")

    response = RequestContextMiddleware(view)(
        RequestFactory().get("/", HTTP_X_REQUEST_ID="someone-elses-request-id")
    )
    assert response["X-Request-ID"] != "someone-elses-request-id"
    assert seen["event"].request_id == response["X-Request-ID"]


@pytest.mark.parametrize("bad", ["short", "has space in it", "x" * 200, "semi;colon-123"])
def test_malformed_request_id_is_replaced(bad, settings):
    settings.GONGKAI_BEHIND_PROXY = True
    middleware = RequestContextMiddleware(lambda request: HttpResponse())
    response = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID=bad))
    assert response["X-Request-ID"] != bad
    assert len(response["X-Request-ID"]) == 32


def test_forwarded_for_only_behind_proxy(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.GONGKAI_BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.GONGKAI_BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.9"


def test_explicit_request_argument(db):
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8::1")
    event = poke(request=request)
    assert event.ip == "2001:db8::1"
    assert len(event.request_id) == 32
    assert verify_chain().ok


def test_client_response_carries_request_id(client, settings):
    settings.GONGKAI_BEHIND_PROXY = True
    response = client.get(reverse("workdays:overview"), HTTP_X_REQUEST_ID="abcdef-0123456789")
    assert response["X-Request-ID"] == "abcdef-0123456789"


def test_unsaved_object_is_refused(petition_bureau):
    with pytest.raises(ValueError, match="已保存"):
        poke(obj=Section(agency=petition_bureau, name="未保存"))

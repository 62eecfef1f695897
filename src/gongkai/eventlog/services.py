"""Recording events: the only way rows enter the log."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.http import HttpRequest
from django.utils import timezone

from gongkai.eventlog.chain import compute_hash, normalize_json
from gongkai.eventlog.masking import mask_free_text, mask_secrets
from gongkai.eventlog.middleware import client_ip, current_request, request_id_for
from gongkai.eventlog.models import Event, EventChainHead
from gongkai.eventlog.registry import require_registered

SYSTEM_LABEL = "系统"
ANONYMOUS_LABEL = "匿名用户"


class NotInTransactionError(RuntimeError):
    """record() outside a transaction could log a change that then rolls back (or vice versa)."""


def _lock_head() -> EventChainHead:
    """Lock the chain head row; every writer queues here, so the chain stays linear."""
    head = EventChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # First event ever (or after a test flush): create the head from whatever the log holds.
    last = Event.objects.order_by("-seq").values("seq", "hash").first()
    initial = EventChainHead(pk=1)
    if last:
        initial.last_seq, initial.last_hash = last["seq"], last["hash"]
    EventChainHead.objects.bulk_create([initial], ignore_conflicts=True)
    return EventChainHead.objects.select_for_update().get(pk=1)


def _actor_fields(actor: Any) -> tuple[Any, str]:
    if actor is None:
        return None, SYSTEM_LABEL
    if not getattr(actor, "is_authenticated", False):
        return None, ANONYMOUS_LABEL
    return actor, getattr(actor, "label", None) or actor.get_username()


def _agency_id_for(obj: models.Model | None) -> int | None:
    if obj is None:
        return None
    if obj._meta.label == "agencies.Agency":
        return obj.pk
    return getattr(obj, "agency_id", None)


def record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    agency: Any = None,
    before: Any = None,
    after: Any = None,
    request: HttpRequest | None = None,
) -> Event:
    """Append one event. Call inside the transaction that makes the change it describes.

    ``agency`` defaults to the object's agency (or the object itself when it is an agency);
    ``request`` defaults to the current request (request id and client IP); ``before``/``after``
    are masked (secrets by key; identity and mobile numbers anywhere in any text) and every text
    in them is cut to ``masking.EVENT_TEXT_MAX`` characters before it is stored for good.
    """
    require_registered(action)
    if not connection.in_atomic_block:
        raise NotInTransactionError(
            "record() 必须在调用方的事务（transaction.atomic）中执行，使事件与变更同时提交或回滚。"
        )
    request = request if request is not None else current_request()
    actor_obj, actor_label = _actor_fields(actor)
    event = Event(
        created_at=timezone.now(),
        actor=actor_obj,
        actor_label=actor_label[:200],
        agency_id=agency.pk if agency is not None else _agency_id_for(obj),
        action=action,
        before=normalize_json(mask_free_text(mask_secrets(before))),
        after=normalize_json(mask_free_text(mask_secrets(after))),
    )
    if obj is not None:
        if obj.pk is None:
            raise ValueError("record() 的 obj 必须是已保存的对象（先保存，再记录事件）。")
        event.content_type = ContentType.objects.get_for_model(obj)
        event.object_id = str(obj.pk)
        event.object_repr = mask_free_text(str(obj))[:200]
    if request is not None:
        event.request_id = getattr(request, "request_id", None) or request_id_for(request)
        event.ip = getattr(request, "client_ip", None) or client_ip(request)
    head = _lock_head()
    event.seq = head.last_seq + 1
    event.prev_hash = head.last_hash
    event.hash = compute_hash(event, head.last_hash)
    event.save(force_insert=True)
    EventChainHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


def events_for(obj: models.Model) -> models.QuerySet[Event]:
    """The history of one object, oldest first."""
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")

"""Hashing and verification of the event chain."""

from __future__ import annotations

import hashlib
import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from gongkai.eventlog.models import GENESIS_HASH, Event, EventChainHead


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder
    )


def normalize_json(value: Any) -> Any:
    """What the JSON column will give back, so the hash is computed over exactly that."""
    if value is None:
        return None
    return json.loads(canonical_json(value))


def _normalize_ip(ip: Any) -> str | None:
    if ip in (None, ""):
        return None
    return str(ipaddress.ip_address(str(ip)))


def _content_type_label(content_type_id: int | None) -> str | None:
    if content_type_id is None:
        return None
    ct = ContentType.objects.get_for_id(content_type_id)
    return f"{ct.app_label}.{ct.model}"


def hash_payload(event: Event) -> dict[str, Any]:
    """Every recorded field of the row except the hash itself."""
    return {
        "seq": event.seq,
        "created_at": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "agency_id": event.agency_id,
        "content_type": _content_type_label(event.content_type_id),
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "action": event.action,
        "before": event.before,
        "after": event.after,
        "request_id": event.request_id,
        "ip": _normalize_ip(event.ip),
    }


def compute_hash(event: Event, prev_hash: str) -> str:
    data = prev_hash + canonical_json(hash_payload(event))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_seq: int | None
    message: str


def _broken(checked: int, seq: int, message: str) -> VerifyResult:
    return VerifyResult(ok=False, checked=checked, first_broken_seq=seq, message=message)


def verify_chain(*, chunk_size: int = 2000) -> VerifyResult:
    """Walk the chain in order; report the first row that does not fit, or confirm it is intact."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for event in Event.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return _broken(
                checked,
                expected_seq,
                f"事件链断裂：缺少第 {expected_seq} 号事件（下一条为第 {event.seq} 号），"
                "记录可能被删除。",
            )
        if event.prev_hash != prev_hash:
            return _broken(
                checked,
                event.seq,
                f"事件链断裂：第 {event.seq} 号事件记录的前一哈希与第 {event.seq - 1} 号事件不符，"
                "记录可能被删除、插入或调换了顺序。",
            )
        if compute_hash(event, prev_hash) != event.hash:
            return _broken(
                checked,
                event.seq,
                f"事件链断裂：第 {event.seq} 号事件的内容与其哈希不符，记录被修改过。",
            )
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    head = EventChainHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is not None and (head.last_seq != last_seq or head.last_hash != prev_hash):
        return _broken(
            checked,
            last_seq + 1,
            f"事件链断裂：链头记载最后一条为第 {head.last_seq} 号事件，"
            f"实际最后一条为第 {last_seq} 号，末尾的记录可能被删除。",
        )
    if head is None and checked:
        return _broken(checked, last_seq, "事件链头记录缺失，无法确认末尾记录是否完整。")
    return VerifyResult(
        ok=True,
        checked=checked,
        first_broken_seq=None,
        message=f"事件链完整：共 {checked} 条事件。",
    )

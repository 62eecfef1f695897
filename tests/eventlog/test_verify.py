"""Tampering with the log in any way the database allows is detected by verification."""

import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from gongkai.eventlog.chain import compute_hash, verify_chain
from gongkai.eventlog.models import Event
from gongkai.eventlog.registry import register_actions
from gongkai.eventlog.services import record

register_actions({"testing.poke": "测试事件"})


def write_events(n):
    for i in range(n):
        with transaction.atomic():
            record(action="testing.poke", after={"i": i, "text": f"第{i}件"})


def raw(sql, params=()):
    # Straight SQL: exactly what someone with database access could do, past every model guard.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


TABLE = Event._meta.db_table


@pytest.fixture
def five(db):
    write_events(5)
    assert verify_chain().ok


def test_intact_chain(five):
    result = verify_chain()
    assert result.ok
    assert result.checked == 5
    assert result.message == "事件链完整：共 5 条事件。"


def test_empty_chain_is_intact(db):
    assert verify_chain().ok


def test_edited_content_is_detected(five):
    raw(f"UPDATE {TABLE} SET actor_label = %s WHERE seq = 3", ["冒名顶替"])
    result = verify_chain()
    assert not result.ok
    assert result.first_broken_seq == 3
    assert "第 3 号事件的内容与其哈希不符" in result.message
    assert result.checked == 2


def test_edited_json_is_detected(five):
    raw(f"UPDATE {TABLE} SET after = %s WHERE seq = 2", ['{"i": 99, "text": "第1件"}'])
    result = verify_chain()
    assert (result.ok, result.first_broken_seq) == (False, 2)


def test_rehashed_row_still_breaks_the_next_link(five):
    # A careful forger recomputes the row's own hash; the next row still points at the old one.
    raw(f"UPDATE {TABLE} SET actor_label = %s WHERE seq = 3", ["冒名顶替"])
    forged = Event.objects.get(seq=3)
    raw(f"UPDATE {TABLE} SET hash = %s WHERE seq = 3", [compute_hash(forged, forged.prev_hash)])
    result = verify_chain()
    assert (result.ok, result.first_broken_seq) == (False, 4)
    assert "前一哈希" in result.message


def test_deleted_row_is_detected(five):
    raw(f"DELETE FROM {TABLE} WHERE seq = 2")
    result = verify_chain()
    assert (result.ok, result.first_broken_seq) == (False, 2)
    assert "缺少第 2 号事件" in result.message


def test_deleted_last_row_is_detected(five):
    raw(f"DELETE FROM {TABLE} WHERE seq = 5")
    result = verify_chain()
    assert (result.ok, result.first_broken_seq) == (False, 5)
    assert "末尾" in result.message


def test_swapped_rows_are_detected(five):
    # Swap the content of rows 2 and 3 (everything except the sequence number).
    cols = ["created_at", "actor_label", "action", "after", "prev_hash", "hash"]
    rows = {seq: list(Event.objects.filter(seq=seq).values_list(*cols).get()) for seq in (2, 3)}
    raw(f"UPDATE {TABLE} SET hash = 'tmp' WHERE seq = 2")  # hash is unique
    for seq, other in ((3, 2), (2, 3)):
        sets = ", ".join(f"{c} = %s" for c in cols)
        values = [v if not isinstance(v, dict) else json.dumps(v) for v in rows[other]]
        raw(f"UPDATE {TABLE} SET {sets} WHERE seq = %s", [*values, seq])
    result = verify_chain()
    assert (result.ok, result.first_broken_seq) == (False, 2)


def test_renumbered_rows_are_detected(five):
    # Reorder by swapping sequence numbers of rows 4 and 5.
    raw(f"UPDATE {TABLE} SET seq = -1 WHERE seq = 4")
    raw(f"UPDATE {TABLE} SET seq = 4 WHERE seq = 5")
    raw(f"UPDATE {TABLE} SET seq = 5 WHERE seq = -1")
    result = verify_chain()
    assert (result.ok, result.first_broken_seq) == (False, 4)


def test_verify_command_ok(five, capsys):
    call_command("eventlog", "verify")
    assert "事件链完整：共 5 条事件" in capsys.readouterr().out


def test_verify_command_names_broken_row(five, capsys):
    raw(f"UPDATE {TABLE} SET object_repr = %s WHERE seq = 4", ["改过"])
    with pytest.raises(SystemExit) as exc:
        call_command("eventlog", "verify")
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "第 4 号事件的内容与其哈希不符" in err
    assert "第 4 号之前的 3 条事件校验通过" in err


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_linear_chain():
    threads, per_thread = 6, 15
    barrier = threading.Barrier(threads)
    errors = []

    def worker():
        try:
            barrier.wait()
            write_events(per_thread)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    total = threads * per_thread
    assert list(Event.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, total + 1)
    )
    result = verify_chain()
    assert result.ok, result.message
    assert result.checked == total

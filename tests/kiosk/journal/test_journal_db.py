"""The journal's storage: PRAGMAs, timestamps, queries for the technician view and the fleet agent, the
person hash and its secret, concurrent writers, and PostgreSQL when a server is given."""

from __future__ import annotations

import os
import stat
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.journal import (
    IllegalTransition,
    Journal,
    OrderState,
    PersonHasher,
    PrintJobState,
    Service,
    load_or_create_secret,
    sqlite_pragmas,
)
from tests.kiosk.journal.journal_fakes import SettableClock

S = OrderState


def test_sqlite_runs_wal_with_full_sync_and_foreign_keys(journal: Journal) -> None:
    pragmas = sqlite_pragmas(journal.engine)
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["synchronous"] == 2  # FULL
    assert pragmas["foreign_keys"] == 1


def test_an_in_memory_journal_is_refused() -> None:
    with pytest.raises(ValueError, match="in-memory"):
        Journal.open("sqlite://", kiosk_id="k")


def test_timestamps_come_back_as_the_clock_gave_them(journal: Journal, clock: SettableClock) -> None:
    order = journal.create_order(Service.CERTIFICATE)
    clock.advance(seconds=90)
    journal.begin_issue(order.order_id)
    stored = journal.get(order.order_id)
    assert stored.created_at == order.created_at
    assert stored.updated_at - stored.created_at == timedelta(seconds=90)
    assert stored.updated_at.utcoffset() == timedelta(0)


def test_open_transactions_count_only_recent_unfinished_orders(journal: Journal, clock: SettableClock) -> None:
    stale = journal.create_order(Service.TEMP_ID, amount_cents=1000)
    journal.begin_payment(stale.order_id)
    clock.advance(hours=2)  # a crashed order nobody reconciled must not block config changes for ever
    live = journal.create_order(Service.TEMP_ID, amount_cents=1000)
    journal.begin_payment(live.order_id)
    finished = journal.create_order(Service.CERTIFICATE)
    journal.cancel(finished.order_id, "citizen_left")
    assert journal.open_transaction_count() == 1
    assert journal.open_transaction_count(stale_after=timedelta(hours=3)) == 2
    journal.cancel(live.order_id)
    assert journal.open_transaction_count() == 0


def test_technician_queries(journal: Journal, clock: SettableClock) -> None:
    ids = []
    for service in (Service.TEMP_ID, Service.CERTIFICATE, Service.TRAFFIC):
        ids.append(journal.create_order(service, amount_cents=0).order_id)
        clock.advance(seconds=1)
    journal.begin_issue(ids[1])
    journal.fail(ids[2], "backend_down")
    counts = journal.counts_by_state()
    assert (counts[S.CREATED], counts[S.ISSUE_PENDING], counts[S.FAILED], counts[S.DONE]) == (1, 1, 1, 0)
    assert sum(journal.counts_by_state(since=clock.now - timedelta(seconds=1.5)).values()) == 1
    recent = journal.recent_orders(limit=2)
    assert [order.order_id for order in recent] == [ids[2], ids[1]]
    assert [order.order_id for order in journal.unfinished_orders()] == [ids[0], ids[1]]


def test_the_same_person_is_counted_without_storing_the_number(journal: Journal) -> None:
    for _ in range(2):
        order = journal.create_order(Service.CERTIFICATE, id_number="11010519491231002x")
        journal.begin_issue(order.order_id)
        journal.begin_print(order.order_id, "C-1", "certificate")
    journal.create_order(Service.CERTIFICATE, id_number="110105194912310038")
    assert journal.count_for_person("11010519491231002X", service=Service.CERTIFICATE) == 2
    assert journal.count_for_person("11010519491231002X", service=Service.TEMP_ID) == 0
    assert journal.count_for_person("110105194912310038") == 0  # created only: not counted as a request


def test_secret_is_private_created_once_and_keys_the_hash(tmp_path: Path) -> None:
    path = tmp_path / "data" / "journal.secret"
    first = load_or_create_secret(path)
    assert load_or_create_secret(path) == first
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    other = load_or_create_secret(tmp_path / "other.secret")
    number = "11010519491231002X"
    assert PersonHasher(first).hash_id_number(number) != PersonHasher(other).hash_id_number(number)
    assert "secret" not in repr(PersonHasher(first)).replace("<secret>", "")
    assert [p.name for p in path.parent.iterdir()] == ["journal.secret"]  # no temp file left behind


def test_a_journal_without_secret_refuses_id_numbers(tmp_path: Path) -> None:
    with Journal.open(f"sqlite:///{tmp_path / 'j.sqlite3'}", kiosk_id="k") as journal, pytest.raises(ValueError):
        journal.create_order(Service.CERTIFICATE, id_number="11010519491231002X")


def test_threads_writing_at_once_lose_nothing(journal: Journal) -> None:
    orders = [journal.create_order(Service.CERTIFICATE).order_id for _ in range(8)]
    errors: list[BaseException] = []

    def walk(order_id: str) -> None:
        try:
            journal.begin_issue(order_id)
            journal.begin_print(order_id, f"N-{order_id[:4]}", "certificate")
            journal.mark_printed(order_id)
            journal.complete(order_id)
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=walk, args=(order_id,)) for order_id in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert journal.counts_by_state()[S.DONE] == len(orders)
    assert all(len(journal.events(order_id)) == 5 for order_id in orders)


def test_a_second_process_view_sees_committed_state(journal: Journal, tmp_path: Path) -> None:
    order = journal.create_order(Service.TEMP_ID, amount_cents=1000)
    journal.begin_payment(order.order_id)
    with Journal.open(str(journal.engine.url), kiosk_id="test-kiosk") as other:
        assert other.get(order.order_id).state is S.PAYMENT_PENDING


@pytest.mark.postgres
def test_postgresql_by_url(tmp_path: Path) -> None:
    url = os.environ.get("KIOSK_TEST_PG_URL")
    if not url:
        pytest.skip("set KIOSK_TEST_PG_URL=postgresql+psycopg://... to run against PostgreSQL")
    with Journal.open(url, kiosk_id="pg-kiosk", secret_path=tmp_path / "secret") as journal:
        order = journal.create_order(Service.TEMP_ID, amount_cents=1000, id_number="11010519491231002X")
        journal.begin_payment(order.order_id, "PO-PG")
        journal.mark_paid(order.order_id)
        with pytest.raises(IllegalTransition):
            journal.complete(order.order_id)
        journal.begin_issue(order.order_id)
        journal.begin_print(order.order_id, "PG-1", "temp_id_card")
        job_id = journal.print_jobs.add(order.order_id, "card", document_number="PG-1", is_reprint=False)
        journal.print_jobs.attempt_started(job_id)
        journal.print_jobs.finish(job_id, PrintJobState.DONE)
        stored = journal.get(order.order_id)
        assert (stored.state, stored.print_attempts) == (S.PRINT_PENDING, 1)
        assert stored.created_at.utcoffset() == timedelta(0)
        assert [event.to_state for event in journal.events(order.order_id)][-2:] == [S.ISSUE_PENDING,
                                                                                     S.PRINT_PENDING]  # fmt: skip
        assert journal.count_for_person("11010519491231002X", service=Service.TEMP_ID) >= 1
        assert journal.open_transaction_count() >= 1
        assert journal.counts_by_state()[S.PRINT_PENDING] >= 1

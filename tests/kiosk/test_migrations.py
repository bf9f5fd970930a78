"""The kiosk's databases survive upgrades: a journal and an audit log written by release 0.1.0 are upgraded at
start-up with every order, state, item and print job intact; a downgrade is supported by the migration or
refused; a database of newer software is refused before anything reads it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kiosk.audit import AuditLog
from kiosk.journal import Journal, OrderState, PrintJobState
from kiosk.journal.db import create_journal_engine
from kiosk.journal.models import Base
from kiosk.migrations import JOURNAL, SchemaTooNew, current_revision, downgrade_database, head_revision

RELEASES = Path(__file__).resolve().parents[1] / "fixtures" / "releases"


def rows(path: Path, query: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return list(connection.execute(query))


@pytest.fixture
def release_010(tmp_path) -> Path:
    for name in ("journal.sqlite3", "audit.sqlite3", "person.key"):
        shutil.copyfile(RELEASES / "0.1.0" / name, tmp_path / name)
    return tmp_path


def open_journal(home: Path) -> Journal:
    return Journal.open(f"sqlite:///{home / 'journal.sqlite3'}", kiosk_id="K-REL-010", secret_path=home / "person.key")


def schema_differences(journal: Journal) -> list:
    with journal.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def test_a_release_010_journal_is_upgraded_with_every_record_intact(release_010):
    path = release_010 / "journal.sqlite3"
    before_orders = rows(path, "SELECT order_id, service, state, amount_cents, document_number, payment_order_id,"
                               " print_attempts FROM orders ORDER BY order_id")  # fmt: skip
    before_events = rows(path, "SELECT order_id, from_state, to_state, error_code FROM order_events ORDER BY id")
    before_jobs = rows(path, "SELECT order_id, printer, document_number, attempt, state FROM print_jobs ORDER BY id")
    assert len(before_orders) == 6 and len(before_jobs) == 2  # the fixture is what its README says

    journal = open_journal(release_010)
    assert current_revision(journal.engine) == head_revision(JOURNAL)
    assert schema_differences(journal) == []
    after = {order.order_id: order for order in journal.recent_orders()}
    assert sorted((o.order_id, str(o.service), str(o.state), o.amount_cents, o.document_number, o.payment_order_id,
                   o.print_attempts) for o in after.values()) == before_orders  # fmt: skip
    # Every event kept; a referral's reason is purged on purpose (it can mean "a record was found").
    purged = [(o, f, t, "referred" if t == "REFERRED" else c) for o, f, t, c in before_events]
    assert rows(path, "SELECT order_id, from_state, to_state, error_code FROM order_events ORDER BY id") == purged
    referred = next(o for o in after.values() if o.state is OrderState.REFERRED)
    assert referred.person_hash is None and referred.last_error == "referred"
    printing = next(o for o in after.values() if o.state is OrderState.PRINT_PENDING)
    assert [job.state for job in journal.print_jobs.for_order(printing.order_id)] == [PrintJobState.PRINTING]
    traffic = next(o for o in after.values() if str(o.service) == "traffic")
    assert journal.order_items(traffic.order_id) == ["V0001", "V0005"]
    # The refund 0.1.0 left "at the counter" is now owed by the kiosk itself.
    assert [o.state for o in journal.refunds_owed()] == [OrderState.REFUND_PENDING]
    assert (release_010 / "journal.sqlite3.before-unversioned").exists()  # the pre-upgrade copy
    journal.close()


def test_a_release_010_audit_log_still_verifies(release_010):
    log = AuditLog(release_010 / "audit.sqlite3")
    verification = log.verify()
    assert verification.ok and verification.entries == 4
    log.close()


def test_a_fresh_journal_matches_the_models(tmp_path):
    journal = Journal.open(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", kiosk_id="K")
    assert current_revision(journal.engine) == head_revision(JOURNAL)
    assert schema_differences(journal) == []
    journal.close()


def test_downgrade_and_upgrade_again_keep_the_orders(release_010):
    journal = open_journal(release_010)
    owed = journal.refunds_owed()[0]
    journal.refund_requested(owed.order_id, "RF-1")
    journal.refunded(owed.order_id, "RF-1")
    journal.close()
    engine = create_journal_engine(f"sqlite:///{release_010 / 'journal.sqlite3'}")
    downgrade_database(engine, JOURNAL, "j0001")
    engine.dispose()
    path = release_010 / "journal.sqlite3"
    assert rows(path, f"SELECT state FROM orders WHERE order_id = '{owed.order_id}'") == [("REFUND_PENDING",)]
    assert len(rows(path, "SELECT * FROM orders")) == 6
    journal = open_journal(release_010)
    assert len(journal.recent_orders()) == 6 and schema_differences(journal) == []
    journal.close()


def test_a_downgrade_that_would_lose_orders_is_refused_and_changes_nothing(release_010):
    journal = open_journal(release_010)
    with journal.write() as session:  # an order of a service release 0.1.0 never had
        session.execute(Base.metadata.tables["orders"].update().values(service="endorsement").where(
            Base.metadata.tables["orders"].c.state == "DONE"))  # fmt: skip
    journal.close()
    path = release_010 / "journal.sqlite3"
    before = rows(path, "SELECT * FROM orders ORDER BY order_id")
    engine = create_journal_engine(f"sqlite:///{path}")
    with pytest.raises(RuntimeError, match="downgrade refused"):
        downgrade_database(engine, JOURNAL, "j0001")
    assert current_revision(engine) == head_revision(JOURNAL)
    engine.dispose()
    assert rows(path, "SELECT * FROM orders ORDER BY order_id") == before


def test_a_journal_of_newer_software_is_refused_untouched(release_010):
    open_journal(release_010).close()
    path = release_010 / "journal.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'j9999'")
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match="j9999"):
        open_journal(release_010)
    assert path.read_bytes() == before


def test_the_journal_migrates_on_postgresql_too():
    import os
    import uuid

    from sqlalchemy import create_engine, text

    url = os.environ.get("KIOSK_TEST_PG_URL")
    if not url:
        pytest.skip("KIOSK_TEST_PG_URL not set (scripts/test.sh starts PostgreSQL)")
    schema = f"journal_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    scoped = f"{admin.url.render_as_string(hide_password=False)}?options=-csearch_path%3D{schema}"
    try:
        journal = Journal.open(scoped, kiosk_id="K-PG")
        assert current_revision(journal.engine) == head_revision(JOURNAL) and schema_differences(journal) == []
        order = journal.create_order("traffic", amount_cents=500)
        journal.close()
        downgrade_database(create_journal_engine(scoped), JOURNAL, "j0001")
        journal = Journal.open(scoped, kiosk_id="K-PG")
        assert journal.get(order.order_id).amount_cents == 500 and schema_differences(journal) == []
        journal.close()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

"""The fleet agent against a real fleet server, driven poll by poll with a fake clock."""

from __future__ import annotations

import stat

import pytest
import requests

from devices.status import DeviceState, DeviceStatus
from kiosk.fleet import FleetAgent, FleetClient, FleetRequestError
from kiosk.fleet.enrol import enrol
from kiosk.fleet.state import credentials_file, load_agent_state
from kiosk.home import KioskHome
from kiosk.trust import provision_trust_root, read_active, read_state
from server.fleet import BackgroundServer, FleetSettings


def test_enrolment_stores_credentials_and_a_token_works_once(tmp_path, fleet, admin, fleet_key):
    token = admin.call("POST", "/enrolment-tokens", 201, json={"group": "north"})["token"]
    homes = [KioskHome(tmp_path / name).ensure() for name in ("a", "b")]
    for home, kiosk_id in zip(homes, ("kiosk-a", "kiosk-b"), strict=True):
        provision_trust_root(home, kiosk_id, [fleet_key.public_key()], 1, ["province"])
    credentials = enrol(homes[0], fleet.url, token, retries=0)
    assert credentials.kiosk_id == "kiosk-a"  # the trust root's id, which documents are addressed to
    assert stat.S_IMODE(credentials_file(homes[0]).stat().st_mode) == 0o600
    with pytest.raises(FleetRequestError) as refused:
        enrol(homes[1], fleet.url, token, retries=0)
    assert refused.value.status == 409 and not credentials_file(homes[1]).exists()
    server_view = admin.call("GET", "/kiosks/kiosk-a")  # the trust root's channels, recorded as reported only
    assert (server_view["channels"], server_view["reported_channels"]) == ([], ["province"])


def test_apply_health_window_commit_and_304(make_kiosk, admin, make_document, clock):
    kiosk = make_kiosk("kiosk-1")
    assert kiosk.agent.poll_once().kind == "no_document"
    doc = admin.push(make_document(1))
    admin.assign(doc["id"], "channel", "province")
    applied = kiosk.agent.poll_once()
    assert (applied.kind, applied.version, applied.sha256) == ("applied", 1, doc["sha256"])
    assert read_active(kiosk.home).config.site_name == "site v1" and read_state(kiosk.home).pending
    assert admin.history("kiosk-1")[0]["status"] == "pending"
    clock.advance(30)
    assert kiosk.agent.poll_once().kind == "health_pending"
    clock.advance(31)
    assert kiosk.agent.poll_once().kind == "committed"
    assert not read_state(kiosk.home).pending
    server_view = admin.call("GET", "/kiosks/kiosk-1")
    assert (server_view["applied_version"], server_view["applied_sha256"], server_view["last_status"]) == (
        1, doc["sha256"], "applied")  # fmt: skip
    assert kiosk.agent.poll_once().kind == "unchanged"
    assert [r["status"] for r in admin.history("kiosk-1")] == ["applied", "pending"]


def test_document_for_another_kiosk_is_refused_and_reported_once(make_kiosk, admin, make_document):
    kiosk = make_kiosk("kiosk-a")
    doc = admin.push(make_document(1, kiosk_ids=["kiosk-b"], channels=()))
    admin.assign(doc["id"], "kiosk", "kiosk-a")  # an admin's mistake: the signature says kiosk-b
    outcome = kiosk.agent.poll_once()
    assert (outcome.kind, outcome.reason) == ("rejected", "wrong_kiosk")
    assert read_active(kiosk.home).version == 0  # nothing applied
    assert kiosk.agent.poll_once().kind == "unchanged"  # the same document is not judged again
    history = admin.history("kiosk-a")
    assert [(r["status"], r["reason"], r["sha256"]) for r in history] == [("rejected", "wrong_kiosk", doc["sha256"])]
    assert admin.call("GET", "/kiosks/kiosk-a")["alerts"][-1] == {
        "kind": "config_rejected", "subject": "", "detail": "wrong_kiosk"}  # fmt: skip


def test_failed_health_window_rolls_back_and_reports(make_kiosk, admin, make_document, clock):
    health = {"ok": True}
    kiosk = make_kiosk("kiosk-1", healthy=lambda: health["ok"])
    first = admin.push(make_document(1))
    admin.assign(first["id"], "channel", "province")
    kiosk.agent.poll_once()
    clock.advance(61)
    assert kiosk.agent.poll_once().kind == "committed"
    second = admin.push(make_document(2))
    admin.assign(second["id"], "channel", "province")
    assert kiosk.agent.poll_once().kind == "applied"
    assert read_active(kiosk.home).version == 2
    health["ok"] = False
    clock.advance(61)
    outcome = kiosk.agent.poll_once()
    assert (outcome.kind, outcome.version, outcome.reason) == ("rolled_back", 2, "health_check_failed")
    assert read_active(kiosk.home).version == 1 and read_active(kiosk.home).config.site_name == "site v1"
    latest = admin.history("kiosk-1")[0]
    assert (latest["status"], latest["version"], latest["running_version"]) == ("rolled_back", 2, 1)
    assert admin.call("GET", "/kiosks/kiosk-1")["applied_version"] == 1
    assert kiosk.agent.poll_once().kind == "unchanged"  # version 2 is not retried; admins publish a 3


def test_deferred_while_a_transaction_is_open(make_kiosk, admin, make_document):
    open_orders = {"count": 1}
    kiosk = make_kiosk("kiosk-1", open_transactions=lambda: open_orders["count"])
    doc = admin.push(make_document(1))
    admin.assign(doc["id"], "channel", "province")
    deferred = kiosk.agent.poll_once()
    assert deferred.kind == "deferred" and deferred.next_poll_in <= 20 * 1.15
    assert read_active(kiosk.home).version == 0 and admin.history("kiosk-1") == []
    open_orders["count"] = 0
    assert kiosk.agent.poll_once().kind == "applied"


def test_offline_keeps_last_good_config_backs_off_and_delivers_reports_later(
    make_kiosk, admin, make_document, clock, fleet, tmp_path
):
    kiosk = make_kiosk("kiosk-1")
    doc = admin.push(make_document(1))
    admin.assign(doc["id"], "channel", "province")
    assert kiosk.agent.poll_once().kind == "applied"
    fleet.stop()  # the server goes away during the health window
    clock.advance(61)
    assert kiosk.agent.poll_once().kind == "committed"  # decided locally; the report waits in the outbox
    delays = []
    for _ in range(4):
        outcome = kiosk.agent.poll_once()
        assert outcome.kind == "offline"
        delays.append(outcome.next_poll_in)
    assert delays[0] < delays[1] < delays[2] < delays[3] <= 900 * 1.15  # exponential back-off, capped
    assert read_active(kiosk.home).version == 1  # the last good configuration keeps running
    assert not kiosk.agent.heartbeat_once({}, {}).ok
    assert [e["report"]["status"] for e in load_agent_state(kiosk.home).outbox] == ["applied"]
    settings = FleetSettings(db_url=f"sqlite:///{tmp_path / 'fleet.sqlite3'}", admin_token="agent-test-admin-token")
    with BackgroundServer(settings) as revived:  # same database, new port
        kiosk.client.server_url = revived.url
        assert kiosk.agent.poll_once().kind == "unchanged"
        assert load_agent_state(kiosk.home).outbox == []
        history = requests.get(f"{revived.url}/api/v1/kiosks/kiosk-1/reports", timeout=10,
                               headers={"Authorization": f"Bearer {settings.admin_token}"}).json()["items"]  # fmt: skip
    assert [r["status"] for r in history] == ["applied", "pending"]


def test_polls_are_jittered_around_the_server_interval(make_kiosk):
    kiosk = make_kiosk("kiosk-1")
    delays = [kiosk.agent.poll_once().next_poll_in for _ in range(20)]
    assert all(30 * 0.85 <= d <= 30 * 1.15 for d in delays)
    assert max(delays) - min(delays) > 1.0  # really jittered, not a constant


def test_heartbeat_sends_device_states_and_gets_alerts(make_kiosk, admin):
    kiosk = make_kiosk("kiosk-1")
    states = {"receipt": DeviceStatus(DeviceState.ONLINE, {"paper": "low"}), "idcard": DeviceStatus(DeviceState.ONLINE)}
    outcome = kiosk.agent.heartbeat_once(states, {"temp_id": True})
    assert outcome.ok and [(a["kind"], a["subject"]) for a in outcome.alerts] == [("paper_low", "receipt")]
    assert admin.call("GET", "/kiosks/kiosk-1")["device_states"]["receipt"]["detail"] == {"paper": "low"}


def test_revoked_credentials_back_off(make_kiosk, fleet):
    kiosk = make_kiosk("kiosk-1")
    kiosk.agent.client = FleetClient(
        fleet.url, kiosk.client.credentials.__class__(fleet.url, "kiosk-1", "wrong"), retries=0
    )
    outcome = kiosk.agent.poll_once()
    assert outcome.kind == "unauthorized" and outcome.next_poll_in >= 30 * 0.85
    kiosk.agent.client.close()


def test_a_restarted_agent_resumes_its_health_window(make_kiosk, admin, make_document, clock):
    kiosk = make_kiosk("kiosk-1")
    doc = admin.push(make_document(1))
    admin.assign(doc["id"], "channel", "province")
    assert kiosk.agent.poll_once().kind == "applied"
    restarted = FleetAgent(kiosk.home, kiosk.client, clock=clock, healthy=lambda: False)  # the process restarts
    clock.advance(30)
    assert restarted.poll_once().kind == "health_pending"  # the window did not start over, nor was it skipped
    clock.advance(31)
    assert restarted.poll_once().kind == "rolled_back" and read_active(kiosk.home).version == 0
    assert admin.history("kiosk-1")[0]["status"] == "rolled_back"

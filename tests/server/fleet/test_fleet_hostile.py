"""Issue 17 as filed, against a real fleet server on loopback: each attack is refused with a clear 4xx that
does not echo, quickly, and leaves nothing stored; what a kiosk reports never widens what it can read."""

from __future__ import annotations

import json
import os
import socket
import stat
import time

import pytest
import requests
from sqlalchemy import create_engine, select

from server.fleet import BackgroundServer, FleetSettings
from server.fleet.db import normalise_url
from server.fleet.models import Kiosk
from server.guard.ratelimit import Rate
from tests.server.fleet.conftest import ADMIN_TOKEN, Admin
from tests.server.hostile import MARKER, assert_error_shape

TEN_MB = 10 * 1024 * 1024


def heartbeat_url(server, kiosk_id: str) -> str:
    return f"{server.url}/api/v1/kiosks/{kiosk_id}/heartbeat"


def stored_kiosk(db_url: str, kiosk_id: str) -> Kiosk:
    engine = create_engine(normalise_url(db_url))
    with engine.connect() as connection:
        row = connection.execute(select(Kiosk).where(Kiosk.id == kiosk_id)).one()
    engine.dispose()
    return row


def test_a_10_mb_heartbeat_is_refused_before_parsing_and_nothing_is_stored(fleet_server, admin, db_url):
    kiosk = admin.enrol("k-big")
    states = {"printer": {"state": "online", "detail": {"note": MARKER * (TEN_MB // len(MARKER))}}}
    started = time.monotonic()
    answer = requests.post(heartbeat_url(fleet_server, "k-big"), auth=kiosk, json={"device_states": states},
                           timeout=30)  # fmt: skip
    assert answer.status_code == 413 and time.monotonic() - started < 5
    assert len(answer.content) < 300 and answer.json()["code"] == "payload_too_large"
    assert stored_kiosk(db_url, "k-big").last_heartbeat is None  # nothing recorded
    if db_url.startswith("sqlite"):
        path = db_url.removeprefix("sqlite:///")
        assert os.path.getsize(path) + os.path.getsize(path + "-wal") < 2 * 1024 * 1024


def test_a_body_without_content_length_is_counted_as_it_is_read(fleet_server, admin):
    """Chunked transfer: no Content-Length to refuse by, so the bytes actually read are counted."""
    kiosk = admin.enrol("k-chunked")

    def chunks():
        yield b'{"device_states": {"p": {"state": "online", "detail": {"x": "'
        for _ in range(200):
            yield b"A" * 65536
        yield b'"}}}}'

    answer = requests.post(heartbeat_url(fleet_server, "k-chunked"), auth=kiosk, data=chunks(), timeout=30,
                           headers={"Content-Type": "application/json"})  # fmt: skip
    assert answer.status_code == 413


def test_an_unauthenticated_10_mb_enrolment_is_refused_without_echo(fleet_server):
    body = {"token": "t" * 20, "kiosk_id": "A", "channels": [MARKER] * (TEN_MB // len(MARKER))}
    answer = requests.post(f"{fleet_server.url}/api/v1/enrol", json=body, timeout=30)
    assert answer.status_code == 413 and len(answer.content) < 300
    million = requests.post(f"{fleet_server.url}/api/v1/enrol", timeout=30,
                            json={"token": "t" * 20, "kiosk_id": "A", "channels": [0] * 1_000_000})  # fmt: skip
    assert million.status_code == 413


@pytest.mark.parametrize("raw", [
    b'{"token": 1e999999, "kiosk_id": "A"}',
    b'{"token": NaN, "kiosk_id": "A"}',
    b'{"token": "' + MARKER.encode() * 50 + b'", "kiosk_id": "' + MARKER.encode() + b'\\u0000"}',
    b'{"token": "x", "kiosk_id": "A", "' + MARKER.encode() * 20 + b'": 1}',
    b'{"token": ' + b"9" * 5000 + b', "kiosk_id": "A"}',
    b'{"a":' * 10000 + b"1" + b"}" * 10000,
    b"not json " + MARKER.encode(),
])  # fmt: skip
def test_malformed_enrolments_are_422_or_400_never_500_and_never_echoed(fleet_server, raw):
    answer = requests.post(f"{fleet_server.url}/api/v1/enrol", data=raw, timeout=10,
                           headers={"Content-Type": "application/json"})  # fmt: skip
    assert answer.status_code in (400, 422), answer.text
    assert_error_shape(answer)
    assert "input" not in answer.json() and len(answer.content) < 400


def test_non_finite_and_oversized_values_in_a_heartbeat_are_refused(fleet_server, admin):
    kiosk = admin.enrol("k-nan")
    for raw in (b'{"device_states": {"p": {"state": "online", "detail": {"t": NaN}}}}',
                b'{"device_states": {"p": {"state": "online", "detail": {"t": 1e999}}}}',
                json.dumps({"device_states": {f"d{i}": {"state": "online"} for i in range(40)}}).encode(),
                json.dumps({"availability": {"x": "not a bool"}}).encode()):  # fmt: skip
        answer = requests.post(heartbeat_url(fleet_server, "k-nan"), auth=kiosk, data=raw, timeout=10,
                               headers={"Content-Type": "application/json"})  # fmt: skip
        assert answer.status_code == 422, answer.text


def test_reported_channels_never_widen_what_a_kiosk_can_read(fleet_server, admin, make_document):
    """The kiosk claims channel "other-site" at enrolment and in its inventory: it still gets nothing of it."""
    kiosk = admin.enrol("k-greedy")  # the admin gave it no channel
    enrol_claim = admin.call("GET", "/kiosks/k-greedy")
    doc = admin.push(make_document(1, channels=["other-site"]))
    admin.call("POST", "/assignments", 201, json={"document_id": doc["id"], "target_kind": "channel",
                                                  "target": "other-site"})  # fmt: skip
    claim = {"software_version": "1", "devices": [], "channels": ["other-site", "all"]}
    assert requests.put(f"{fleet_server.url}/api/v1/kiosks/k-greedy/inventory", auth=kiosk, json=claim,
                        timeout=10).status_code == 200  # fmt: skip
    poll = requests.get(f"{fleet_server.url}/api/v1/kiosks/k-greedy/desired", auth=kiosk, timeout=10)
    assert poll.status_code == 204 and enrol_claim["channels"] == []
    view = admin.call("GET", "/kiosks/k-greedy")
    assert (view["channels"], view["reported_channels"]) == ([], ["all", "other-site"])
    admin.call("PATCH", "/kiosks/k-greedy", json={"channels": ["other-site"]})  # the admin decides
    assert requests.get(f"{fleet_server.url}/api/v1/kiosks/k-greedy/desired", auth=kiosk,
                        timeout=10).status_code == 200  # fmt: skip


def test_the_database_file_and_its_directory_are_private(tmp_path):
    data = tmp_path / "fleet-data"
    settings = FleetSettings(db_url=f"sqlite:///{data / 'fleet.sqlite3'}", admin_token=ADMIN_TOKEN)
    with BackgroundServer(settings) as server:
        Admin(server.url).enrol("k-perm")  # writes: the WAL exists now
        files = [data / "fleet.sqlite3", data / "fleet.sqlite3-wal"]
        assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in files if path.exists())
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def test_enrolment_is_rate_limited_per_address_and_failures_are_counted_and_alerted(tmp_path):
    settings = FleetSettings(db_url=f"sqlite:///{tmp_path / 'f.sqlite3'}", admin_token=ADMIN_TOKEN,
                             enrol_rate=Rate(burst=8, per_minute=1))  # fmt: skip
    with BackgroundServer(settings) as server:
        codes = [requests.post(f"{server.url}/api/v1/enrol", json={"token": "x" * 43, "kiosk_id": f"k{i}"},
                               timeout=10).status_code for i in range(10)]  # fmt: skip
        assert codes[:8] == [401] * 8 and codes[8:] == [429, 429]
        admin = Admin(server.url)
        alerts = admin.call("GET", "/alerts")["security"]
        failed = [a for a in alerts if a["kind"] == "enrol_failed"]
        assert failed and failed[0]["count"] == 8 and failed[0]["source"] == "127.0.0.1" and failed[0]["alert"]


def test_failed_kiosk_and_admin_logins_lock_the_source_out_and_are_alerted(tmp_path):
    settings = FleetSettings(db_url=f"sqlite:///{tmp_path / 'f.sqlite3'}", admin_token=ADMIN_TOKEN,
                             login_failure_rate=Rate(burst=6, per_minute=1))  # fmt: skip
    with BackgroundServer(settings) as server:
        admin = Admin(server.url)
        kiosk = admin.enrol("k-target")
        wrong = [requests.get(f"{server.url}/api/v1/kiosks/k-target/desired", auth=("k-target", "guess"),
                              timeout=10).status_code for _ in range(4)]  # fmt: skip
        bad_admin = [requests.get(f"{server.url}/api/v1/kiosks", headers={"Authorization": "Bearer guess"},
                                  timeout=10).status_code for _ in range(3)]  # fmt: skip
        assert wrong == [401] * 4 and bad_admin == [401, 401, 429]  # 6 failures spent the allowance
        locked = requests.get(f"{server.url}/api/v1/kiosks/k-target/desired", auth=kiosk, timeout=10)
        assert locked.status_code == 429 and "Retry-After" in locked.headers  # even the right secret waits
    settings = FleetSettings(db_url=settings.db_url, admin_token=ADMIN_TOKEN)  # a restart: counts persist
    with BackgroundServer(settings) as server:
        events = Admin(server.url).call("GET", "/security-events")["items"]
        counts = {(e["kind"], e["subject"]): e["count"] for e in events}
        assert counts[("kiosk_login_failed", "k-target")] == 4 and counts[("admin_login_failed", "")] == 2
        kiosk_view = Admin(server.url).call("GET", "/kiosks/k-target")
        assert "kiosk_login_failed" not in [a["kind"] for a in kiosk_view["alerts"]]  # 4 < alert threshold 5


def test_cross_kiosk_access_and_token_reuse_stay_refused(fleet_server, admin):
    kiosk_a, _kiosk_b = admin.enrol("k-a"), admin.enrol("k-b")
    for method, suffix in (("GET", "desired"), ("POST", "heartbeat"), ("PUT", "inventory")):
        body = {"software_version": "1"} if suffix == "inventory" else {}
        answer = requests.request(method, f"{fleet_server.url}/api/v1/kiosks/k-b/{suffix}", auth=kiosk_a,
                                  json=body, timeout=10)  # fmt: skip
        assert answer.status_code == 403
        assert_error_shape(answer)


def test_a_dribbling_client_is_cut_off(tmp_path):
    settings = FleetSettings(db_url=f"sqlite:///{tmp_path / 'f.sqlite3'}", body_read_timeout_s=0.3)
    with BackgroundServer(settings) as server, socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"POST /api/v1/enrol HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n{")  # and then nothing  # fmt: skip
        sock.settimeout(5)
        assert sock.recv(100).startswith(b"HTTP/1.1 408")


def test_a_big_stored_heartbeat_is_bounded_by_the_schema(fleet_server, admin, db_url):
    kiosk = admin.enrol("k-full")
    detail = {f"k{i}": "v" * 200 for i in range(32)}
    states = {f"dev{i}": {"state": "online", "detail": detail, "last_error": "e" * 200} for i in range(8)}
    answer = requests.post(heartbeat_url(fleet_server, "k-full"), auth=kiosk, json={"device_states": states},
                           timeout=10)  # fmt: skip
    assert answer.status_code == 200  # 8 x 32 x 200 B fits in 64 KiB; the stored form is no larger
    stored = stored_kiosk(db_url, "k-full").device_states
    assert stored == states and len(json.dumps(stored)) <= 64 * 1024

"""The fleet server's HTTP API against a real server on loopback: enrolment, auth, ETag polls,
documents, reports, heartbeat alerts and pagination."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import create_engine, update

from server.fleet.db import normalise_url
from server.fleet.models import EnrolmentToken


def poll(server, kiosk: tuple[str, str], etag: str | None = None) -> requests.Response:
    headers = {"If-None-Match": etag} if etag else {}
    return requests.get(f"{server.url}/api/v1/kiosks/{kiosk[0]}/desired", auth=kiosk, headers=headers, timeout=10)


def report(server, kiosk: tuple[str, str], key: str, **body) -> requests.Response:
    return requests.post(f"{server.url}/api/v1/kiosks/{kiosk[0]}/reports", auth=kiosk, json=body,
                         headers={"Idempotency-Key": key}, timeout=10)  # fmt: skip


def test_enrolment_token_works_once(fleet_server, admin):
    token = admin.token(group="north")
    first = requests.post(f"{admin.url}/enrol", json={"token": token, "kiosk_id": "k-1"}, timeout=10)
    again = requests.post(f"{admin.url}/enrol", json={"token": token, "kiosk_id": "k-2"}, timeout=10)
    unknown = requests.post(f"{admin.url}/enrol", json={"token": "x" * 43, "kiosk_id": "k-3"}, timeout=10)
    assert first.status_code == 201 and len(first.json()["secret"]) >= 40
    assert again.status_code == 409
    assert unknown.status_code == 401
    kiosks = admin.call("GET", "/kiosks")["items"]
    assert [(k["id"], k["group"]) for k in kiosks] == [("k-1", "north")]


def test_concurrent_exchanges_of_one_token_enrol_one_kiosk(admin):
    token = admin.token()
    codes: list[int] = []
    start = threading.Barrier(4)

    def exchange(kiosk_id: str) -> None:
        start.wait()
        codes.append(
            requests.post(f"{admin.url}/enrol", json={"token": token, "kiosk_id": kiosk_id}, timeout=10).status_code
        )

    threads = [threading.Thread(target=exchange, args=(f"race-{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [201, 409, 409, 409]
    assert len(admin.call("GET", "/kiosks")["items"]) == 1


def test_pinned_and_expired_tokens_are_refused(admin, db_url):
    pinned = admin.token(kiosk_id="k-pinned")
    wrong = requests.post(f"{admin.url}/enrol", json={"token": pinned, "kiosk_id": "k-other"}, timeout=10)
    assert wrong.status_code == 403
    expiring = admin.token()
    engine = create_engine(normalise_url(db_url))
    with engine.begin() as connection:  # age the token instead of waiting for it
        connection.execute(
            update(EnrolmentToken)
            .where(EnrolmentToken.token_hash == hashlib.sha256(expiring.encode()).hexdigest())
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    engine.dispose()
    expired = requests.post(f"{admin.url}/enrol", json={"token": expiring, "kiosk_id": "k-late"}, timeout=10)
    assert expired.status_code == 401
    ok = requests.post(f"{admin.url}/enrol", json={"token": pinned, "kiosk_id": "k-pinned"}, timeout=10)
    assert ok.status_code == 201


def test_authentication_is_required_and_scoped(fleet_server, admin):
    kiosk_a, kiosk_b = admin.enrol("k-a"), admin.enrol("k-b")
    assert poll(fleet_server, kiosk_a).status_code == 204
    assert poll(fleet_server, (kiosk_a[0], kiosk_b[1])).status_code == 401
    cross = requests.get(f"{fleet_server.url}/api/v1/kiosks/k-b/desired", auth=kiosk_a, timeout=10)
    assert cross.status_code == 403
    assert requests.get(f"{fleet_server.url}/api/v1/kiosks", timeout=10).status_code == 401
    bad_admin = {"Authorization": "Bearer wrong"}
    assert requests.get(f"{fleet_server.url}/api/v1/kiosks", headers=bad_admin, timeout=10).status_code == 401
    assert requests.get(f"{fleet_server.url}/api/v1/kiosks", auth=kiosk_a, timeout=10).status_code == 401


def test_desired_document_etag_and_304(fleet_server, admin, make_document):
    kiosk = admin.enrol("k-1", group="north", channels=["all"])
    nothing = poll(fleet_server, kiosk)
    assert nothing.status_code == 204 and nothing.headers["X-Poll-Interval"] == "30"
    assert poll(fleet_server, kiosk, nothing.headers["ETag"]).status_code == 304
    doc_bytes = make_document(1)
    doc = admin.push(doc_bytes)
    admin.call("POST", "/assignments", 201, json={"document_id": doc["id"], "target_kind": "channel", "target": "all"})
    fetched = poll(fleet_server, kiosk, nothing.headers["ETag"])
    assert fetched.status_code == 200 and fetched.content == doc_bytes  # stored and served byte for byte
    etag = fetched.headers["ETag"]
    unchanged = poll(fleet_server, kiosk, etag)
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["ETag"] == etag
    newer = admin.push(make_document(2))
    admin.call(
        "POST", "/assignments", 201, json={"document_id": newer["id"], "target_kind": "group", "target": "north"}
    )
    changed = poll(fleet_server, kiosk, etag)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_assignment_precedence_kiosk_over_group_over_channel(fleet_server, admin, make_document):
    kiosk = admin.enrol("k-1", group="north", channels=["all"])
    docs = [admin.push(make_document(v)) for v in (1, 2, 3)]
    # Created in the opposite order of precedence, so "newest wins" alone would pick the channel one.
    for doc, kind, target in [(docs[0], "kiosk", "k-1"), (docs[1], "group", "north"), (docs[2], "channel", "all")]:
        admin.call("POST", "/assignments", 201, json={"document_id": doc["id"], "target_kind": kind, "target": target})
    assert b'"version": 1' in poll(fleet_server, kiosk).content
    first = admin.call("GET", "/assignments")["items"][0]
    admin.call("DELETE", f"/assignments/{first['id']}", 204)
    assert b'"version": 2' in poll(fleet_server, kiosk).content


def test_document_upload_checks_structure_and_is_idempotent(admin, make_document):
    body = make_document(4)
    first = admin.push(body)
    second = admin.call("POST", "/documents", 200, data=body)  # known: 200, nothing to merge
    assert first["created"] is True and second["created"] is False and first["id"] == second["id"]
    assert first["version"] == 4 and first["channels"] == ["all"]
    for junk in (b"not json", b'{"signed": {}, "signatures": []}', b'{"a": 1}'):
        admin.call("POST", "/documents", 422, data=junk)


def test_server_knows_the_running_version_only_from_reports(fleet_server, admin, make_document):
    kiosk = admin.enrol("k-1")
    doc = admin.push(make_document(3, kiosk_ids=["k-1"]))
    admin.call("POST", "/assignments", 201, json={"document_id": doc["id"], "target_kind": "kiosk", "target": "k-1"})
    assert admin.call("GET", "/kiosks/k-1")["applied_version"] is None
    body = {
        "status": "applied",
        "version": 3,
        "sha256": doc["sha256"],
        "running_version": 3,
        "running_sha256": doc["sha256"],
    }
    assert report(fleet_server, kiosk, "key-00000001", **body).status_code == 201
    assert report(fleet_server, kiosk, "key-00000001", **body).status_code == 200  # a retry is replayed
    assert report(fleet_server, kiosk, "key-00000001", **(body | {"status": "rejected"})).status_code == 422
    state = admin.call("GET", "/kiosks/k-1")
    assert (state["applied_version"], state["applied_sha256"], state["last_status"]) == (3, doc["sha256"], "applied")
    history = admin.call("GET", "/kiosks/k-1/reports")["items"]
    assert [(h["status"], h["version"]) for h in history] == [("applied", 3)]


def test_heartbeat_derives_alerts(fleet_server, admin):
    kiosk = admin.enrol("k-1")
    assert [a["kind"] for a in admin.call("GET", "/kiosks/k-1")["alerts"]] == ["silent"]
    states = {
        "receipt": {"state": "online", "detail": {"paper": "low"}, "last_error": None},
        "a4": {"state": "user_error", "detail": {"paper": "out"}, "last_error": "paper_out"},
        "idcard": {"state": "offline", "detail": {}, "last_error": "unplugged"},
    }
    answer = requests.post(f"{fleet_server.url}/api/v1/kiosks/k-1/heartbeat", auth=kiosk, timeout=10,
                           json={"device_states": states, "availability": {"temp_id": False, "certificate": True}})  # fmt: skip
    assert answer.status_code == 200
    kinds = sorted((a["kind"], a["subject"]) for a in answer.json()["alerts"])
    assert kinds == [("device_down", "idcard"), ("paper_low", "receipt"), ("paper_out", "a4"),
                     ("service_unavailable", "temp_id")]  # fmt: skip
    listed = admin.call("GET", "/alerts")["items"]
    assert listed[0]["kiosk_id"] == "k-1" and len(listed[0]["alerts"]) == 4
    assert admin.call("GET", "/kiosks/k-1")["last_seen"] is not None


def test_list_endpoints_page_with_a_cursor(admin):
    for index in range(7):
        admin.enrol(f"k-{index:02d}")
    seen, cursor, pages = [], "", 0
    while True:
        page = admin.call("GET", "/kiosks", params={"limit": 3, "after": cursor})
        seen += [k["id"] for k in page["items"]]
        pages += 1
        if page["next"] is None:
            break
        cursor = page["next"]
    assert seen == [f"k-{i:02d}" for i in range(7)] and pages == 3
    admin.call("GET", "/kiosks", 422, params={"limit": 0})

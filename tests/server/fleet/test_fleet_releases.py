"""The fleet server's release additions over real HTTP: chunked, resumable package uploads that refuse the
wrong offset, an oversized chunk and bytes with another hash; downloads with Range for the kiosks that may
have them; the desired release polled apart from the configuration; the release tables' own migration."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine, inspect

from kiosk.trust import make_signed, sign
from kiosk.trust.envelope import envelope_file_bytes
from server.fleet import BackgroundServer, FleetSettings
from server.fleet.packages import VERSION_TABLE, upgrade_release_tables

ADMIN_TOKEN = "release-test-admin-token"
DATA = bytes(range(256)) * 1024  # 256 KiB of "package"
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def server(tmp_path):
    settings = FleetSettings(db_url=f"sqlite:///{tmp_path / 'fleet.sqlite3'}", admin_token=ADMIN_TOKEN,
                             package_chunk_bytes=64 * 1024)  # fmt: skip
    with BackgroundServer(settings) as running:
        yield running


@pytest.fixture
def admin(server):
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
    yield lambda method, path, **kw: http.request(method, server.url + "/api/v1" + path, timeout=10, **kw)
    http.close()


def declare(admin, sha: str = SHA, size: int = len(DATA)) -> requests.Response:
    return admin("POST", "/packages", json={"sha256": sha, "size": size, "filename": "police-kiosk_0.2.0_amd64.deb"})


def put(admin, offset: int, data: bytes, sha: str = SHA) -> requests.Response:
    return admin("PUT", f"/packages/{sha}/content", params={"offset": offset}, data=data,
                 headers={"Content-Type": "application/octet-stream"})  # fmt: skip


def upload(admin, data: bytes = DATA, chunk: int = 64 * 1024) -> dict:
    state = declare(admin).json()
    while not state["complete"]:
        response = put(admin, state["received"], data[state["received"] : state["received"] + chunk])
        assert response.status_code == 200, response.text
        state = response.json()
    return state


def enrolled(server, admin, kiosk_id: str = "K1", group: str | None = None) -> tuple[str, str]:
    token = admin("POST", "/enrolment-tokens", json={"group": group}).json()["token"]
    answer = requests.post(server.url + "/api/v1/enrol", json={"token": token, "kiosk_id": kiosk_id}, timeout=10)
    return kiosk_id, answer.json()["secret"]


def test_an_upload_in_chunks_resumes_and_refuses_wrong_offsets_and_oversized_chunks(admin):
    assert declare(admin).status_code == 201
    first = put(admin, 0, DATA[: 64 * 1024])
    assert first.json()["received"] == 64 * 1024 and first.json()["complete"] is False
    assert put(admin, 0, DATA[: 64 * 1024]).status_code == 409  # already there: the offset moved on
    again = declare(admin)
    assert again.status_code == 200 and again.json()["received"] == 64 * 1024  # where to resume
    assert put(admin, 64 * 1024, DATA[64 * 1024 : 64 * 1024 * 2 + 1]).status_code == 413  # over the chunk limit
    assert put(admin, 64 * 1024, b"").status_code == 422
    assert declare(admin, size=len(DATA) + 1).status_code == 409  # the same hash declared otherwise
    assert upload(admin)["complete"] is True
    assert put(admin, len(DATA), b"x").status_code == 409
    listed = admin("GET", "/packages").json()["items"]
    assert [(p["sha256"], p["size"], p["complete"]) for p in listed] == [(SHA, len(DATA), True)]


def test_bytes_that_do_not_have_the_declared_hash_reset_the_upload(admin, tmp_path):
    wrong = bytearray(DATA)
    wrong[-1] ^= 1
    declare(admin)
    state = {"received": 0}
    response = None
    while state["received"] < len(DATA):
        response = put(admin, state["received"], bytes(wrong[state["received"] : state["received"] + 64 * 1024]))
        if response.status_code != 200:
            break
        state = response.json()
    assert response.status_code == 422
    assert admin("GET", f"/packages/{SHA}").json()["received"] == 0
    assert not (tmp_path / "packages" / f"{SHA}.deb").exists()
    assert upload(admin)["complete"] is True  # and a correct upload from 0 then works


def test_kiosks_download_with_range_and_only_complete_packages(server, admin):
    kiosk_id, secret = enrolled(server, admin)
    url = f"{server.url}/api/v1/kiosks/{kiosk_id}/packages/{SHA}"
    declare(admin)
    put(admin, 0, DATA[: 64 * 1024])
    assert requests.get(url, auth=(kiosk_id, secret), timeout=10).status_code == 404  # not complete yet
    upload(admin)
    whole = requests.get(url, auth=(kiosk_id, secret), timeout=10)
    assert whole.status_code == 200 and whole.content == DATA
    tail = requests.get(url, auth=(kiosk_id, secret), headers={"Range": "bytes=1000-"}, timeout=10)
    assert tail.status_code == 206 and tail.content == DATA[1000:]
    assert tail.headers["Content-Range"] == f"bytes 1000-{len(DATA) - 1}/{len(DATA)}"
    beyond = requests.get(url, auth=(kiosk_id, secret), headers={"Range": f"bytes={len(DATA)}-"}, timeout=10)
    assert beyond.status_code == 416
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, auth=(kiosk_id, "wrong"), timeout=10).status_code == 401
    other_id, other_secret = enrolled(server, admin, "K2")
    assert requests.get(url, auth=(other_id, other_secret), timeout=10).status_code == 403  # not its path
    assert requests.get(url.replace(SHA, "zz"), auth=(kiosk_id, secret), timeout=10).status_code == 422


def release_doc(version: int, doc_type: str = "kiosk-software") -> bytes:
    payload = {"software_version": "0.2.0", "package": {"filename": "p.deb", "sha256": SHA, "size": len(DATA)}}
    signed = make_signed(doc_type, payload if doc_type == "kiosk-software" else {}, version=version,
                         expires=datetime.now(UTC) + timedelta(days=3), channels=["county"])  # fmt: skip
    return envelope_file_bytes(sign(signed, [Ed25519PrivateKey.generate()]))


def test_the_desired_release_is_polled_apart_from_the_configuration(server, admin):
    kiosk_id, secret = enrolled(server, admin, group="pilot")
    release = admin("POST", "/documents", data=release_doc(1), headers={"Content-Type": "application/json"}).json()
    admin("POST", "/assignments", json={"document_id": release["id"], "target_kind": "group", "target": "pilot"})
    auth = (kiosk_id, secret)
    answer = requests.get(f"{server.url}/api/v1/kiosks/{kiosk_id}/release", auth=auth, timeout=10)
    assert answer.status_code == 200 and answer.json()["signed"]["type"] == "kiosk-software"
    again = requests.get(f"{server.url}/api/v1/kiosks/{kiosk_id}/release", auth=auth, timeout=10,
                         headers={"If-None-Match": answer.headers["ETag"]})  # fmt: skip
    assert again.status_code == 304
    config = requests.get(f"{server.url}/api/v1/kiosks/{kiosk_id}/desired", auth=auth, timeout=10)
    assert config.status_code == 204  # a release never shadows (or becomes) the configuration
    other_id, other_secret = enrolled(server, admin, "K9")
    none = requests.get(f"{server.url}/api/v1/kiosks/{other_id}/release", auth=(other_id, other_secret), timeout=10)
    assert none.status_code == 204


def test_the_release_tables_migrate_on_their_own_and_idempotently(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'fleet.sqlite3'}")
    upgrade_release_tables(engine)
    upgrade_release_tables(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"packages", VERSION_TABLE} <= tables and "alembic_version" not in tables
    with sqlite3.connect(tmp_path / "fleet.sqlite3") as connection:
        assert connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall() == [("r0001",)]
    engine.dispose()


def test_packages_default_to_a_directory_beside_the_sqlite_database(tmp_path):
    settings = FleetSettings(db_url=f"sqlite:///{tmp_path / 'fleet.sqlite3'}", admin_token=ADMIN_TOKEN)
    with BackgroundServer(settings) as running:
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
        base = running.url + "/api/v1/packages"
        http.post(base, json={"sha256": SHA, "size": len(DATA), "filename": "a.deb"}, timeout=10)
        http.put(f"{base}/{SHA}/content", params={"offset": 0}, data=DATA[:1000], timeout=10)
        http.close()
    assert (tmp_path / "packages" / f"{SHA}.deb").read_bytes() == DATA[:1000]

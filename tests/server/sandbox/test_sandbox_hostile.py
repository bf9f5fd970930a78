"""The sandbox under hostile input (issue 17) and as a careful police backend (issue 22): refused with a clear
4xx that never echoes, admin API off without a token file, face attempts limited and answered match/no match
only, document numbers not guessable, no read-back by number, stored personal answers expire."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import os
import stat
import time

import pytest
import requests
from sqlalchemy import select

from contracts import ADMIN_TOKEN_HEADER
from kiosk.cli.main import main as kiosk_main
from server.guard.ratelimit import Rate
from server.sandbox import numbers
from server.sandbox.demo_data import LIU, WANG, ZHANG
from server.sandbox.models import IdempotencyRecord
from server.sandbox.settings import SandboxSettings, read_admin_token, write_admin_token_file
from server.sandbox.testing import ADMIN_HEADERS, TEST_NOW
from tests.server.hostile import MARKER, assert_error_shape
from tests.server.sandbox.helpers import Api, live_capture


def test_a_10_mb_body_is_413_before_parsing(sandbox_url):
    api = Api(sandbox_url)
    started = time.monotonic()
    answer = requests.post(api.base + "/persons/lookup", headers=api.headers, timeout=30,
                           json={"id_number": ZHANG, "x": MARKER * 500_000})  # fmt: skip
    assert answer.status_code == 413 and time.monotonic() - started < 5 and len(answer.content) < 300
    assert_error_shape(answer)
    photo = requests.post(api.base + "/persons/face-verify", headers=api.headers, timeout=30,
                          json={"id_number": ZHANG, "image_jpeg_b64": "A" * 3_000_000})  # fmt: skip
    assert photo.status_code == 413  # the image routes allow 2 MiB, not more


@pytest.mark.parametrize("raw", [
    b'{"amount_cents": 1e999999, "purpose": "temp_id", "reference": "r"}',
    b'{"amount_cents": NaN, "purpose": "temp_id", "reference": "r"}',
    b'{"amount_cents": 100, "purpose": "temp_id", "reference": "' + MARKER.encode() * 10 + b'"}',
    b'{"amount_cents": 100, "purpose": "' + MARKER.encode() + b'", "reference": "r"}',
    b'{"a":' * 5000 + b"1" + b"}" * 5000,
])  # fmt: skip
def test_malformed_bodies_are_4xx_and_never_echoed(sandbox_url, raw):
    api = Api(sandbox_url)
    answer = requests.post(api.base + "/payments", data=raw, timeout=10,
                           headers={**api.headers, "Idempotency-Key": "k" * 20, "Content-Type": "application/json"})
    assert answer.status_code in (400, 422), answer.text
    assert_error_shape(answer)


def test_the_admin_api_is_off_without_a_token(sandbox_factory):
    with sandbox_factory(admin_token="") as server:
        answer = requests.post(f"{server.base_url}/api/v1/admin/kiosks", json={"kiosk_id": "kiosk-evil"},
                               headers={ADMIN_TOKEN_HEADER: "sandbox-admin-token"}, timeout=10)  # fmt: skip
        assert answer.status_code == 403 and answer.json()["code"] == "forbidden"


def test_the_admin_token_comes_from_a_private_file(tmp_path):
    path = write_admin_token_file(tmp_path / "admin-token")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(read_admin_token(path)) >= 32
    assert SandboxSettings(db_url="sqlite://", admin_token_file=path).admin_token == read_admin_token(path)
    os.chmod(path, 0o644)
    with pytest.raises(ValueError, match="other users"):
        read_admin_token(path)
    assert kiosk_main(["--home", str(tmp_path / "h"), "serve-sandbox", "--admin-token-file", str(path),
                       "--create-kiosk", "kiosk-x-01"]) == 2  # fmt: skip
    short = tmp_path / "short"
    short.write_text("abc")
    os.chmod(short, 0o600)
    with pytest.raises(ValueError, match="shorter"):
        read_admin_token(short)


def test_failed_face_checks_are_limited_per_person_and_a_match_resets_the_person(sandbox_factory):
    with sandbox_factory(face_failures_per_person=3, face_failures_per_kiosk=5) as server:
        api = Api(server.base_url)
        assert [api.verify(ZHANG, capture_of=WANG) for _ in range(3)] == [{"match": False}] * 3
        refused = api.post("/persons/face-verify", _capture(ZHANG, WANG), key=None)
        assert api.error_code(refused, 429) == "face_attempts_exceeded"
        assert api.verify(LIU)["match"] is True  # another person is still served
        for _ in range(2):
            assert api.verify(LIU, capture_of=WANG) == {"match": False}
        kiosk_refused = api.post("/persons/face-verify", _capture(WANG, WANG), key=None)
        assert api.error_code(kiosk_refused, 429) == "face_attempts_exceeded"  # 5 failures at this kiosk
        later = TEST_NOW + dt.timedelta(minutes=16)  # the window moved on
        requests.put(f"{server.base_url}/api/v1/sandbox/clock", json={"now": later.isoformat()}, timeout=10)
        assert api.verify(ZHANG)["match"] is True


def _capture(id_number: str, face_of: str) -> dict:
    return {"id_number": id_number, "image_jpeg_b64": base64.b64encode(live_capture(face_of)).decode()}


def test_document_numbers_are_random_within_their_format_and_unique(monkeypatch, sandbox_server):
    draws = iter([123456, 123456, 654321])  # the second draw collides with the first: drawn again
    monkeypatch.setattr(numbers.secrets, "randbelow", lambda _n: next(draws))
    with sandbox_server.state.sessions() as session:
        first = numbers.temp_card_number(session, "110105")
        session.add(numbers.TempIdCardRow(card_number=first, id_number=ZHANG, valid_from=TEST_NOW.date(),
                                          valid_until=TEST_NOW.date(), payment_order_id="x"))  # fmt: skip
        second = numbers.temp_card_number(session, "110105")
        session.rollback()
    assert (first, second) == ("110105123456", "110105654321")
    monkeypatch.undo()
    with sandbox_server.state.sessions() as session:
        made = {numbers.certificate_number(session, "110105", TEST_NOW.date()) for _ in range(50)}
    assert len(made) == 50 and all(n.startswith("1101052026") and len(n) == 18 for n in made)
    serials = sorted(int(n[-8:]) for n in made)
    assert max(b - a for a, b in itertools.pairwise(serials)) > 1  # not a counter


def test_there_is_no_read_back_by_document_number(sandbox_url):
    api = Api(sandbox_url)
    answer = api.get("/documents/certificate/110105200000000001")
    assert answer.status_code == 404


def test_stored_answers_expire_and_are_purged(sandbox_factory):
    with sandbox_factory(idempotency_ttl_s=3600) as server:
        api = Api(server.base_url)
        api.ok(api.post("/payments", {"amount_cents": 100, "purpose": "temp_id", "reference": "r"}, key="key-old-1"),
               201)  # fmt: skip
        later = TEST_NOW + dt.timedelta(hours=2)
        requests.put(f"{server.base_url}/api/v1/sandbox/clock", json={"now": later.isoformat()}, timeout=10)
        api.ok(api.post("/payments", {"amount_cents": 100, "purpose": "temp_id", "reference": "r"}, key="key-new-1"),
               201)  # fmt: skip
        with server.state.sessions() as session:
            keys = set(session.scalars(select(IdempotencyRecord.key)))
        assert keys == {"key-new-1"}  # the expired answer is gone from the database
        assert api.get("/documents/by-key/key-old-1").status_code == 404


def test_failed_logins_lock_the_source_out(sandbox_factory):
    with sandbox_factory(login_failure_rate=Rate(burst=3, per_minute=1)) as server:
        wrong = Api(server.base_url, {"X-Kiosk-Id": "demo-kiosk-001", "X-Kiosk-Key": "guess"})
        codes = [wrong.post("/persons/lookup", {"id_number": ZHANG}, key=None).status_code for _ in range(4)]
        assert codes == [401, 401, 401, 429]
        right = Api(server.base_url)
        assert right.post("/persons/lookup", {"id_number": ZHANG}, key=None).status_code == 429
        counted = server.state.security.snapshot()
        assert counted[0]["kind"] == "kiosk_login_failed" and counted[0]["count"] == 3 and counted[0]["alert"] is False
        assert Api(server.base_url, ADMIN_HEADERS).post("/admin/kiosks", {"kiosk_id": "k-123"}, key=None).status_code == 429


def test_the_database_file_is_private(sandbox_factory, tmp_path):
    with sandbox_factory() as server:
        path = server.state.engine.url.database
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_failed_admin_logins_are_counted_for_the_operators(sandbox_factory):
    with sandbox_factory() as server:
        wrong = Api(server.base_url, {ADMIN_TOKEN_HEADER: "a-wrong-admin-token"})
        assert wrong.post("/admin/kiosks", {"kiosk_id": "kiosk-x-02"}, key=None).status_code == 401
        events = Api(server.base_url, ADMIN_HEADERS).ok(Api(server.base_url, ADMIN_HEADERS).get("/admin/security-events"))
        assert events["items"][0]["kind"] == "admin_login_failed" and events["items"][0]["count"] == 1

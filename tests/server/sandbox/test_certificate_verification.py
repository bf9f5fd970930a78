"""Certificate verification as the backend issues and answers it: the signed payload and its URL, the
published keys (rotation, revocation), the verify page, number + code, the count limit, acceptance lookup."""

from __future__ import annotations

import base64
import datetime as dt
import io

import pytest
import requests
from PIL import Image

from contracts import mask_id_number
from contracts.certificate_payload import encode_base32, parse_payload, split_qr_text, verify_url
from contracts.issuer_keys import ISSUER_KEYS_PATH, IssuerKeySet, verify_offline
from server.sandbox.demo_data import WANG, ZHANG
from server.sandbox.models import CertificateRow
from server.sandbox.settings import InvalidSetting, SandboxSettings
from server.sandbox.testing import ADMIN_HEADERS, TEST_NOW
from tests.server.sandbox.helpers import Api

TODAY = TEST_NOW.date()
JSON = {"Accept": "application/json"}


def issue(api: Api, who: str = ZHANG, purpose: str = "就业") -> dict:
    body = {"id_number": who, "verification_token": api.token(who), "purpose": purpose}
    return api.ok(api.post("/records/certificates", body), 201)


def keys(base_url: str) -> IssuerKeySet:
    response = requests.get(base_url + ISSUER_KEYS_PATH, timeout=10)
    assert response.status_code == 200 and "max-age" in response.headers["cache-control"]
    return IssuerKeySet.model_validate(response.json())


def open_qr(url: str, **headers: str) -> requests.Response:
    return requests.get(url, headers=headers, timeout=10)


def test_the_certificate_carries_signed_verification_data_that_verifies_offline(sandbox_factory):
    with sandbox_factory() as server:
        certificate = issue(Api(server.base_url))["certificate"]
        verification = certificate["verification"]
        assert verification["url"] == verify_url(server.base_url, verification["payload"])
        assert verification["lookup_url"] == f"{server.base_url}/verify"
        assert verification["algorithm"] == "Ed25519" and len(verification["code"]) == 8
        result = verify_offline(verification["url"], keys(server.base_url), today=TODAY)
        claims = result.claims
        assert result.status == "valid" and result.key_id == verification["key_id"]
        assert (claims.certificate_number, claims.name, claims.sex, claims.purpose) == (
            certificate["certificate_number"], certificate["name"], certificate["sex"], "就业")
        assert claims.masked_id_number == mask_id_number(certificate["id_number"])
        assert (claims.issuing_unit, claims.checked_until.isoformat(), claims.valid_until.isoformat()) == (
            certificate["issuing_unit"], certificate["checked_until"], certificate["expiry_date"])
        seal = Image.open(io.BytesIO(base64.b64decode(certificate["seal"]["png_b64"])))
        assert seal.format == "PNG" and seal.size[0] == seal.size[1] > 400


def test_the_qr_url_opens_a_page_that_says_valid_and_a_tampered_one_says_unknown(sandbox_factory):
    with sandbox_factory(certificate_verify_limit=4) as server:
        verification = issue(Api(server.base_url))["certificate"]["verification"]
        answer = open_qr(verification["url"], **JSON).json()
        assert answer["status"] == "valid" and answer["verifications_left"] == 3
        assert answer["purpose"] == "就业" and answer["name_masked"].startswith("张")
        page = open_qr(verification["url"])
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "有效" in page.text and "张伟明" in page.text  # the name the payload itself holds
        signed = parse_payload(verification["payload"])
        other = parse_payload(issue(Api(server.base_url), purpose="入学")["certificate"]["verification"]["payload"])
        spliced = encode_base32(other.body + signed.signature)
        forged = open_qr(verify_url(server.base_url, spliced), **JSON).json()
        assert forged == {"status": "unknown", "reason": "bad_signature"}
        assert open_qr(verification["url"] + "A", **JSON).json()["reason"] in ("malformed", "non_canonical")
        assert open_qr(verification["url"], **JSON).json()["verifications_left"] == 1  # forgeries counted nothing
        assert open_qr(verification["url"], **JSON).json()["verifications_left"] == 0
        limited = open_qr(verification["url"], **JSON)
        assert limited.status_code == 429 and limited.json()["code"] == "verification_limit_reached"
        assert open_qr(verification["url"]).status_code == 429


def test_number_and_code_typed_by_hand(sandbox_factory):
    with sandbox_factory() as server:
        api, public = Api(server.base_url), Api(server.base_url, {})
        certificate = issue(api)["certificate"]
        number, code = certificate["certificate_number"], certificate["verification"]["code"]
        typed = f" {code[:4].lower()}-{code[4:]} "
        answer = public.ok(public.get(f"/certificates/{number}/verify", code=typed))
        assert answer["status"] == "valid" and answer["issuing_unit"] == certificate["issuing_unit"]
        assert answer["checked_until"] == certificate["checked_until"]
        assert public.ok(public.get(f"/certificates/{number}/verify", code="ZZZZ2345")) == {
            "status": "unknown", "reason": "not_found"}
        form = requests.get(f"{server.base_url}/verify", timeout=10)
        assert form.status_code == 200 and 'name="number"' in form.text and 'name="code"' in form.text
        result = requests.get(f"{server.base_url}/verify", params={"number": number, "code": code}, timeout=10)
        assert "有效" in result.text and number in result.text


def test_expired_and_revoked_certificates(sandbox_factory):
    with sandbox_factory() as server:
        api = Api(server.base_url)
        verification = issue(api)["certificate"]["verification"]
        requests.put(f"{api.base}/sandbox/clock", json={"now": (TEST_NOW + dt.timedelta(days=91)).isoformat()},
                     timeout=10).raise_for_status()  # fmt: skip
        assert open_qr(verification["url"], **JSON).json()["status"] == "expired"
        number = parse_payload(verification["payload"]).claims.certificate_number
        with server.state.sessions() as session:
            session.get(CertificateRow, number).revoked = True
            session.commit()
        assert open_qr(verification["url"], **JSON).json()["status"] == "revoked"
        assert "已撤销" in open_qr(verification["url"]).text


def test_key_rotation_keeps_old_certificates_valid_and_revocation_ends_them(sandbox_factory):
    with sandbox_factory() as server:
        api = Api(server.base_url)
        admin = ADMIN_HEADERS
        old = issue(api)["certificate"]["verification"]
        rotated = requests.post(f"{api.base}/admin/issuer-keys/rotate", headers=admin, timeout=10)
        assert rotated.status_code == 200 and rotated.json()["kid"] != old["key_id"]
        new = issue(api)["certificate"]["verification"]
        assert new["key_id"] == rotated.json()["kid"]
        published = keys(server.base_url)
        assert [(key.kid, key.status) for key in published.keys] == [(old["key_id"], "retired"),
                                                                    (new["key_id"], "active")]  # fmt: skip
        for verification in (old, new):
            assert verify_offline(verification["url"], published, today=TODAY).status == "valid"
            assert open_qr(verification["url"], **JSON).json()["status"] == "valid"
        assert requests.post(f"{api.base}/admin/issuer-keys/rotate", timeout=10).status_code == 401
        revoked = requests.post(f"{api.base}/admin/issuer-keys/{old['key_id']}/revoke", headers=admin, timeout=10)
        assert revoked.json()["status"] == "revoked"
        assert open_qr(old["url"], **JSON).json() == {"status": "unknown", "reason": "key_not_valid"}
        with pytest.raises(ValueError, match="does not sign"):
            verify_offline(old["url"], keys(server.base_url), today=TODAY)
        assert open_qr(new["url"], **JSON).json()["status"] == "valid"


def test_the_public_base_url_is_configurable_and_https_outside_loopback(sandbox_factory):
    with sandbox_factory(public_base_url="https://zwfw.example.gov.cn/") as server:
        verification = issue(Api(server.base_url))["certificate"]["verification"]
        assert verification["url"].startswith("https://zwfw.example.gov.cn/v/")
        assert verification["lookup_url"] == "https://zwfw.example.gov.cn/verify"
        assert keys(server.base_url).verify_base_url == "https://zwfw.example.gov.cn"
        assert split_qr_text(verification["url"])[1] == verification["payload"]
    for bad in ("http://zwfw.example.gov.cn", "zwfw.example.gov.cn", "https://x/?q=1"):
        with pytest.raises(InvalidSetting):
            SandboxSettings(public_base_url=bad)


def test_a_pending_request_says_where_to_look_the_result_up(sandbox_factory):
    with sandbox_factory() as server:
        outcome = issue(Api(server.base_url), WANG)
        number = outcome["acceptance_number"]
        assert outcome["result_url"] == f"{server.base_url}/a/{number}"
        status = Api(server.base_url, {}).ok(Api(server.base_url, {}).get(f"/acceptances/{number}"))
        assert status == {"acceptance_number": number, "status": "pending", "settle_by": outcome["settle_by"]}
        page = requests.get(outcome["result_url"], timeout=10)
        assert number in page.text and "正在办理" in page.text and "犯罪记录" not in page.text.replace("无犯罪记录证明", "")
        assert Api(server.base_url, {}).ok(Api(server.base_url, {}).get("/acceptances/SL0"))["status"] == "unknown"


def test_the_access_log_never_shows_a_payload_or_a_code(tmp_path):
    """A real uvicorn with its access log on, as `kiosk serve-sandbox` runs it."""
    import logging
    import socket
    import threading
    import time

    import uvicorn

    from server.sandbox.app import create_app
    from server.sandbox.runner import _config
    from server.sandbox.settings import Clock

    settings = SandboxSettings(db_url=f"sqlite:///{tmp_path / 'log.sqlite3'}", clock=Clock(TEST_NOW))
    app = create_app(settings)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    server = uvicorn.Server(_config(app, "127.0.0.1", 0, access_log=True))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    lines: list[str] = []
    level = logging.NOTSET
    collector = logging.Handler()
    collector.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive()
            time.sleep(0.01)
        access = logging.getLogger("uvicorn.access")  # configured by uvicorn at start: now add to it
        level = access.level
        access.setLevel(logging.INFO)  # the runner logs at warning; an operator may well lower it
        access.addHandler(collector)
        verification = issue(Api(base))["certificate"]["verification"]
        assert open_qr(verification["url"], **JSON).json()["status"] == "valid"
        number = parse_payload(verification["payload"]).claims.certificate_number
        requests.get(f"{base}/verify", params={"number": number, "code": verification["code"]}, timeout=10)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.sandbox.engine.dispose()
        logging.getLogger("uvicorn.access").removeHandler(collector)
        logging.getLogger("uvicorn.access").setLevel(level)
    logged = "\n".join(lines)
    assert "/v/<payload>" in logged and "code=***" in logged
    assert verification["payload"][:40] not in logged and verification["code"] not in logged

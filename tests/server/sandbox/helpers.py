"""A thin HTTP helper for the sandbox API tests (the kiosk's own client is tested in tests/kiosk/backend)."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import requests

from devices.camera.scenes import compose_shipped
from server.sandbox.portraits import LIVE_PORTRAITS, encode_jpeg
from server.sandbox.testing import KIOSK_HEADERS


def live_capture(id_number: str) -> bytes:
    """What the kiosk camera sends for this demo citizen: the camera simulator's portrait of them, as JPEG."""
    return encode_jpeg(compose_shipped("face", LIVE_PORTRAITS[id_number]))


class Api:
    def __init__(self, base_url: str, headers: dict[str, str] | None = None) -> None:
        self.base = base_url + "/api/v1"
        self.headers = KIOSK_HEADERS if headers is None else headers

    def get(self, path: str, **params: str) -> requests.Response:
        return requests.get(self.base + path, params=params, headers=self.headers, timeout=10)

    def post(self, path: str, body: Any = None, *, key: str | None = "auto") -> requests.Response:
        headers = dict(self.headers)
        if key is not None:
            headers["Idempotency-Key"] = uuid.uuid4().hex if key == "auto" else key
        return requests.post(self.base + path, json=body, headers=headers, timeout=30)

    def ok(self, response: requests.Response, status: int = 200) -> dict:
        assert response.status_code == status, response.text
        return response.json()

    def error_code(self, response: requests.Response, status: int) -> str:
        assert response.status_code == status, response.text
        return response.json()["code"]

    # -- steps shared by several tests ----------------------------------------------------------

    def verify(self, id_number: str, capture_of: str | None = None) -> dict:
        jpeg = live_capture(capture_of or id_number)
        body = {"id_number": id_number, "image_jpeg_b64": base64.b64encode(jpeg).decode()}
        return self.ok(self.post("/persons/face-verify", body, key=None))

    def token(self, id_number: str) -> str:
        result = self.verify(id_number)
        assert result["match"], result
        return result["verification_token"]

    def paid_order(self, amount_cents: int, purpose: str) -> str:
        order = self.ok(
            self.post("/payments", {"amount_cents": amount_cents, "purpose": purpose, "reference": "t"}), 201
        )
        self.ok(self.post(f"/sandbox/payments/{order['order_id']}/pay", key=None))
        return order["order_id"]

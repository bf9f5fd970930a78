"""HTTP client of the fleet server's kiosk API (requests). Time-outs on every call; a private CA can be
pinned with ca_file (verify=ca.pem keeps the hostname check). Reports carry an Idempotency-Key, so a
retried POST is recorded once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from kiosk.fleet.state import Credentials

DEFAULT_TIMEOUT = (3.05, 10.0)  # (connect, read) seconds


class FleetError(Exception):
    """Base of the client's errors."""


class FleetUnavailable(FleetError):
    """The server could not be reached, timed out or answered 5xx: try again later."""


class FleetAuthError(FleetError):
    """401/403: the credentials are unknown, revoked or used for another kiosk."""


class FleetRequestError(FleetError):
    """The server refused the request (4xx) for a reason retrying will not fix."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Desired:
    status: str  # "unchanged" (304) | "none" (204) | "document" (200)
    etag: str | None
    poll_interval_s: float | None
    body: bytes = b""


def _session(retries: int) -> requests.Session:
    session = requests.Session()
    retry = Retry(total=retries, connect=retries, read=retries, status=retries, backoff_factor=0.5,
                  status_forcelist=(502, 503, 504), allowed_methods=None, raise_on_status=False)  # fmt: skip
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def _detail(response: requests.Response) -> str:
    try:
        body = response.json()  # {"code", "message"}; older servers answered {"detail"}
        return str(body.get("message", body.get("detail", response.text)))
    except ValueError:
        return response.text[:200]


def _check(response: requests.Response) -> requests.Response:
    if response.status_code >= 500:
        raise FleetUnavailable(f"server error {response.status_code}")
    if response.status_code in (401, 403):
        raise FleetAuthError(_detail(response))
    if response.status_code >= 400:
        raise FleetRequestError(response.status_code, _detail(response))
    return response


class FleetClient:
    def __init__(
        self,
        server_url: str,
        credentials: Credentials | None = None,
        *,
        ca_file: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retries: int = 1,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.credentials = credentials
        self._timeout = timeout
        self._verify: bool | str = ca_file or (credentials.ca_file if credentials else None) or True
        self._session = _session(retries)

    def close(self) -> None:
        self._session.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        if self.credentials is not None:
            kwargs.setdefault("auth", (self.credentials.kiosk_id, self.credentials.secret))
        try:
            response = self._session.request(
                method, self.server_url + path, timeout=self._timeout, verify=self._verify, **kwargs
            )
        except requests.RequestException as error:
            raise FleetUnavailable(f"{type(error).__name__}: {error}") from error
        return _check(response)

    def _kiosk_path(self, suffix: str) -> str:
        if self.credentials is None:
            raise FleetAuthError("not enrolled")
        return f"/api/v1/kiosks/{self.credentials.kiosk_id}/{suffix}"

    def enrol(
        self, token: str, kiosk_id: str, channels: Sequence[str] = (), software_version: str | None = None
    ) -> Credentials:
        body = {"token": token, "kiosk_id": kiosk_id, "channels": list(channels), "software_version": software_version}
        data = self._request("POST", "/api/v1/enrol", json=body).json()
        ca_file = self._verify if isinstance(self._verify, str) else None
        return Credentials(self.server_url, data["kiosk_id"], data["secret"], ca_file)

    def desired(self, etag: str | None) -> Desired:
        headers = {"If-None-Match": etag} if etag else {}
        response = self._request("GET", self._kiosk_path("desired"), headers=headers)
        interval = response.headers.get("X-Poll-Interval")
        poll = float(interval) if interval and interval.replace(".", "", 1).isdigit() else None
        kind = {304: "unchanged", 204: "none"}.get(response.status_code, "document")
        return Desired(kind, response.headers.get("ETag"), poll, response.content if kind == "document" else b"")

    def report(self, report: Mapping[str, Any], idempotency_key: str) -> dict[str, Any]:
        response = self._request(
            "POST", self._kiosk_path("reports"), json=dict(report), headers={"Idempotency-Key": idempotency_key}
        )
        return response.json()

    def heartbeat(
        self,
        device_states: Mapping[str, Any],
        availability: Mapping[str, bool],
        audit_head: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """audit_head: {"seq", "hash", "key_id", "signature"} signed by the device key (kiosk.trust.audit_anchor)."""
        body: dict[str, Any] = {"device_states": dict(device_states), "availability": dict(availability)}
        if audit_head is not None:
            body["audit_head"] = dict(audit_head)
        answer = self._request("POST", self._kiosk_path("heartbeat"), json=body).json()
        return answer if isinstance(answer, dict) else {}

    def inventory(
        self,
        software_version: str,
        devices: Sequence[Mapping[str, Any]],
        channels: Sequence[str],
        device_public_key: str | None = None,
    ) -> None:
        """device_public_key: base64 of the raw Ed25519 key that signs this kiosk's audit heads."""
        body: dict[str, Any] = {
            "software_version": software_version,
            "devices": [dict(d) for d in devices],
            "channels": list(channels),
        }
        if device_public_key is not None:
            body["device_public_key"] = device_public_key
        self._request("PUT", self._kiosk_path("inventory"), json=body)

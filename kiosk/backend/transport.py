"""HTTP for the backend client: time-outs, retries with back-off, CA pinning, error mapping, safe logs.

urllib3's Retry repeats 5xx answers (for every method: side-effecting POSTs carry an Idempotency-Key,
queries have no effect). Connection failures and time-outs are retried here, explicitly, with the same
request, so a POST whose answer was lost is repeated under the same key and the server replays it
(Retry is told connect=0 and read=False so that those errors reach this loop as requests' own errors).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from contracts.redaction import redact
from kiosk.backend.errors import BackendRejected, BackendUnavailable

log = logging.getLogger("kiosk.backend")
RETRY_STATUSES = (500, 502, 503, 504)
MAX_BACKOFF_S = 8.0


@dataclass(frozen=True)
class Timeouts:
    connect_s: float
    read_s: float

    def scaled(self, read_factor: float) -> Timeouts:
        return Timeouts(self.connect_s, self.read_s * read_factor)


def build_session(retries: int, backoff_s: float, ca_file: str | None) -> requests.Session:
    session = requests.Session()
    retry = Retry(
        total=retries, connect=0, read=False, other=0, status=retries, backoff_factor=backoff_s,
        status_forcelist=RETRY_STATUSES, allowed_methods=None, raise_on_status=False,
        respect_retry_after_header=True,
    )  # fmt: skip
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    if ca_file:
        session.verify = ca_file  # pin the private CA; hostname checking stays on
    return session


class BackendTransport:
    def __init__(self, base_url: str, headers: dict[str, str], session: requests.Session, retries: int,
                 backoff_s: float, timeouts: Timeouts) -> None:  # fmt: skip
        self.base_url = base_url.rstrip("/")
        self.session, self.retries, self.backoff_s, self.timeouts = session, retries, backoff_s, timeouts
        session.headers.update(headers)

    def request(
        self, method: str, path: str, *, json: Any = None, params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None, timeouts: Timeouts | None = None,
    ) -> Any:  # fmt: skip
        """The decoded JSON of a 2xx answer; raises BackendUnavailable or BackendRejected."""
        limits = timeouts or self.timeouts
        url = f"{self.base_url}{path}"
        for attempt in range(self.retries + 1):
            started = time.monotonic()
            try:
                response = self.session.request(
                    method, url, json=json, params=params, headers=headers, timeout=(limits.connect_s, limits.read_s)
                )
            except (requests.ConnectionError, requests.Timeout, urllib3.exceptions.HTTPError) as error:
                kind = "time-out" if isinstance(error, requests.Timeout) else "connection failed"
                log.warning("backend %s %s: %s (attempt %d/%d)", method, path, kind, attempt + 1, self.retries + 1)
                if attempt == self.retries:
                    raise BackendUnavailable(f"backend {kind}: {type(error).__name__}") from error
                time.sleep(min(MAX_BACKOFF_S, self.backoff_s * 2**attempt))
                continue
            log.debug("backend %s %s -> %d in %.0f ms", method, path, response.status_code,
                      (time.monotonic() - started) * 1000)  # fmt: skip
            return _decode(response, method, path)
        raise AssertionError("unreachable")


def _decode(response: requests.Response, method: str, path: str) -> Any:
    if response.status_code >= 500:
        log.warning("backend %s %s: HTTP %d after retries", method, path, response.status_code)
        raise BackendUnavailable(f"backend error HTTP {response.status_code}", status=response.status_code)
    try:
        body = response.json() if response.content else None
    except ValueError as error:
        raise BackendUnavailable(f"backend answered HTTP {response.status_code} without JSON") from error
    if response.status_code >= 400:
        code = body.get("code") if isinstance(body, dict) else None
        message = body.get("message", "") if isinstance(body, dict) else ""
        log.info("backend %s %s rejected: %d %s", method, path, response.status_code, code)
        raise BackendRejected(response.status_code, code or f"http_{response.status_code}", redact(str(message)))
    return body

"""The fleet server's release API as the update agent uses it (the kiosk's enrolment credentials, HTTP Basic,
the pinned CA and the time-outs of kiosk.fleet.client):

  GET  /api/v1/kiosks/{id}/release                 the desired release document (ETag / 304 / 204 none)
  GET  /api/v1/kiosks/{id}/packages/{sha256}       the package file; Range: bytes=N- resumes a download
  POST /api/v1/kiosks/{id}/reports                 pending | applied | rejected | rolled_back, as for configs
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests

from kiosk.fleet.client import DEFAULT_TIMEOUT, FleetAuthError, FleetRequestError, FleetUnavailable, _check
from kiosk.fleet.state import Credentials

CHUNK = 256 * 1024


@dataclass(frozen=True)
class DesiredRelease:
    status: str  # "unchanged" (304) | "none" (204) | "document" (200)
    etag: str | None
    body: bytes = b""


@dataclass(frozen=True)
class PackageStream:
    start: int  # the offset the first chunk belongs at (0 when the server ignored the Range)
    total: int | None  # the whole file's size, when the server said
    chunks: Iterator[bytes]


class ReleaseChannel:
    def __init__(self, credentials: Credentials, *, timeout: tuple[float, float] = DEFAULT_TIMEOUT) -> None:
        self.credentials = credentials
        self._timeout = timeout
        self._verify: bool | str = credentials.ca_file or True
        self._http = requests.Session()
        self._http.auth = (credentials.kiosk_id, credentials.secret)

    def close(self) -> None:
        self._http.close()

    def _url(self, suffix: str) -> str:
        return f"{self.credentials.server_url.rstrip('/')}/api/v1/kiosks/{self.credentials.kiosk_id}/{suffix}"

    def _get(self, suffix: str, headers: Mapping[str, str], stream: bool = False) -> requests.Response:
        try:
            response = self._http.get(self._url(suffix), headers=dict(headers), timeout=self._timeout,
                                      verify=self._verify, stream=stream)  # fmt: skip
        except requests.RequestException as error:
            raise FleetUnavailable(f"{type(error).__name__}: {error}") from error
        return _check(response)

    def desired_release(self, etag: str | None) -> DesiredRelease:
        response = self._get("release", {"If-None-Match": etag} if etag else {})
        kind = {304: "unchanged", 204: "none"}.get(response.status_code, "document")
        return DesiredRelease(kind, response.headers.get("ETag"), response.content if kind == "document" else b"")

    @contextmanager
    def package(self, sha256: str, offset: int) -> Iterator[PackageStream]:
        """The package from `offset` on (Range); a server that answers 200 restarts it from 0."""
        headers = {"Range": f"bytes={offset}-"} if offset > 0 else {}
        try:
            response = self._get(f"packages/{sha256}", headers, stream=True)
        except FleetRequestError as error:
            if error.status != 416:
                raise
            response = self._get(f"packages/{sha256}", {}, stream=True)  # the part is longer than the file
        try:
            start, total = _range_of(response)
            yield PackageStream(start, total, _chunks(response))
        finally:
            response.close()

    def report(self, report: Mapping[str, Any], idempotency_key: str) -> None:
        try:
            response = self._http.post(self._url("reports"), json=dict(report), timeout=self._timeout,
                                       verify=self._verify, headers={"Idempotency-Key": idempotency_key})  # fmt: skip
        except requests.RequestException as error:
            raise FleetUnavailable(f"{type(error).__name__}: {error}") from error
        _check(response)


def _range_of(response: requests.Response) -> tuple[int, int | None]:
    if response.status_code == 206:
        content_range = response.headers.get("Content-Range", "")  # bytes START-END/TOTAL
        try:
            span, _, total = content_range.removeprefix("bytes ").partition("/")
            return int(span.split("-")[0]), int(total) if total.isdigit() else None
        except ValueError as error:
            raise FleetUnavailable(f"unreadable Content-Range {content_range[:60]!r}") from error
    length = response.headers.get("Content-Length", "")
    return 0, int(length) if length.isdigit() else None


def _chunks(response: requests.Response) -> Iterator[bytes]:
    try:
        yield from response.iter_content(CHUNK)
    except requests.RequestException as error:  # the connection dropped mid-way: the part is kept
        raise FleetUnavailable(f"download interrupted: {type(error).__name__}") from error


__all__ = ["DesiredRelease", "FleetAuthError", "FleetUnavailable", "PackageStream", "ReleaseChannel"]

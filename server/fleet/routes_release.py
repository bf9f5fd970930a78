"""Software releases: the package files kiosks download and the release document each kiosk should run.

Kiosks (HTTP Basic, their own resources only):
  GET  /api/v1/kiosks/{id}/release              the desired "kiosk-software" document (ETag, 304, 204 none),
                                                 chosen like the configuration: kiosk > group > channel
  GET  /api/v1/kiosks/{id}/packages/{sha256}    the package; Range: bytes=N- resumes (206, 416)
Admins (bearer token):
  POST /api/v1/packages {sha256, size, filename}        declare an upload (200 with its progress if known)
  PUT  /api/v1/packages/{sha256}/content?offset=N       append one chunk (at most package_chunk_bytes)
  GET  /api/v1/packages, GET /api/v1/packages/{sha256}
Uploads go in chunks so no request body is larger than a signed document's, and a dropped upload resumes
at the offset the server reports. The release document itself is uploaded, assigned and rolled out like any
signed document (POST /documents, /assignments, /rollouts); kiosks report on it by its SHA-256 as usual.
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from server.fleet.db import FleetDatabase
from server.fleet.desired import DOCUMENT_BODY, desired_ref
from server.fleet.packages import ChunkRefused, Package, append_chunk, package_file, package_json
from server.fleet.routes_kiosk import KioskPath, _poll_identity
from server.fleet.security import require_admin
from server.fleet.settings import FleetSettings

UNPROCESSABLE, TOO_LARGE = 422, 413  # spelled out: their constants were renamed between Starlette versions
NO_RELEASE_ETAG = '"none"'
Sha256Path = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
kiosk_router = APIRouter(prefix="/api/v1")
admin_router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_admin)])


class PackageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(gt=0, le=4 * 1024**3)
    filename: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._+~-]{0,199}\.deb$")


def _db(request: Request) -> FleetDatabase:
    return request.app.state.db


def _settings(request: Request) -> FleetSettings:
    return request.app.state.settings


def _package_dir(request: Request) -> FilePath:
    directory = request.app.state.package_dir
    if directory is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "no package directory configured")
    return directory


# -- kiosks: authenticated like the configuration poll (failed logins counted, lock-outs honoured) -------
@kiosk_router.get("/kiosks/{kiosk_id}/release")
def desired_release(request: Request, kiosk_id: KioskPath) -> Response:
    headers = {"X-Poll-Interval": str(_settings(request).poll_interval_s), "Cache-Control": "no-cache"}
    with _db(request).engine.connect() as connection:
        group, channels = _poll_identity(request, connection, kiosk_id)
        ref = desired_ref(connection, kiosk_id, group, channels, software=True)
        headers["ETag"] = NO_RELEASE_ETAG if ref is None else f'"{ref[1]}"'
        if_none_match = request.headers.get("if-none-match")
        if if_none_match is not None and headers["ETag"] in [part.strip() for part in if_none_match.split(",")[:16]]:
            return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
        if ref is None:
            return Response(status_code=status.HTTP_204_NO_CONTENT, headers=headers)
        body = connection.execute(DOCUMENT_BODY, {"document_id": ref[0]}).scalar_one()
    return Response(content=body, media_type="application/json", headers=headers)


@kiosk_router.get("/kiosks/{kiosk_id}/packages/{sha256}")
def download_package(request: Request, kiosk_id: KioskPath, sha256: Sha256Path) -> FileResponse:
    """The whole file, or from a byte offset (Range); only a complete, hash-checked upload is served."""
    with _db(request).engine.connect() as connection:
        _poll_identity(request, connection, kiosk_id)
    with _db(request).read() as session:
        package = session.get(Package, sha256)
        if package is None or not package.complete:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such package")
        filename = package.filename
    return FileResponse(package_file(_package_dir(request), sha256), filename=filename,
                        media_type="application/vnd.debian.binary-package")  # fmt: skip


# -- admins ----------------------------------------------------------------------------------------------
@admin_router.post("/packages", status_code=status.HTTP_201_CREATED)
def declare_package(body: PackageRequest, request: Request, response: Response) -> dict[str, Any]:
    _package_dir(request)
    with _db(request).write() as session:
        package = session.get(Package, body.sha256)
        if package is not None:
            if (package.size, package.filename) != (body.size, body.filename):
                raise HTTPException(status.HTTP_409_CONFLICT, "a package with this SHA-256 was declared otherwise")
            response.status_code = status.HTTP_200_OK
            return package_json(package)
        package = Package(sha256=body.sha256, size=body.size, filename=body.filename, received=0, complete=False)
        session.add(package)
        session.flush()
        return package_json(package)


@admin_router.put("/packages/{sha256}/content")
async def upload_chunk(
    request: Request, sha256: Sha256Path, offset: Annotated[int, Query(ge=0, le=4 * 1024**3)]
) -> dict[str, Any]:
    limit = _settings(request).package_chunk_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(TOO_LARGE, f"a chunk is at most {limit} bytes")
    data = await request.body()
    if len(data) > limit:
        raise HTTPException(TOO_LARGE, f"a chunk is at most {limit} bytes")
    if not data:
        raise HTTPException(UNPROCESSABLE, "an empty chunk")
    return await run_in_threadpool(_append, request, sha256, offset, data)


def _append(request: Request, sha256: str, offset: int, data: bytes) -> dict[str, Any]:
    directory = _package_dir(request)
    with _db(request).write() as session:
        package = session.get(Package, sha256)
        if package is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such package: declare it first")
        try:
            intact = append_chunk(session, directory, package, offset, data)
        except ChunkRefused as refused:
            raise HTTPException(refused.status, refused.message) from None
        answer = package_json(package)
    if not intact:  # the reset to offset 0 is committed; the client starts over
        raise HTTPException(UNPROCESSABLE, "the uploaded bytes do not have the declared SHA-256; upload again")
    return answer


@admin_router.get("/packages")
def list_packages(request: Request) -> dict[str, Any]:
    with _db(request).read() as session:
        rows = session.scalars(select(Package).order_by(Package.created_at.desc()).limit(500))
        return {"items": [package_json(row) for row in rows], "next": None}


@admin_router.get("/packages/{sha256}")
def get_package(request: Request, sha256: Sha256Path) -> dict[str, Any]:
    with _db(request).read() as session:
        package = session.get(Package, sha256)
        if package is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such package")
        return package_json(package)

"""One error shape for both servers, {"code": "...", "message": "..."}, and messages that never echo
the input: a validation error names the field and the rule, never the value (it may be an ID number, a
10 MB string or a number JSON cannot even encode), and every part of it is cut short.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)
MAX_MESSAGE_CHARS = 300
STATUS_CODES = {400: "invalid_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 408: "request_timeout", 409: "conflict", 413: "payload_too_large",
                415: "unsupported_media_type", 422: "invalid_request", 429: "rate_limited"}  # fmt: skip


def json_error_bytes(code: str, message: str) -> bytes:
    return json.dumps({"code": code, "message": message[:MAX_MESSAGE_CHARS]}, ensure_ascii=False).encode()


_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,39}$")


def _short(part: object) -> str:
    """A location part as given by the schema (field names, list indices); anything else - an unknown key,
    a map key - came from the client and is not repeated."""
    if isinstance(part, int) or _FIELD_NAME.match(str(part)):
        return str(part)
    return "[key]" if str(part) == "[key]" else "…"


def validation_message(errors: Iterable[Mapping[str, Any]]) -> str:
    """'field.path: rule' of the first error (plus how many more), without the offending value."""
    errors = list(errors)
    if not errors:
        return "invalid request"
    first = errors[0]
    where = ".".join(_short(part) for part in first.get("loc", ()) if part not in ("body", "query", "path"))
    rule = _short_rule(str(first.get("msg", "invalid value")))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where or 'body'}: {rule}{more}"[:MAX_MESSAGE_CHARS]


def _short_rule(message: str) -> str:
    return message if len(message) <= 160 else message[:160] + "…"


def error_response(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    body = {"code": code, "message": message[:MAX_MESSAGE_CHARS]}
    return JSONResponse(body, status_code=status, headers=dict(headers) if headers else None)


def code_for_status(status: int) -> str:
    return STATUS_CODES.get(status, "internal_error" if status >= 500 else "invalid_request")


def install_error_handlers(app: FastAPI) -> None:
    """Validation errors, HTTPExceptions and anything unexpected, all as {"code", "message"}."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", validation_message(error.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = getattr(error, "code", None) or code_for_status(error.status_code)
        return error_response(error.status_code, code, str(error.detail), error.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, error: Exception) -> JSONResponse:
        log.error("unhandled %s", type(error).__name__, exc_info=log.isEnabledFor(logging.DEBUG))
        return error_response(500, "internal_error", "internal error")

"""API errors as ErrorBody JSON: one stable code per failure, never a stack trace or personal data."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from contracts import ErrorBody, ErrorCode

log = logging.getLogger(__name__)
_FIELD_CODES = {"invalid_id_number": ErrorCode.INVALID_ID_NUMBER, "invalid_plate": "invalid_plate"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(ErrorBody(code=code, message=message).model_dump(), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        message = str(first.get("msg", "invalid request"))
        for marker, code in _FIELD_CODES.items():
            if marker in message:  # the contract's own validators name their code
                return error_response(422, code, f"{where}: {marker.replace('_', ' ')}")
        # The input value is never echoed: it may be an ID number.
        return error_response(422, ErrorCode.INVALID_REQUEST, f"{where}: {message}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = ErrorCode.NOT_FOUND if error.status_code == 404 else ErrorCode.INVALID_REQUEST
        return error_response(error.status_code, code, str(error.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, error: Exception) -> JSONResponse:
        log.error("unhandled error %s", type(error), exc_info=log.isEnabledFor(logging.DEBUG))
        return error_response(500, ErrorCode.INTERNAL, "internal error")

"""API errors as ErrorBody JSON: one stable code per failure, never a stack trace or personal data."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from contracts import ErrorBody, ErrorCode
from server.guard.errors import MAX_MESSAGE_CHARS, code_for_status, validation_message

log = logging.getLogger(__name__)
_FIELD_CODES = {"invalid_id_number": ErrorCode.INVALID_ID_NUMBER, "invalid_plate": "invalid_plate"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(code=code, message=message[:MAX_MESSAGE_CHARS]).model_dump()
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        errors = error.errors()
        message = validation_message(errors)  # names the field and the rule, never the value
        first = str(errors[0].get("msg", "")) if errors else ""
        for marker, code in _FIELD_CODES.items():
            if marker in first:  # the contract's own validators name their code
                return error_response(422, code, message.split(":")[0] + f": {marker.replace('_', ' ')}")
        return error_response(422, ErrorCode.INVALID_REQUEST, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        return error_response(error.status_code, code_for_status(error.status_code), str(error.detail), error.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, error: Exception) -> JSONResponse:
        log.error("unhandled error %s", type(error), exc_info=log.isEnabledFor(logging.DEBUG))
        return error_response(500, ErrorCode.INTERNAL, "internal error")

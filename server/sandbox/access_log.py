"""The access log never carries what a verify URL holds: the signed payload of /v/<payload> spells the
citizen's name and masked ID number (base32 is an encoding, not a secret), and a verification code is a
credential. uvicorn logs the request line as it came; this filter rewrites it first."""

from __future__ import annotations

import logging
import re

ACCESS_LOGGER = "uvicorn.access"
_PAYLOAD = re.compile(r"^(/v/)[^?#]*", re.IGNORECASE)
_CODE = re.compile(r"([?&]code=)[^&#]*", re.IGNORECASE)


def redact_path(path: str) -> str:
    return _CODE.sub(r"\1***", _PAYLOAD.sub(r"\1<payload>", path))


class RedactVerifyPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_path(args[2]), *args[3:])
        return True


def install() -> None:
    """Idempotent: one filter on uvicorn's access logger, whichever app or server is started."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(existing, RedactVerifyPaths) for existing in logger.filters):
        logger.addFilter(RedactVerifyPaths())

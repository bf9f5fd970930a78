"""What a service flow can get from the backend besides an answer.

BackendUnavailable: nothing usable came back (time-out, connection refused or reset, TLS failure, 5xx
after retries, an answer that is not the contract) -> "service temporarily unavailable".
BackendRejected: the backend answered and said no (4xx) with a stable code the flow branches on.
"""

from __future__ import annotations


class BackendError(Exception):
    """Base of every backend client error."""


class BackendUnavailable(BackendError):
    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the last HTTP status when the server answered 5xx, else None


class BackendRejected(BackendError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message

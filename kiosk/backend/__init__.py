"""The kiosk's client of the police backend (served in development by server/sandbox)."""

from contracts.redaction import redact
from kiosk.backend.client import BackendClient, new_idempotency_key
from kiosk.backend.errors import BackendError, BackendRejected, BackendUnavailable

__all__ = [
    "BackendClient",
    "BackendError",
    "BackendRejected",
    "BackendUnavailable",
    "new_idempotency_key",
    "redact",
]

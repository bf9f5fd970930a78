"""Backend calls made while finishing orders: failures leave the order for the next pass."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kiosk.backend.errors import BackendRejected, BackendUnavailable
from kiosk.journal.ports import PortUnavailable


@contextmanager
def backend_call() -> Iterator[None]:
    """Backend failures and refusals not handled by the caller leave the order for the next pass."""
    try:
        yield
    except BackendUnavailable as error:
        raise PortUnavailable(str(error)) from error
    except BackendRejected as rejected:
        raise PortUnavailable(f"backend refused: {rejected.code}") from rejected

"""Named errors of the ID card reader; every SW3 failure code maps to one."""

from __future__ import annotations

from devices.errors import DeviceError
from devices.idcard import codes


class IdCardError(DeviceError):
    """The reader answered with a failure status."""

    code = "idcard_error"

    def __init__(self, sw3: int, message: str = "") -> None:
        name, meaning = codes.SW3_CODES.get(sw3, ("unknown_status", f"unknown status 0x{sw3:02X}"))
        super().__init__(message or f"{meaning} (SW3=0x{sw3:02X})", code=name)
        self.sw3 = sw3


class NoCard(DeviceError):
    """No card was placed on the reader in time."""

    code = "no_card"


class CardRemoved(DeviceError):
    """The card was lifted before the read finished; place it again."""

    code = "card_removed"


class SamFault(DeviceError):
    """The security module failed its self-test or is not authorised: the reader is out of order."""

    code = "sam_fault"

"""Named errors of the permit reader/writer; each has a stable `code` the flows and the journal record."""

from __future__ import annotations

from devices.errors import DeviceError, DeviceUnavailable


class PermitError(DeviceError):
    """The permit could not be read or written."""

    code = "permit_error"


class NoCard(PermitError):
    """No permit was placed on the reader in time."""

    code = "no_card"


class CardRemoved(PermitError):
    """The permit was taken away before the operation finished; place it again."""

    code = "card_removed"


class AccessDenied(PermitError):
    """Basic access control failed: the access key (permit number, birth and expiry date) does not open the chip."""

    code = "access_denied"


class DamagedData(PermitError):
    """A data group is malformed or does not match its hash in EF.SOD (damaged or altered chip data)."""

    code = "damaged_data"


class UntrustedDocument(PermitError):
    """The document signer of EF.SOD is not issued by a configured trust anchor (CSCA)."""

    code = "untrusted_document"


class WriteFailed(PermitError):
    """The chip refused or failed to store the endorsement."""

    code = "write_failed"


class VerifyMismatch(WriteFailed):
    """The endorsement read back from the chip differs from what was written."""

    code = "verify_mismatch"


class ReaderUnavailable(DeviceUnavailable):
    """The PC/SC service or the reader is not there (pcscd stopped, reader unplugged)."""

    code = "reader_unavailable"


class ChipError(PermitError):
    """The chip answered a command with an unexpected status word."""

    code = "chip_error"

    def __init__(self, message: str = "", *, sw: int | None = None) -> None:
        super().__init__(message)
        self.sw = sw


class FileMissing(ChipError):
    """The chip has no file with this identifier (6A82)."""

    code = "file_not_found"

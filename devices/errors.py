"""Named device errors: every operation ends in success or one of these, never a bare exception."""

from __future__ import annotations


class DeviceError(Exception):
    """Base of all device errors; `code` is a stable, machine-readable name."""

    code = "device_error"

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message or self.__class__.__doc__ or self.code)
        if code is not None:
            self.code = code


class DeviceTimeout(DeviceError):
    """The device did not answer in time."""

    code = "timeout"


class DeviceCancelled(DeviceError):
    """The operation was cancelled by the caller."""

    code = "cancelled"


class DeviceUnavailable(DeviceError):
    """The device is unplugged, switched off or its port cannot be opened."""

    code = "unavailable"


class DeviceBusy(DeviceError):
    """Another operation is running on this device."""

    code = "busy"


class ProtocolError(DeviceError):
    """Bytes from the device did not form a valid frame (bad length, checksum or shape)."""

    code = "protocol_error"


class FrameTooLong(ProtocolError):
    """A frame announced more bytes than the protocol allows."""

    code = "frame_too_long"


class ChecksumError(ProtocolError):
    """A frame's checksum did not match its contents."""

    code = "checksum_error"

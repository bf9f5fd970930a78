"""Decoding the card's 1024-byte WLT photo. Only the vendor library can do it (do not reimplement the
wavelet format), so the decoder is pluggable: the vendor library through ctypes where configured, or the
simulator's own portraits."""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Protocol

from devices.errors import DeviceError

SIM_MAGIC = b"SIMWLT1:"


class PhotoUnavailable(DeviceError):
    """The card photo cannot be decoded on this kiosk (no decoder configured)."""

    code = "photo_unavailable"


class PhotoDecoder(Protocol):
    def decode(self, wlt: bytes) -> bytes:
        """Return an image file's bytes (BMP, PNG or JPEG) for the WLT photo."""
        ...


class NoPhotoDecoder:
    def decode(self, wlt: bytes) -> bytes:
        raise PhotoUnavailable("no WLT decoder is configured on this kiosk")


class SimulatedPhotoDecoder:
    """Decodes the simulator's 'WLT' blocks, which name a portrait file instead of holding wavelet data."""

    def __init__(self, portrait_dir: Path) -> None:
        self._dir = portrait_dir

    def decode(self, wlt: bytes) -> bytes:
        if not wlt.startswith(SIM_MAGIC):
            raise PhotoUnavailable("not a simulator photo; configure the vendor decoder")
        portrait = wlt[len(SIM_MAGIC) :].split(b"\x00", 1)[0].decode("ascii", "replace")
        if not portrait.isalnum():
            raise PhotoUnavailable("bad portrait reference in simulator photo")
        for suffix in (".jpg", ".png", ".bmp"):
            path = self._dir / f"{portrait}{suffix}"
            if path.exists():
                return path.read_bytes()
        raise PhotoUnavailable(f"simulator portrait {portrait!r} not found")


def encode_simulated_photo(portrait_id: str) -> bytes:
    return (SIM_MAGIC + portrait_id.encode("ascii")).ljust(1024, b"\x00")


class VendorWltDecoder:
    """libwlt2bmp.so / WltRS.dll through ctypes. Its signature varies by vendor (unconfirmed), so the
    function name is configurable; the common one is `int unpack(char *wlt, char *bmp, int flag)`
    writing a 102x126 BMP into memory; nothing touches the disk."""

    def __init__(self, library_path: str, function: str = "unpack", flag: int = 602) -> None:
        self._lib = ctypes.CDLL(library_path)
        self._fn = getattr(self._lib, function)
        self._flag = flag

    def decode(self, wlt: bytes) -> bytes:
        out = ctypes.create_string_buffer(38862)  # 54-byte BMP header + 102x126x3 + row padding
        result = self._fn(ctypes.c_char_p(bytes(wlt)), out, ctypes.c_int(self._flag))
        if result != 1:
            raise PhotoUnavailable(f"vendor decoder failed with code {result}")
        return out.raw


def decoder_from_options(options: dict[str, object]) -> PhotoDecoder:
    library = options.get("wlt_library")
    if library:
        return VendorWltDecoder(str(library), str(options.get("wlt_function", "unpack")))
    portrait_dir = options.get("portrait_dir")
    if portrait_dir:
        return SimulatedPhotoDecoder(Path(str(portrait_dir)))
    return NoPhotoDecoder()


__all__ = [
    "NoPhotoDecoder",
    "PhotoDecoder",
    "PhotoUnavailable",
    "SimulatedPhotoDecoder",
    "VendorWltDecoder",
    "decoder_from_options",
    "encode_simulated_photo",
]

"""ESC/POS as pure functions: a ReceiptJob to bytes, DLE EOT status requests and their replies.

Every job segment sets its own alignment, weight and size, so a job can be resumed from any segment after
an interruption without inheriting the printer's state. Chinese text goes out in 汉字 mode (FS &, sent
right after ESC @ because ESC @ leaves that mode on many non-Chinese-market models), in the profile's
character set (GB2312 unless the printer has the GB18030 font), laid out to its paper width.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from devices.receipt.errors import StatusReplyError
from devices.receipt.job import Align, Cut, Element, Feed, QrCode, ReceiptJob, Text
from devices.receipt.layout import PrintLine, element_lines, header_lines
from devices.receipt.profile import DEFAULT_PROFILE, ReceiptProfile, encode_text

ESC, GS, FS, DLE, EOT, LF = 0x1B, 0x1D, 0x1C, 0x10, 0x04, 0x0A
INITIALISE = bytes([ESC, 0x40])
HANZI_ON = bytes([FS, 0x26])
HANZI_OFF = bytes([FS, 0x2E])
QR_ENCODING = "utf-8"
QR_MAX_BYTES = 7089  # model 2, version 40, numeric; the printer rejects more
STATUS_FUNCTIONS = (1, 2, 3, 4)

_ALIGN_CODE = {Align.LEFT: 0, Align.CENTER: 1, Align.RIGHT: 2}
_QR_ERROR_CORRECTION = {"L": 0x30, "M": 0x31, "Q": 0x32, "H": 0x33}


# -- formatting commands --------------------------------------------------------------------------
def bold(on: bool) -> bytes:
    return bytes([ESC, 0x45, 1 if on else 0])


def char_size(width: int = 1, height: int = 1) -> bytes:
    """GS ! n: width and height multipliers 1..8 in the high and low nibble."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("character size multipliers must be 1..8")
    return bytes([GS, 0x21, (width - 1) << 4 | (height - 1)])


def align(alignment: Align) -> bytes:
    return bytes([ESC, 0x61, _ALIGN_CODE[alignment]])


def feed_lines(lines: int) -> bytes:
    """ESC d n, repeated because n is one byte."""
    out = bytearray()
    while lines > 0:
        step = min(lines, 255)
        out += bytes([ESC, 0x64, step])
        lines -= step
    return bytes(out)


def cut(partial: bool = True) -> bytes:
    """GS V 66/65 0: feed to the cutting position, then cut (so the last line is not cut off)."""
    return bytes([GS, 0x56, 66 if partial else 65, 0])


def _gs_k(payload: bytes) -> bytes:
    """GS ( k pL pH payload: one 2D-symbol function; pL pH count the payload bytes."""
    return bytes([GS, 0x28, 0x6B, len(payload) & 0xFF, len(payload) >> 8]) + payload


def qr_model() -> bytes:
    return _gs_k(bytes([0x31, 0x41, 0x32, 0x00]))


def qr_module_size(size: int) -> bytes:
    if not 1 <= size <= 16:
        raise ValueError("QR module size must be 1..16")
    return _gs_k(bytes([0x31, 0x43, size]))


def qr_error_correction(level: str) -> bytes:
    try:
        return _gs_k(bytes([0x31, 0x45, _QR_ERROR_CORRECTION[level.upper()]]))
    except KeyError:
        raise ValueError(f"QR error correction must be L, M, Q or H, not {level!r}") from None


def qr_store(data: bytes) -> bytes:
    if not 1 <= len(data) <= QR_MAX_BYTES:
        raise ValueError(f"QR data must be 1..{QR_MAX_BYTES} bytes")
    return _gs_k(bytes([0x31, 0x50, 0x30]) + data)


def qr_print() -> bytes:
    return _gs_k(bytes([0x31, 0x51, 0x30]))


def qr_code(element: QrCode) -> bytes:
    """Model 2, module size, error correction, store, print - centred."""
    return b"".join(
        (
            align(Align.CENTER),
            qr_model(),
            qr_module_size(element.module_size),
            qr_error_correction(element.error_correction),
            qr_store(element.data.encode(QR_ENCODING)),
            qr_print(),
        )
    )


# -- text -----------------------------------------------------------------------------------------
def encode_lines(lines: list[PrintLine], charset: str) -> bytes:
    """Each line with its own alignment, weight and size, ended by LF."""
    out = bytearray()
    for line in lines:
        out += align(line.align) + bold(line.bold) + (char_size(2, 2) if line.double else char_size())
        out += encode_text(line.text, charset) + bytes([LF])
    return bytes(out)


def text_line(element: Text, profile: ReceiptProfile = DEFAULT_PROFILE) -> bytes:
    lines = element_lines(element, profile)
    assert lines is not None
    return encode_lines(lines, profile.charset)


# -- jobs -----------------------------------------------------------------------------------------
def encode_element(element: Element, profile: ReceiptProfile = DEFAULT_PROFILE) -> bytes:
    lines = element_lines(element, profile)
    if lines is not None:
        return encode_lines(lines, profile.charset)
    if isinstance(element, QrCode):
        return qr_code(element)
    if isinstance(element, Feed):
        return feed_lines(element.lines)
    if isinstance(element, Cut):
        return cut(element.partial)
    raise TypeError(f"not a receipt element: {element!r}")


def job_header() -> bytes:
    """ESC @ then FS &: a known state and 汉字 mode on every model."""
    return INITIALISE + HANZI_ON


def encode_segments(job: ReceiptJob, profile: ReceiptProfile = DEFAULT_PROFILE) -> list[bytes]:
    """The job as self-contained segments: [header, one per element]. Chunks may split only between them.

    A reprint carries its one mark in the header segment, so segment numbers match the original job's.
    """
    header = job_header() + encode_lines(header_lines(job, profile), profile.charset)
    return [header, *(encode_element(element, profile) for element in job.elements)]


def encode_job(job: ReceiptJob, profile: ReceiptProfile = DEFAULT_PROFILE) -> bytes:
    return b"".join(encode_segments(job, profile))


# -- real-time status -----------------------------------------------------------------------------
def status_request(function: int) -> bytes:
    """DLE EOT n: 1 printer, 2 offline cause, 3 error cause, 4 paper sensor."""
    if function not in STATUS_FUNCTIONS:
        raise ValueError("DLE EOT function must be 1..4")
    return bytes([DLE, EOT, function])


def is_status_reply(byte: int) -> bool:
    """Shape 0xx1xx10: bits 1 and 4 set, bits 0 and 7 clear."""
    return byte & 0x93 == 0x12


def check_status_reply(byte: int, function: int = 0) -> int:
    if not is_status_reply(byte):
        raise StatusReplyError(f"byte 0x{byte:02X} is not a DLE EOT {function or ''} reply (0xx1xx10)".strip())
    return byte


@dataclass(frozen=True)
class PrinterStatus:
    """What the four DLE EOT replies say."""

    online: bool
    paper: str  # "ok" | "near_end" | "out"
    cover_open: bool
    error: str | None  # None | "cutter" | "mechanical" | "recoverable" | "unrecoverable"
    feed_button: bool

    @property
    def can_print(self) -> bool:
        return self.online and self.paper != "out" and not self.cover_open and self.error is None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def error_cause(byte3: int, error_flagged: bool = False) -> str | None:
    """DLE EOT 3: the most serious cause first; a flagged error without a cause counts as recoverable."""
    for bit, name in ((0x20, "unrecoverable"), (0x04, "mechanical"), (0x08, "cutter"), (0x40, "recoverable")):
        if byte3 & bit:
            return name
    return "recoverable" if error_flagged else None


def paper_state(byte4: int, stopped_at_paper_end: bool = False) -> str:
    if byte4 & 0x60 or stopped_at_paper_end:
        return "out"
    if byte4 & 0x0C:
        return "near_end"
    return "ok"


def parse_status(replies: bytes) -> PrinterStatus:
    """The four replies to DLE EOT 1, 2, 3, 4 in that order."""
    if len(replies) != 4:
        raise StatusReplyError(f"expected 4 status bytes, got {len(replies)}")
    printer, offline, error, paper = (check_status_reply(b, n) for n, b in zip(STATUS_FUNCTIONS, replies, strict=True))
    return PrinterStatus(
        online=not printer & 0x08,
        paper=paper_state(paper, stopped_at_paper_end=bool(offline & 0x20)),
        cover_open=bool(offline & 0x04),
        error=error_cause(error, error_flagged=bool(offline & 0x40)),
        feed_button=bool(offline & 0x08),
    )

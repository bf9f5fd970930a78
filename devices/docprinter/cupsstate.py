"""CUPS/IPP printer and job states mapped onto the kiosk's status model, as pure functions.

printer-state-reasons keywords carry a severity suffix (-error, -warning, -report; none means error).
Precedence, most useful to a technician first: a condition a person fixes (paper, toner, door) is
user_error; any other error-level reason is hardware_error; an offline printer or a stopped/rejecting
queue is offline; warnings (toner low, paper low) leave the printer online with the detail set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.docprinter import errors
from devices.errors import DeviceError
from devices.status import DeviceState, DeviceStatus

PRINTER_IDLE, PRINTER_PROCESSING, PRINTER_STOPPED = 3, 4, 5
_QUEUE_STATE = {PRINTER_IDLE: "idle", PRINTER_PROCESSING: "processing", PRINTER_STOPPED: "stopped"}

JOB_PENDING, JOB_HELD, JOB_PROCESSING, JOB_STOPPED = 3, 4, 5, 6
JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED = 7, 8, 9
JOB_FINAL_STATES = frozenset({JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED})

# reason keyword (without suffix) -> (detail key, value when an error, value when a warning)
_PERSON_FIXABLE: dict[str, tuple[str, str, str]] = {
    "media-empty": ("paper", "out", "low"),
    "media-needed": ("paper", "out", "low"),
    "input-tray-missing": ("paper", "out", "out"),
    "media-jam": ("paper", "jam", "jam"),
    "media-low": ("paper", "low", "low"),
    "toner-empty": ("toner", "out", "low"),
    "marker-supply-empty": ("toner", "out", "low"),
    "toner-low": ("toner", "low", "low"),
    "marker-supply-low": ("toner", "low", "low"),
    "door-open": ("door", "open", "open"),
    "cover-open": ("door", "open", "open"),
    "interlock-open": ("door", "open", "open"),
}
_LOW_ONLY = {"media-low", "toner-low", "marker-supply-low"}
# Informational keywords CUPS sends without a suffix; they must not count as errors.
_INFORMATIONAL = {"none", "paused", "moving-to-paused", "connecting-to-device", "shutdown", "timed-out"}


def split_reason(keyword: str) -> tuple[str, str]:
    """'toner-low-warning' -> ('toner-low', 'warning'); a bare keyword is error-level (RFC 8011)."""
    for severity in ("error", "warning", "report"):
        if keyword.endswith("-" + severity):
            return keyword[: -len(severity) - 1], severity
    return keyword, "error"


@dataclass(frozen=True)
class PrinterSnapshot:
    """The IPP printer attributes the status model needs."""

    state: int
    reasons: tuple[str, ...] = ()
    accepting: bool = True
    message: str = ""

    @classmethod
    def from_attributes(cls, attributes: dict[str, list[Any]]) -> PrinterSnapshot:
        def first(name: str, default: Any) -> Any:
            values = attributes.get(name) or [default]
            return default if values[0] is None else values[0]

        reasons = tuple(str(r) for r in attributes.get("printer-state-reasons") or () if r)
        return cls(
            state=int(first("printer-state", PRINTER_IDLE)),
            reasons=tuple(r for r in reasons if r != "none"),
            accepting=bool(first("printer-is-accepting-jobs", True)),
            message=str(first("printer-state-message", "")),
        )


def printer_status(snapshot: PrinterSnapshot) -> DeviceStatus:
    detail: dict[str, Any] = {"paper": "ok", "toner": "ok", "door": "closed"}
    person_fixable = hardware = offline = False
    for keyword in snapshot.reasons:
        base, severity = split_reason(keyword)
        if base == "offline" or (base == "paused" and snapshot.state == PRINTER_STOPPED):
            offline = True
        elif base in _PERSON_FIXABLE and severity != "report":
            key, when_error, when_warning = _PERSON_FIXABLE[base]
            blocking = severity == "error" and base not in _LOW_ONLY
            detail[key] = when_error if blocking else when_warning
            person_fixable = person_fixable or blocking
        elif severity == "error" and base not in _INFORMATIONAL and not base.startswith("cups-"):
            hardware = True
    if snapshot.state == PRINTER_STOPPED or not snapshot.accepting:
        offline = True
    detail.update(
        queue=_QUEUE_STATE.get(snapshot.state, "unknown"),
        accepting=snapshot.accepting,
        reasons=",".join(snapshot.reasons),
        message=snapshot.message,
    )
    if person_fixable:
        state = DeviceState.USER_ERROR
    elif hardware:
        state = DeviceState.HARDWARE_ERROR
    elif offline:
        state = DeviceState.OFFLINE
    else:
        state = DeviceState.ONLINE
    return DeviceStatus(state, detail)


def error_for_status(status: DeviceStatus, context: str = "") -> DeviceError:
    """The named error a blocking printer status means (for a job that cannot go on)."""
    suffix = f": {context}" if context else ""
    detail = status.detail
    if status.state is DeviceState.USER_ERROR:
        if detail.get("paper") == "jam":
            return errors.MediaJam("paper jam" + suffix)
        if detail.get("paper") == "out":
            return errors.MediaEmpty("out of paper" + suffix)
        if detail.get("toner") == "out":
            return errors.TonerEmpty("toner empty" + suffix)
        if detail.get("door") == "open":
            return errors.CoverOpen("printer door open" + suffix)
    if status.state is DeviceState.HARDWARE_ERROR:
        return errors.PrinterFault(f"printer fault ({detail.get('reasons', '')}){suffix}")
    if status.state is DeviceState.OFFLINE and detail.get("accepting") is False:
        return errors.PrinterOffline("print queue is not accepting jobs" + suffix)
    return errors.PrinterOffline(f"printer {detail.get('queue', 'offline')}{suffix}")


def blocks_printing(status: DeviceStatus) -> bool:
    return status.state in (DeviceState.USER_ERROR, DeviceState.HARDWARE_ERROR, DeviceState.OFFLINE)

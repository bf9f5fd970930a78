"""Every text key the shared flow steps can put in a view, declared from the definitions they come from (device
error classes, the backend's error codes, the ID-number and plate rules, the face instructions), so the text
catalogue (kiosk/texts) is complete by construction: a flow refuses to show a key that is not declared here
or by its service (ServiceFlow.declared_keys), and a test checks the catalogue holds every declared key.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from contracts import ErrorCode
from contracts.idnumber import REASONS as ID_NUMBER_REASONS
from devices.errors import DeviceError
from kiosk.face.instructions import ALL as FACE_INSTRUCTIONS
from kiosk.plates import REASONS as PLATE_REASONS
from kiosk.services import SERVICES

PROMPTS = frozenset({
    "prompt.read_card", "prompt.enter_id_number", "prompt.capture_face", "prompt.confirm", "prompt.pay",
    "prompt.working", "prompt.paid", "prompt.done", "prompt.accepted", "prompt.nothing_found", "prompt.failed",
    "prompt.cancelled", "prompt.refunded",
})  # fmt: skip
NEXT = frozenset({
    "next.counter", "next.retry_later", "next.call_staff", "next.enter_id_number", "next.not_charged",
    "next.refunded", "next.refund_pending", "next.try_again", "next.wait_result", "next.bring_documents",
    "next.refund_if_not_issued",
})  # fmt: skip
STAGES = frozenset({"stage.issuing", "stage.printing", "stage.refunding", "stage.checking"})
TAKE_ITEMS = frozenset({"take.receipt", "take.refund_receipt"})
FIELDS = frozenset({"field.name", "field.id_number", "field.amount"})
UNITS = frozenset({"unit.months", "unit.items", "unit.points", "unit.days"})
DATA_ERRORS = frozenset({
    "error.card_read_failed", "error.reader_unavailable",
    *(f"error.id_number.{reason}" for reason in ID_NUMBER_REASONS),
})  # fmt: skip
PLATE_ERRORS = frozenset({*(f"error.plate.{reason}" for reason in PLATE_REASONS), "error.plate.bad_vin"})
GUIDANCE = frozenset(f"guidance.{key}" for key in FACE_INSTRUCTIONS)

# Device kinds the flows use (the registry's services' own, the card reader and the receipt printer every visit
# may use); each can be why a service is unavailable or a visit failed.
DEVICE_KINDS = tuple(sorted({"idcard", "receipt_printer", *(kind for spec in SERVICES for kind in spec.devices)}))
# Modules whose DeviceError subclasses name the codes a device operation can end in.
# (Only these modules' classes count, so the set does not depend on what else happens to be imported; any
# other code falls back to the generic device error text.)
_DEVICE_ERROR_MODULES = ("devices.errors", "devices.idcard.errors", "devices.idcard.document", "devices.idcard.photo",
                         "devices.receipt.errors", "devices.docprinter.errors", "devices.permit.errors",
                         "devices.permit.mrz", "devices.rewritable.errors")  # fmt: skip
SPOOLER_CODES = ("print_failed", "discarded", *(f"{kind}_missing" for kind in DEVICE_KINDS))
BASE_FAILURES = frozenset({
    "internal", "cancelled", "backend_unavailable", "backend.rejected", "face_no_match", "card_expired",
    "payment_failed", "payment_cancelled", "payment_timeout", "out_of_service", "not_offered", "issue_unconfirmed",
    *(f"device.{kind}_unavailable" for kind in DEVICE_KINDS),
})  # fmt: skip


def _subclasses(cls: type) -> Iterable[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def device_codes() -> frozenset[str]:
    """Every code a device error can carry: the classes' own, and the spooler's."""
    for module in _DEVICE_ERROR_MODULES:
        importlib.import_module(module)
    codes = {DeviceError.code, *(cls.code for cls in _subclasses(DeviceError) if cls.__module__ in _DEVICE_ERROR_MODULES)}
    return frozenset({*codes, *SPOOLER_CODES})


def device_failure(code: str) -> str:
    """The flow's failure code for a device error (an undeclared code falls back to the generic one)."""
    return f"device.{code if code in device_codes() else DeviceError.code}"


def backend_failure(code: str) -> str:
    known = {value for name, value in vars(ErrorCode).items() if name.isupper()}
    return f"backend.{code}" if code in known else "backend.rejected"


def shared_failures() -> frozenset[str]:
    """Failure codes the shared steps can end a visit with (the screen shows error.<code>)."""
    backend = {backend_failure(value) for name, value in vars(ErrorCode).items() if name.isupper()}
    return frozenset({*BASE_FAILURES, *(f"device.{code}" for code in device_codes()), *backend})


def shared_keys() -> frozenset[str]:
    from kiosk.flows.face_step import FACE_KEYS  # the liveness instructions and refusals

    failures = {f"error.{code}" for code in shared_failures()}
    return frozenset({*PROMPTS, *NEXT, *STAGES, *TAKE_ITEMS, *FIELDS, *UNITS, *DATA_ERRORS, *GUIDANCE, *FACE_KEYS,
                      *failures})

"""Traffic violations: lookup, self-service eligibility, handling (points + decision) and payment."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from contracts.common import Contract, IdNumber, OrderId, Token

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # never I or O
_PLATE = re.compile(
    rf"^[{PROVINCES}][{_LETTERS}]"
    rf"(?:[{_LETTERS}0-9]{{5}}|[DF][{_LETTERS}0-9][0-9]{{4}}|[0-9]{{5}}[DF])$"  # ordinary | small NEV | large NEV
)
PLATE_TYPES = {"01": "大型汽车", "02": "小型汽车", "51": "大型新能源汽车", "52": "小型新能源汽车"}


def _plate(value: str) -> str:
    value = value.strip().upper()
    if not _PLATE.match(value):
        raise ValueError("invalid_plate")
    return value


PlateNumber = Annotated[str, Field(max_length=16, examples=["京A12345"]), AfterValidator(_plate)]
PlateType = Literal["01", "02", "51", "52"]


class ViolationsByLicence(Contract):
    id_number: IdNumber  # the driving licence number is the ID number


class ViolationsByPlate(Contract):
    plate_number: PlateNumber
    plate_type: PlateType
    vin_last6: str = Field(pattern=r"^[A-HJ-NPR-Z0-9]{6}$")


class ViolationStatus(StrEnum):
    UNHANDLED = "unhandled"  # 未处理
    HANDLED = "handled"  # 已处理, fine unpaid
    PAID = "paid"


class IneligibleReason(StrEnum):
    SCENE_VIOLATION = "scene_violation"  # only camera-recorded (非现场) violations
    COMMERCIAL_VEHICLE = "commercial_vehicle"  # 营运车辆
    CODE_1603 = "code_1603"  # speed more than 50% over the limit
    EXCLUDED_AUTHORITY = "excluded_authority"  # highway, 城管, airport, rail authorities
    POINTS_LIMIT = "points_limit"  # driver has 12 points or would reach 12
    FINE_CAP = "fine_cap"  # single fine above the terminal's cap (configurable, off by default)
    ALREADY_HANDLED = "already_handled"
    ALREADY_PAID = "already_paid"


class Violation(Contract):
    violation_id: str
    plate_number: str
    plate_type: str
    code: str
    description: str
    place: str
    time: dt.datetime
    fine_cents: int
    points: int
    status: ViolationStatus
    recording_authority: str
    self_service: bool  # may be handled (acknowledged) at the kiosk now
    reason: IneligibleReason | None = None  # why not, when self_service is false
    decision_number: str | None = None
    due_date: dt.date | None = None  # 15 days after the decision
    days_overdue: int = 0
    late_fee_cents: int = 0
    amount_due_cents: int = 0  # fine + late fee, when handled and unpaid


class ViolationList(Contract):
    driver_points: int | None  # the licence's points this scoring cycle (None: no licence known)
    violations: list[Violation]


class HandleViolationRequest(Contract):
    driver_id_number: IdNumber  # the licence the points go to; must be the face-verified person
    verification_token: Token


class HandlingDecision(Contract):
    violation_id: str
    decision_number: str  # 16 digits
    points_recorded: int
    driver_points_total: int
    fine_cents: int
    due_date: dt.date


class ViolationPaymentRequest(Contract):
    payment_order_id: OrderId


class ViolationPayment(Contract):
    violation_id: str
    decision_number: str
    fine_cents: int
    late_fee_cents: int
    paid_cents: int
    paid_at: dt.datetime

"""The business rules as pure functions (no database, no clock of their own): easy to test and cite."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from contracts.traffic import IneligibleReason

POINTS_LIMIT = 12
CODE_SPEED_50_PERCENT = "1603"
EXCLUDED_AUTHORITIES = frozenset({"highway", "chengguan", "airport", "rail"})
FINE_DUE_DAYS = 15
LATE_FEE_PERCENT_PER_DAY = 3
RECORD_SETTLE_WORKING_DAYS = 3


@dataclass(frozen=True)
class ViolationFacts:
    code: str
    points: int
    fine_cents: int
    camera_recorded: bool
    authority: str
    commercial_vehicle: bool
    status: str  # unhandled | handled | paid


def self_service_refusal(
    facts: ViolationFacts, driver_points: int | None, max_single_fine_cents: int | None = None
) -> IneligibleReason | None:
    """Why this violation may not be handled at a kiosk, or None when it may (rules in checking order)."""
    if facts.status == "paid":
        return IneligibleReason.ALREADY_PAID
    if facts.status == "handled":
        return IneligibleReason.ALREADY_HANDLED
    if not facts.camera_recorded:
        return IneligibleReason.SCENE_VIOLATION
    if facts.authority in EXCLUDED_AUTHORITIES:
        return IneligibleReason.EXCLUDED_AUTHORITY
    if facts.commercial_vehicle:
        return IneligibleReason.COMMERCIAL_VEHICLE
    if facts.code == CODE_SPEED_50_PERCENT:
        return IneligibleReason.CODE_1603
    if max_single_fine_cents is not None and facts.fine_cents > max_single_fine_cents:
        return IneligibleReason.FINE_CAP
    points = driver_points or 0
    if points >= POINTS_LIMIT or points + facts.points >= POINTS_LIMIT:
        return IneligibleReason.POINTS_LIMIT
    return None


def fine_due_date(decided_on: dt.date) -> dt.date:
    return decided_on + dt.timedelta(days=FINE_DUE_DAYS)


def days_overdue(decided_on: dt.date, today: dt.date) -> int:
    """Days after the 15-day due date (paying on the due date itself is on time)."""
    return max(0, (today - fine_due_date(decided_on)).days)


def late_fee_cents(fine_cents: int, overdue_days: int) -> int:
    """3% of the fine per day overdue, never more than the fine (行政处罚法 Art. 72); rounded down."""
    return min(fine_cents * LATE_FEE_PERCENT_PER_DAY * overdue_days // 100, fine_cents)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day of the month, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_working_days(day: dt.date, count: int, holidays: frozenset[dt.date] = frozenset()) -> dt.date:
    """`count` working days after `day` (weekends and the given public holidays skipped)."""
    current = day
    while count > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            count -= 1
    return current

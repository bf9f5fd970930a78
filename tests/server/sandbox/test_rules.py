"""The business rules as pure functions, and the demo data's own validity."""

from __future__ import annotations

import datetime as dt

import pytest

from contracts import IneligibleReason, ViolationsByPlate, is_valid_id_number
from server.sandbox import demo_data, rules

BASE = rules.ViolationFacts(code="1625", points=3, fine_cents=20000, camera_recorded=True, authority="traffic",
                            commercial_vehicle=False, status="unhandled")  # fmt: skip


@pytest.mark.parametrize(
    ("change", "points", "expected"),
    [
        ({}, 0, None),
        ({"camera_recorded": False}, 0, IneligibleReason.SCENE_VIOLATION),
        ({"commercial_vehicle": True}, 0, IneligibleReason.COMMERCIAL_VEHICLE),
        ({"code": "1603"}, 0, IneligibleReason.CODE_1603),
        ({"authority": "highway"}, 0, IneligibleReason.EXCLUDED_AUTHORITY),
        ({"authority": "chengguan"}, 0, IneligibleReason.EXCLUDED_AUTHORITY),
        ({"authority": "airport"}, 0, IneligibleReason.EXCLUDED_AUTHORITY),
        ({"authority": "rail"}, 0, IneligibleReason.EXCLUDED_AUTHORITY),
        ({}, 8, None),  # 8 + 3 = 11
        ({}, 9, IneligibleReason.POINTS_LIMIT),  # 9 + 3 = 12: would reach 12
        ({"points": 0}, 12, IneligibleReason.POINTS_LIMIT),  # already 12
        ({"status": "handled"}, 0, IneligibleReason.ALREADY_HANDLED),
        ({"status": "paid"}, 0, IneligibleReason.ALREADY_PAID),
    ],
)
def test_self_service_refusals(change, points, expected):
    facts = rules.ViolationFacts(**{**BASE.__dict__, **change})
    assert rules.self_service_refusal(facts, points) == expected


def test_fine_cap_is_off_by_default_and_configurable():
    assert rules.self_service_refusal(BASE, 0, max_single_fine_cents=None) is None
    assert rules.self_service_refusal(BASE, 0, max_single_fine_cents=19999) == IneligibleReason.FINE_CAP


def test_late_fee_counts_days_after_the_15_day_due_date_and_is_capped():
    decided = dt.date(2026, 1, 1)
    assert rules.fine_due_date(decided) == dt.date(2026, 1, 16)
    assert rules.days_overdue(decided, dt.date(2026, 1, 16)) == 0
    assert rules.days_overdue(decided, dt.date(2026, 1, 17)) == 1
    assert rules.late_fee_cents(20000, 1) == 600
    assert rules.late_fee_cents(20000, 33) == 19800
    assert rules.late_fee_cents(20000, 34) == 20000  # 102% capped at the fine
    assert rules.late_fee_cents(20000, 0) == 0


def test_months_and_working_days():
    assert rules.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert rules.add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)
    assert rules.add_working_days(dt.date(2026, 3, 13), 3) == dt.date(2026, 3, 18)  # Fri -> Wed
    holiday = frozenset({dt.date(2026, 3, 16)})
    assert rules.add_working_days(dt.date(2026, 3, 13), 3, holiday) == dt.date(2026, 3, 19)


def test_demo_people_and_vehicles_are_valid():
    for person in demo_data.CITIZENS:
        assert is_valid_id_number(person.id_number), person.name
        assert person.sex == ("男" if int(person.id_number[16]) % 2 else "女")
    for car in demo_data.VEHICLES:
        ViolationsByPlate(plate_number=car.plate_number, plate_type=car.plate_type, vin_last6=car.vin[-6:])

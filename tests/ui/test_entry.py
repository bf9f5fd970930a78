"""The ID number keypad and the plate keyboard: validation as typed, the reasons shown, keys that cannot come next
switched off, and what is submitted."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.flows.base import StepKind
from kiosk.plates import LETTERS, PROVINCES
from tests.ui.fakes import view_of
from tests.ui.helpers import item, tap, texts, type_keys, wait_page
from ui.catalog import catalog
from ui.entry import IdEntry, PermitEntry, PlateEntry, group_id_number, partial_id_error

CATALOG = catalog()  # the screens' texts and the core's (loaded by tests/ui/conftest.py)

TODAY = dt.date(2026, 1, 15)


def zh(key: str, **values: object) -> str:
    return CATALOG[key]["zh"].format(**values)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", None),
        ("110105", None),
        ("1101051949", None),
        ("1101052999", "bad_birth_date"),  # a future year
        ("110105194913", "bad_birth_date"),  # month 13
        ("11010519490230", "bad_birth_date"),  # 30 February
        ("11010519491231002", None),
        ("11010519491231002X", None),
        ("110105194912310021", "bad_check_digit"),
    ],
)
def test_partial_id_errors(typed, reason):
    assert partial_id_error(typed, today=TODAY) == reason


def test_grouping_is_6_8_4():
    assert group_id_number("11010519491231002X") == "110105 19491231 002X"
    assert group_id_number("1101051") == "110105 1"


def test_x_only_as_the_last_character_and_nothing_after_18():
    sent: list[tuple[str, dict]] = []
    entry = IdEntry(lambda intent, **payload: sent.append((intent, payload)))
    entry.press("X")
    assert entry.digits == "" and not entry.get("xAllowed")
    for key in "11010519491231002":
        entry.press(key)
    assert entry.get("xAllowed") and entry.get("statusKey") == "id.typed" and entry.get("count") == 17
    entry.submit()
    assert sent == []  # not complete: nothing is sent
    entry.press("X")
    assert entry.get("statusKey") == "id.ok" and entry.get("complete") and entry.get("full")
    entry.press("5")
    assert entry.digits == "11010519491231002X"
    entry.submit()
    assert sent == [("submit_id_number", {"id_number": "11010519491231002X"})]


def test_the_keypad_explains_a_wrong_birth_date_as_soon_as_it_is_typed(qtbot, window):
    window.shell.show_view(view_of("temp_id", StepKind.ENTER_ID_NUMBER))
    wait_page(qtbot, window, "enter_id_number")
    assert not item(window, "key_X").isEnabled()
    type_keys(qtbot, window, "110105194913")
    assert zh("id.error.bad_birth_date") in texts(window)
    assert window.shell.id_entry.get("tone") == "error"
    type_keys(qtbot, window, "⌫")
    assert window.shell.id_entry.get("tone") == "hint" and zh("id.typed", n=11) in texts(window)
    tap(qtbot, window, "clearButton")
    assert window.shell.id_entry.get("shown") == "" and not item(window, "clearButton").isEnabled()


def test_the_flows_error_is_shown_until_the_next_key(qtbot, window):
    window.shell.show_view(view_of("temp_id", StepKind.ENTER_ID_NUMBER, error_key="error.id_number.bad_check_digit"))
    wait_page(qtbot, window, "enter_id_number")
    assert CATALOG["error.id_number.bad_check_digit"]["zh"] in texts(window)
    type_keys(qtbot, window, "1")
    assert CATALOG["error.id_number.bad_check_digit"]["zh"] not in texts(window)


def plate_entry(types: list | None = None) -> tuple[PlateEntry, list]:
    sent: list[tuple[str, dict]] = []
    entry = PlateEntry(lambda intent, **payload: sent.append((intent, payload)))
    entry.show_view({"plate_types": types or view_of("traffic", StepKind.ENTER_PLATE).data["plate_types"]})
    return entry, sent


def test_the_plate_keyboard_offers_what_can_come_next():
    entry, _sent = plate_entry()
    assert entry.get("keys") == list(PROVINCES) and set(entry.get("allowed")) == set(PROVINCES)
    assert "I" not in LETTERS and "O" not in LETTERS
    entry.press("粤")
    assert entry.get("keys") == list(LETTERS) + list("0123456789")
    assert set(entry.get("allowed")) == set(LETTERS)  # the authority letter
    entry.press("B")
    assert "5" in entry.get("allowed") and entry.get("shownPlate") == "粤B"


def test_new_energy_plates_take_8_characters_and_d_or_f():
    entry, _sent = plate_entry()
    entry.chooseType("52")
    for char in "沪A":
        entry.press(char)
    assert set(entry.get("allowed")) == {"D", "F"}
    for char in "D12345":
        entry.press(char)
    assert entry.get("plate") == "沪AD12345" and entry.get("target") == "vin"  # full: the VIN is next
    entry.chooseType("02")  # now too long for an ordinary plate
    assert entry.get("statusKey") == "plate.error.too_long" and entry.get("tone") == "error"
    assert not entry.get("complete")


def test_vin_after_the_plate_touch_the_plate_to_correct_and_submit_together(qtbot, window):
    window.shell.show_view(view_of("traffic", StepKind.ENTER_PLATE))
    wait_page(qtbot, window, "enter_plate")
    plate = window.shell.plate_entry
    type_keys(qtbot, window, "京A8K9X")
    assert plate.get("target") == "plate"
    type_keys(qtbot, window, "2")
    assert plate.get("target") == "vin" and "Q" not in plate.get("allowed")  # a VIN has no Q
    type_keys(qtbot, window, "Z2345")
    assert not item(window, "submitButton").isEnabled()
    type_keys(qtbot, window, "6")
    assert plate.get("allowed") == "" and item(window, "submitButton").isEnabled()
    tap(qtbot, window, "plateField")  # touch the plate to correct it
    assert plate.get("target") == "plate"
    sent: list[tuple[str, dict]] = []
    plate._send = lambda intent, **payload: sent.append((intent, payload))
    tap(qtbot, window, "submitButton")
    assert sent == [("submit_plate", {"plate": "京A8K9X2", "plate_type": "02", "vin6": "Z23456"})]


def test_the_permit_number_is_a_letter_then_8_digits():
    sent: list[tuple[str, dict]] = []
    entry = PermitEntry(lambda intent, **payload: sent.append((intent, payload)))
    assert set(entry.get("allowed")) == set(LETTERS) and "I" not in entry.get("allowed")
    entry.press("7")  # a digit first is not taken
    assert entry.get("number") == ""
    for char in "C1234567":
        entry.press(char)
    assert entry.get("allowed") == "0123456789" and not entry.get("complete")
    entry.submit()
    assert sent == []
    entry.press("8")
    assert entry.get("complete") and entry.get("allowed") == "" and entry.get("statusKey") == "permit.ok"
    entry.press("9")
    assert entry.get("number") == "C12345678"
    entry.show_flow_error("error.permit_number.unknown")
    assert entry.get("statusKey") == "error.permit_number.unknown" and entry.get("tone") == "error"
    entry.submit()
    assert sent == [("submit_permit_number", {"permit_number": "C12345678"})]

"""The ID number keypad and the plate keyboard: validation as typed, with the reasons shown."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from kiosk.flows.base import FlowView, StepKind
from kiosk.plates import LETTERS, PROVINCES
from tests.ui.fakes import INTENTS, PLATE_TYPES
from tests.ui.helpers import click
from ui.screens.idnumber import group_id_number, partial_id_error
from ui.texts import CATALOG

TODAY = dt.date(2026, 1, 15)


def zh(key: str) -> str:
    return CATALOG[key]["zh"]


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


@pytest.fixture
def id_screen(window):
    screen = window.steps[StepKind.ENTER_ID_NUMBER]
    window.show_view(
        FlowView("temp_id", StepKind.ENTER_ID_NUMBER, "prompt.enter_id_number", {}, INTENTS[StepKind.ENTER_ID_NUMBER])
    )
    return screen


def test_keypad_allows_x_only_as_the_last_character(qtbot, id_screen):
    assert not id_screen.keypad.keys["X"].isEnabled()
    for key in "11010519491231002":
        click(qtbot, id_screen.keypad.keys[key])
    assert id_screen.keypad.keys["X"].isEnabled()
    assert id_screen.status.text() == "已输入 17/18 位"
    click(qtbot, id_screen.keypad.keys["X"])
    assert id_screen.status.text() == zh("id.ok")
    assert id_screen.submit.isEnabled()
    assert not id_screen.keypad.keys["5"].isEnabled()  # 18 characters: nothing more to type


def test_keypad_explains_a_wrong_birth_date_as_soon_as_it_is_typed(qtbot, id_screen):
    for key in "110105194913":
        click(qtbot, id_screen.keypad.keys[key])
    assert id_screen.status.text() == zh("id.error.bad_birth_date")
    assert id_screen.status.property("role") == "error"
    click(qtbot, id_screen.keypad.keys["⌫"])
    assert id_screen.status.property("role") == "hint"
    click(qtbot, id_screen.clear_button)
    assert id_screen.field.text() == ""


def test_the_flows_error_is_shown_under_the_field(window, id_screen):
    data = {"error_key": "error.invalid_id_number"}
    window.show_view(
        FlowView("temp_id", StepKind.ENTER_ID_NUMBER, "prompt.enter_id_number", data, INTENTS[StepKind.ENTER_ID_NUMBER])
    )
    assert id_screen.status.text() == zh("error.invalid_id_number")


@pytest.fixture
def plate_screen(window):
    view = FlowView(
        "traffic",
        StepKind.ENTER_PLATE,
        "prompt.enter_plate",
        {"plate_types": PLATE_TYPES},
        INTENTS[StepKind.ENTER_PLATE],
    )
    window.show_view(view)
    return window.steps[StepKind.ENTER_PLATE]


def enabled_keys(screen) -> set[str]:
    return {char for char, button in screen.keyboard.keys.items() if button.isEnabled() and button.isVisible()}


def test_plate_keyboard_offers_what_can_come_next(qtbot, plate_screen):
    assert set(PROVINCES) == enabled_keys(plate_screen)  # province page first
    assert "I" not in plate_screen.keyboard.keys and "O" not in plate_screen.keyboard.keys
    click(qtbot, plate_screen.keyboard.keys["粤"])
    assert enabled_keys(plate_screen) == set(LETTERS)  # the authority letter
    click(qtbot, plate_screen.keyboard.keys["B"])
    assert "5" in enabled_keys(plate_screen)
    assert plate_screen.plate_field.text() == "粤B"


def test_new_energy_plates_take_8_characters_and_d_or_f(qtbot, plate_screen):
    type_buttons = {button.text(): button for button in plate_screen.type_group.buttons()}
    click(qtbot, type_buttons[zh("plate_type.52")])
    for char in "沪A":
        click(qtbot, plate_screen.keyboard.keys[char])
    assert enabled_keys(plate_screen) == {"D", "F"}
    for char in "D12345":
        click(qtbot, plate_screen.keyboard.keys[char])
    assert plate_screen.plate == "沪AD12345"
    assert plate_screen.target == "vin"  # full: the VIN is next
    click(qtbot, type_buttons[zh("plate_type.02")])  # now too long for an ordinary plate
    assert plate_screen.status.text() == zh("plate.error.too_long")
    assert plate_screen.status.property("role") == "error"
    assert not plate_screen.submit.isEnabled()


def test_vin_is_entered_after_the_plate_and_submitted_together(qtbot, window, plate_screen):
    for char in "京A8K9X":
        click(qtbot, plate_screen.keyboard.keys[char])
    assert plate_screen.target == "plate"
    click(qtbot, plate_screen.keyboard.keys["2"])
    assert plate_screen.target == "vin"
    assert "Q" not in enabled_keys(plate_screen)  # a VIN has no Q
    for char in "Z2345":
        click(qtbot, plate_screen.keyboard.keys[char])
    assert not plate_screen.submit.isEnabled()
    click(qtbot, plate_screen.keyboard.keys["6"])
    assert enabled_keys(plate_screen) == set()
    assert plate_screen.submit.isEnabled()
    qtbot.mouseClick(plate_screen.plate_field, Qt.MouseButton.LeftButton)  # touch the plate to correct it
    assert plate_screen.target == "plate"
    with qtbot.waitSignal(plate_screen.intent) as sent:
        click(qtbot, plate_screen.submit)
    assert sent.args == ["submit_plate", {"plate": "京A8K9X2", "plate_type": "02", "vin6": "Z23456"}]

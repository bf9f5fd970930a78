"""The technician screen: login, lock-out countdown, device table, self-test, service switches, auto-logout."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.technician import load_out_of_service, totp
from kiosk.technician.auth import BASE_LOCK_S, MAX_FAILURES
from tests.kiosk.technician.helpers import PIN, sim_devices
from ui.technician import TechnicianScreen
from ui.technician.devices_tab import COLUMNS

STATE_COLUMN = COLUMNS.index("状态 State")


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def enter_pin(qtbot, screen: TechnicianScreen, pin: str) -> None:
    for key in pin:
        click(qtbot, screen.pin_pad.keys[key])
    click(qtbot, screen.pin_pad.ok)


def login(qtbot, screen: TechnicianScreen) -> None:
    enter_pin(qtbot, screen, PIN)
    qtbot.waitUntil(lambda: screen.logged_in and screen.devices_tab.table.rowCount() > 0, timeout=5000)


def state_cells(screen: TechnicianScreen) -> dict[str, str]:
    table = screen.devices_tab.table
    return {table.item(row, 0).text(): table.item(row, STATE_COLUMN).text() for row in range(table.rowCount())}


def test_login_shows_the_device_table_with_states(qtbot, make_screen) -> None:
    screen = make_screen(sim_devices(a4="media_empty"))
    assert not screen.logged_in and not screen.pin_pad.code.isVisible()
    login(qtbot, screen)
    assert state_cells(screen) == {"idcard": "online", "a4": "user_error", "card": "online", "camera": "online"}
    assert "paper=out" in screen.devices_tab.table.item(1, 3).text()


def test_wrong_pins_lock_the_pad_with_a_countdown(qtbot, make_screen, clock) -> None:
    screen = make_screen()
    pad = screen.pin_pad
    for attempt in range(1, MAX_FAILURES):
        enter_pin(qtbot, screen, "999999")
        qtbot.waitUntil(lambda a=attempt: f"({a} failed)" in pad.message.text(), timeout=5000)
    enter_pin(qtbot, screen, "999999")
    qtbot.waitUntil(lambda: "Locked" in pad.message.text(), timeout=5000)
    assert "0:30" in pad.message.text() and not pad.ok.isEnabled() and not pad.keys["1"].isEnabled()
    clock.advance(BASE_LOCK_S - 5)
    pad.update_lock_message()
    assert "0:05" in pad.message.text()
    clock.advance(5)
    pad.update_lock_message()
    assert pad.ok.isEnabled() and pad.message.text() == ""
    login(qtbot, screen)


def test_self_test_button_runs_and_shows_the_result(qtbot, make_screen) -> None:
    screen = make_screen(sim_devices(a4="media_empty"))
    login(qtbot, screen)
    tab = screen.devices_tab
    tab.select("idcard")
    assert tab.self_test_button.isEnabled() and tab.read_button.isEnabled() and not tab.print_button.isEnabled()
    click(qtbot, tab.self_test_button)
    qtbot.waitUntil(lambda: "PASS" in tab.result.text(), timeout=5000)
    assert tab.result.text().startswith("idcard:") and "sam_id ok" in tab.result.text()
    tab.select("a4")
    qtbot.waitUntil(tab.self_test_button.isEnabled, timeout=5000)  # the table refresh after a test finishes
    click(qtbot, tab.self_test_button)
    qtbot.waitUntil(lambda: tab.result.text().startswith("a4:") and "FAIL" in tab.result.text(), timeout=5000)
    assert "printer not ready" in tab.result.text()


def test_test_photo_reports_the_frame_size(qtbot, make_screen) -> None:
    screen = make_screen()
    login(qtbot, screen)
    tab = screen.devices_tab
    tab.select("camera")
    click(qtbot, tab.photo_button)
    qtbot.waitUntil(lambda: "width=640" in tab.result.text(), timeout=5000)


def test_totp_field_when_provisioned(qtbot, make_screen, clock) -> None:
    secret = totp.new_secret()
    screen = make_screen(totp_secret=secret)
    pad = screen.pin_pad
    assert pad.code.isVisible()
    enter_pin(qtbot, screen, PIN)  # OK after the PIN moves on to the code field
    assert pad.active is pad.code and not screen.logged_in
    for key in totp.totp(secret, clock()):
        click(qtbot, pad.keys[key])
    click(qtbot, pad.ok)
    qtbot.waitUntil(lambda: screen.logged_in, timeout=5000)


def test_out_of_service_switch_persists(qtbot, make_screen) -> None:
    screen = make_screen()
    login(qtbot, screen)
    screen.tabs.setCurrentWidget(screen.service_tab)
    tab = screen.service_tab
    click(qtbot, tab.toggles["temp_id"])  # no reason yet: refused
    assert not tab.toggles["temp_id"].isChecked() and "reason" in tab.status.text()
    tab.reasons["temp_id"].setEditText("card printer ribbon out")
    click(qtbot, tab.toggles["temp_id"])
    qtbot.waitUntil(lambda: tab.states["temp_id"].text().endswith("OUT"), timeout=5000)
    assert load_out_of_service(screen.service.home) == {"temp_id": "card printer ribbon out"}
    click(qtbot, tab.toggles["temp_id"])
    qtbot.waitUntil(lambda: load_out_of_service(screen.service.home) == {}, timeout=5000)


def test_counters_tab_resets_paper(qtbot, make_screen) -> None:
    screen = make_screen()
    login(qtbot, screen)
    assert screen.service.test_print("a4").ok
    screen.tabs.setCurrentWidget(screen.counters_tab)
    tab = screen.counters_tab
    qtbot.waitUntil(lambda: tab.table.rowCount() == 3, timeout=5000)
    row = next(i for i, r in enumerate(tab.rows) if (r.device, r.consumable) == ("a4", "paper"))
    assert tab.table.item(row, 2).text() == "1"
    tab.table.selectRow(row)
    click(qtbot, tab.reset_button)
    qtbot.waitUntil(lambda: "was 1" in tab.status.text(), timeout=5000)
    assert screen.service.consumables("a4")["paper"] == 0


def test_inactivity_logs_out_and_closes(qtbot, make_screen, clock) -> None:
    screen = make_screen()
    login(qtbot, screen)
    clock.advance(screen.auth.idle_logout_s + 1)
    with qtbot.waitSignal(screen.closed, timeout=3000):
        pass  # the screen's one-second tick notices
    assert not screen.logged_in
    screen.wait_idle()
    actions = [e.action for e in screen.service.audit.entries()]
    assert actions[-1] == "technician.auto_logout"


def test_logout_button_closes(qtbot, make_screen) -> None:
    screen = make_screen()
    login(qtbot, screen)
    with qtbot.waitSignal(screen.closed, timeout=3000):
        click(qtbot, screen.logout_button)
    assert not screen.logged_in

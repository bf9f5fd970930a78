"""Out-of-service switches: persisted, read by the core's availability, masked reasons."""

from __future__ import annotations

import pytest

from kiosk.home import KioskHome
from kiosk.technician import clear_out_of_service, load_out_of_service, set_out_of_service
from kiosk.technician.outofservice import out_of_service_path


@pytest.fixture
def home(tmp_path) -> KioskHome:
    return KioskHome(tmp_path / "home").ensure()


def test_set_show_clear(home) -> None:
    assert load_out_of_service(home) == {}
    set_out_of_service(home, "temp_id", "card printer ribbon out", "technician")
    set_out_of_service(home, "kiosk", "  screen   replaced ", "technician")
    assert load_out_of_service(KioskHome(home.root)) == {
        "temp_id": "card printer ribbon out",
        "kiosk": "screen replaced",
    }
    assert clear_out_of_service(home, "kiosk") is True
    assert clear_out_of_service(home, "kiosk") is False
    assert load_out_of_service(home) == {"temp_id": "card printer ribbon out"}


def test_reason_is_required_masked_and_bounded(home) -> None:
    with pytest.raises(ValueError):
        set_out_of_service(home, "traffic", "   ", "technician")
    stored = set_out_of_service(home, "traffic", "call 13812345678 " + "x" * 500, "technician")
    assert stored.startswith("call 138****5678") and len(stored) == 200


def test_unknown_target_is_refused(home) -> None:
    with pytest.raises(ValueError, match="unknown service"):
        set_out_of_service(home, "passport", "not yet", "technician")


def test_an_unreadable_file_keeps_the_kiosk_out_of_service(home) -> None:
    out_of_service_path(home).write_text("{ half written")
    assert "kiosk" in load_out_of_service(home)

"""The catalogue is complete by construction: every key a registered flow can show (declared from the flows'
own definitions) has a Chinese and an English text, a flow cannot show an undeclared key, and `kiosk ui text`
answers for any key."""

from __future__ import annotations

import pytest

from kiosk.cli.main import main
from kiosk.flows.base import StepKind
from kiosk.flows.common import UndeclaredTextKey
from kiosk.flows.keys import device_codes, device_failure
from kiosk.services import SERVICES
from kiosk.texts import catalogue, declared_keys, missing_keys, text


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_declared_key_has_a_text(language):
    assert missing_keys(language) == []


def test_declared_keys_come_from_the_definitions():
    keys = declared_keys()
    # one error text per device error class and per backend error code, without a hand-written list
    assert {f"error.{device_failure(code)}" for code in device_codes()} <= keys
    assert "error.device.card_jam" in keys and "error.backend.vehicle_not_found" in keys
    for spec in SERVICES:
        assert set(spec.load_flow().steps) <= keys


def test_chinese_screens_get_chinese_and_english_gets_english():
    entries = catalogue()
    for key in declared_keys():
        zh, en = entries[key]["zh"], entries[key]["en"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), key
        assert sum("\u4e00" <= ch <= "\u9fff" for ch in en) <= 2, key  # an example plate character at most
    assert "(" not in text("error.device.card_printer_unavailable", "zh")  # full-width brackets in Chinese


def test_a_flow_refuses_to_show_an_undeclared_key(kiosk_home):
    from kiosk.home import KioskHome
    from kiosk.runtime import KioskRuntime

    runtime = KioskRuntime(KioskHome.resolve(None))
    flow = runtime.start_flow("certificate")
    with pytest.raises(UndeclaredTextKey, match=r"error\.made_up"):
        flow.make_view(StepKind.FAILED, "prompt.failed", {"error_key": "error.made_up"}, ("finish",))
    runtime.journal.close()


def test_kiosk_ui_text_prints_texts_and_names_missing_keys(capsys):
    assert main(["ui", "text", "--lang", "en", "prompt.paid", "next.refunded"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "prompt.paid\tPaid – your document is being made" and out[1].startswith("next.refunded\t")
    assert main(["ui", "text", "--lang", "zh", "prompt.paid", "no.such.key", "other.missing"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "prompt.paid\t支付成功，正在制证\n"
    assert "no.such.key" in captured.err and "other.missing" in captured.err
    assert main(["ui", "text", "--lang", "en", "--missing"]) == 0

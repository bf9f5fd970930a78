"""The card printer simulator on raw protocol bytes: scenarios from data files, framing, control methods."""

from __future__ import annotations

import pytest

from devices.cardprinter.protocol import Bitmap, CommandSet
from devices.cardprinter.sim import CardPrinterSimulator, scenario_names
from devices.sim import registry

COMMANDS = CommandSet()


def replies(sim: CardPrinterSimulator) -> list[bytes]:
    out = []
    while sim.pending_output():
        out.append(sim.read_to_host(4096, 0))
    return out


def test_every_scenario_file_loads_with_its_status():
    expected = {
        "ok": "OK",
        "hopper_empty": "ERR;HOPPER_EMPTY",
        "ribbon_low": "WARN;RIBBON_LOW",
        "ribbon_out": "ERR;RIBBON_OUT",
        "card_jam_mid_print": "OK",
        "cover_open": "ERR;COVER_OPEN",
        "silence": "OK",
    }
    assert set(scenario_names()) == set(expected)
    for name, status in expected.items():
        assert CardPrinterSimulator(name).status_line() == status


def test_url_params_choose_scenario_and_override_counts():
    sim = registry.instance_for_url("sim://cardprinter?instance=x&scenario=ribbon_low&cards=3&ribbon=700")
    assert (sim.scenario, sim.cards, sim.ribbon, sim.status_line()) == ("ribbon_low", 3, 700, "OK")


def test_print_sequence_fed_one_byte_at_a_time():
    sim = CardPrinterSimulator()
    front = Bitmap(16, 2, b"\x0d\x0d\x1b\x1b")  # CR and ESC inside the bitmap must not confuse framing
    stream = COMMANDS.frame("start") + COMMANDS.download("f", front) + COMMANDS.frame("print_eject")
    for i in range(len(stream)):
        sim.write_from_host(stream[i : i + 1])
    assert replies(sim) == [b"OK\r", b"OK\r", b"OK\r"]
    assert sim.printed[0].front == front and sim.printed[0].back is None
    assert (sim.cards, sim.ribbon, sim.cards_printed) == (99, 999, 1)


def test_noise_before_a_command_is_skipped_and_unknown_commands_answered():
    sim = CardPrinterSimulator()
    sim.write_from_host(b"\x00\xffgarbage" + COMMANDS.frame("status") + b"\x1bXyz\r")
    assert replies(sim) == [b"OK\r", b"ERR;UNKNOWN_COMMAND\r"]


def test_download_outside_a_sequence_and_bad_sizes_are_refused():
    sim = CardPrinterSimulator()
    sim.write_from_host(COMMANDS.download("f", Bitmap(8, 1, b"\x00")))
    sim.write_from_host(COMMANDS.frame("start") + b"\x1bDb;k;f;16;2;1;\x00\r" + COMMANDS.frame("print_eject"))
    assert replies(sim) == [b"ERR;SEQUENCE\r", b"OK\r", b"ERR;BITMAP\r", b"ERR;SEQUENCE\r"]
    assert sim.printed == []


def test_jam_consumes_the_card_and_holds_until_cleared():
    sim = CardPrinterSimulator("card_jam_mid_print")
    sequence = COMMANDS.frame("start") + COMMANDS.download("f", Bitmap(8, 1, b"\x01")) + COMMANDS.frame("print_eject")
    sim.write_from_host(sequence)
    assert replies(sim)[-1] == b"ERR;CARD_JAM\r"
    assert (sim.cards, sim.cards_printed, sim.status_line()) == (99, 0, "ERR;CARD_JAM")
    sim.write_from_host(COMMANDS.frame("start"))
    assert replies(sim) == [b"ERR;CARD_JAM\r"]
    sim.clear_jam()
    sim.write_from_host(sequence)
    assert replies(sim)[-1] == b"OK\r" and sim.cards_printed == 1


def test_control_methods_change_the_status():
    sim = CardPrinterSimulator("hopper_empty")
    sim.load_cards(5)
    assert sim.status_line() == "OK" and sim.cards == 5
    sim.set_ribbon(10)
    assert sim.status_line() == "WARN;RIBBON_LOW"
    sim.set_ribbon(0)
    sim.open_cover()
    assert sim.status_line() == "ERR;COVER_OPEN,RIBBON_OUT"
    sim.close_cover()
    sim.set_ribbon(500)
    assert sim.describe()["status"] == "OK"


def test_silence_records_but_never_answers():
    sim = CardPrinterSimulator("silence")
    sim.write_from_host(COMMANDS.frame("status"))
    assert sim.pending_output() == 0 and bytes(sim.received) == b"\x1bRst\r"


def test_unknown_scenario():
    with pytest.raises(ValueError, match="no card printer scenario"):
        CardPrinterSimulator("meltdown")

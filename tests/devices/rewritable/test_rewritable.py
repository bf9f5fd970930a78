"""The rewritable card printer: exact block bytes, a parser that survives any bytes, every status through the
simulator, and the printed back checked as a picture."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.errors import ChecksumError, ProtocolError
from devices.rewritable import errors
from devices.rewritable.device import RewritablePrinter
from devices.rewritable.layout import BLOCK_HEIGHT, BLOCK_WIDTH, BLOCK_X, BLOCK_Y, CARD_WIDTH, EndorsementBlock
from devices.rewritable.protocol import ACK, NAK, Block, BlockParser, encode_block, encode_response, parse_sensors
from devices.sim import registry
from devices.status import DeviceState
from devices.transport import Reconnector, Transport, TransportSettings

BLOCK = EndorsementBlock("G", "HK", 2, dt.date(2026, 12, 4), dt.date(2027, 12, 3), "HK2026000001")


def test_blocks_have_the_documented_bytes():
    assert encode_block("Y") == bytes.fromhex("02 59 0000 03 5A")  # BCC = 59 ^ 00 ^ 00 ^ 03
    assert encode_response("Y", "00", b"C1V0T035")[:6] == bytes.fromhex("02 59 000A 3030")
    assert parse_sensors(b"C1V0T035") == {"card": 1, "cover": 0, "temperature": 35}


def test_parser_splits_acks_blocks_and_reports_a_damaged_block():
    good = encode_response("H", "30")
    bad = bytearray(encode_response("G", "00"))
    bad[-1] ^= 0xFF
    parser = BlockParser()
    items = [item for byte in bytes([ACK]) + good + bytes([NAK]) + bytes(bad) + good for item in parser.feed(bytes([byte]))]
    assert items[0] == ACK and items[1] == Block("H", b"30") and items[2] == NAK
    assert isinstance(items[3], ChecksumError) and items[-1] == Block("H", b"30")


@given(st.binary(max_size=3000))
def test_any_bytes_give_blocks_control_bytes_or_typed_errors(data):
    for item in BlockParser().feed(data):
        assert isinstance(item, (int, Block, ProtocolError))


@pytest.fixture
def make_printer():
    opened = []

    def make(scenario: str = "ok") -> tuple[RewritablePrinter, object]:
        transport = Transport(TransportSettings(url=f"sim://rewritable?instance=rw&scenario={scenario}"))
        printer = RewritablePrinter("rw", transport, command_timeout=0.5, reconnector=Reconnector(transport, 0.0))
        printer.open()
        opened.append(printer)
        return printer, registry.get_instance("rw")

    yield make
    for printer in opened:
        printer.close()


def _dark(sim, x0: int, y0: int, width: int, height: int) -> int:
    return sum(sum(sim.back[y * CARD_WIDTH + x0 : y * CARD_WIDTH + x0 + width]) for y in range(y0, y0 + height))


def test_print_erases_the_old_block_and_prints_the_new_one(make_printer, tmp_path):
    printer, sim = make_printer()
    old = _dark(sim, BLOCK_X, BLOCK_Y, BLOCK_WIDTH, BLOCK_HEIGHT)
    printer.print_endorsement_block(BLOCK, timeout=10)
    new = _dark(sim, BLOCK_X, BLOCK_Y, BLOCK_WIDTH, BLOCK_HEIGHT)
    assert old == 6 * 18 * (BLOCK_WIDTH - 200) and 5_000 < new < old / 2  # the bars are gone, text and frame are there
    assert _dark(sim, 0, 0, CARD_WIDTH, BLOCK_Y) == 0  # nothing outside the block
    png = sim.back_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert printer.status.state is DeviceState.ONLINE and sim.prints == 1


def test_the_same_block_prints_the_same_dots_and_another_differs(make_printer):
    """The same block rendered twice gives the same dots; a different number gives different dots."""
    printer, sim = make_printer()
    printer.print_endorsement_block(BLOCK, timeout=10)
    first = bytes(sim.back)
    printer.print_endorsement_block(BLOCK, timeout=10)
    assert bytes(sim.back) == first
    other = EndorsementBlock("L", "MO", 1, BLOCK.valid_from, BLOCK.valid_to, "MO2026000002")
    printer.print_endorsement_block(other, timeout=10)
    assert bytes(sim.back) != first


@pytest.mark.parametrize(("scenario", "error", "state"), [
    ("no_card", errors.NoCardInPrinter, DeviceState.ONLINE),
    ("card_jam", errors.CardJam, DeviceState.USER_ERROR),
    ("erase_incomplete", errors.EraseIncomplete, DeviceState.ONLINE),
    ("head_hot", errors.HeadTooHot, DeviceState.USER_ERROR),
    ("cover_open", errors.CoverOpen, DeviceState.USER_ERROR),
])  # fmt: skip
def test_every_status_is_a_named_error(make_printer, scenario, error, state):
    printer, sim = make_printer(scenario)
    with pytest.raises(error):
        printer.print_endorsement_block(BLOCK, timeout=10)
    assert printer.status.state is state and sim.prints == 0


def test_erase_incomplete_prints_nothing_over_the_ghost(make_printer):
    printer, sim = make_printer("erase_incomplete")
    with pytest.raises(errors.EraseIncomplete):
        printer.print_endorsement_block(BLOCK, timeout=10)
    rows = [sum(sim.back[(BLOCK_Y + r) * CARD_WIDTH + BLOCK_X : (BLOCK_Y + r) * CARD_WIDTH + BLOCK_X + BLOCK_WIDTH])
            for r in range(6)]  # fmt: skip
    assert rows.count(BLOCK_WIDTH) == 2 and rows.count(0) == 4  # every third line left dark, no text


def test_a_jam_is_reported_until_cleared_and_the_cover_by_status(make_printer):
    printer, sim = make_printer("card_jam")
    with pytest.raises(errors.CardJam):
        printer.print_endorsement_block(BLOCK, timeout=10)
    assert printer.refresh_status().detail["status"] == "20"
    sim.clear_jam()
    sim.open_cover()
    assert printer.refresh_status().detail["cover"] == "open"
    sim.close_cover()
    printer.print_endorsement_block(BLOCK, timeout=10)
    assert printer.refresh_status().state is DeviceState.ONLINE


def test_a_silent_printer_is_offline(make_printer):
    printer, sim = make_printer()
    sim.unplug()
    with pytest.raises(Exception) as failure:
        printer.print_endorsement_block(BLOCK, timeout=2)
    assert failure.value.code in ("unavailable", "printer_offline")

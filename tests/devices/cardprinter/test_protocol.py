"""The card printer's framing: exact bytes, the command table, reply parsing that never crashes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.cardprinter import protocol
from devices.cardprinter.protocol import Bitmap, CommandSet, Level, ReplyParser
from devices.cardprinter.render import pair_sides, parse_pbm, render_pdf_panels
from devices.errors import FrameTooLong, ProtocolError


@pytest.mark.parametrize(
    ("name", "frame"),
    [
        ("status", b"\x1bRst\r"),
        ("ribbon_remaining", b"\x1bRrt\r"),
        ("card_count", b"\x1bRco\r"),
        ("firmware", b"\x1bRfv\r"),
        ("start", b"\x1bSs\r"),
        ("print_eject", b"\x1bSe\r"),
        ("reset", b"\x1bSrs\r"),
    ],
)
def test_command_frames_exact_bytes(name, frame):
    assert CommandSet().frame(name) == frame


def test_download_frame_exact_bytes():
    bitmap = Bitmap(10, 2, b"\xff\xc0\x0d\x40")  # the payload may contain CR (0x0D)
    assert CommandSet().download("f", bitmap) == b"\x1bDb;k;f;10;2;4;\xff\xc0\x0d\x40\r"


def test_a_site_overrides_command_strings():
    commands = CommandSet({"status": "Rse", "download": "Db;k;2;"})
    assert commands.frame("status") == b"\x1bRse\r"
    assert commands.frame("start") == b"\x1bSs\r"  # untouched entries keep the default
    assert commands.download("f", Bitmap(8, 1, b"\x81")) == b"\x1bDb;k;2;\x81\r"
    with pytest.raises(ValueError, match="unknown card printer commands"):
        CommandSet({"self_destruct": "X"})


@pytest.mark.parametrize(
    ("line", "level", "flags", "ready"),
    [
        ("OK", Level.OK, set(), True),
        ("WARN;RIBBON_LOW", Level.WARN, {"RIBBON_LOW"}, True),
        ("ERR;CARD_JAM,COVER_OPEN", Level.ERR, {"CARD_JAM", "COVER_OPEN"}, False),
        ("ERR;SOMETHING_NEW", Level.ERR, {"SOMETHING_NEW"}, False),
        ("BUSY", Level.BUSY, set(), False),
    ],
)
def test_parse_status(line, level, flags, ready):
    reply = protocol.parse_status(line)
    assert (reply.level, set(reply.flags), reply.ready) == (level, flags, ready)


@pytest.mark.parametrize("line", ["", "FINE", "ok", "117"])
def test_parse_status_refuses(line):
    with pytest.raises(ProtocolError):
        protocol.parse_status(line)


def test_parse_count():
    assert protocol.parse_count("0117") == 117
    for bad in ("", "-1", "1e3", "9999999999"):
        with pytest.raises(ProtocolError):
            protocol.parse_count(bad)


def test_reply_parser_splits_lines_across_chunks_and_ignores_lf():
    parser = ReplyParser()
    assert parser.feed(b"O") == []
    assert parser.feed(b"K\r\nWARN;RIB") == ["OK"]
    assert parser.feed(b"BON_LOW\r\r117\r") == ["WARN;RIBBON_LOW", "117"]


def test_reply_parser_reports_damage_and_goes_on():
    parser = ReplyParser()
    items = parser.feed(b"O\x00K\r" + b"A" * 300 + b"\rOK\r")
    assert isinstance(items[0], ProtocolError)
    assert isinstance(items[1], FrameTooLong)
    assert items[2:] == ["OK"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=80), max_size=10))
def test_reply_parser_never_raises_and_stays_bounded(chunks):
    parser = ReplyParser()
    for chunk in chunks:
        for item in parser.feed(chunk):
            assert isinstance(item, (str, ProtocolError))
            if isinstance(item, str):
                assert 0 < len(item) <= protocol.MAX_REPLY and item.isprintable()
        assert len(parser._buffer) <= protocol.MAX_REPLY


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_reply_parser_is_independent_of_chunking(data):
    whole = ReplyParser().feed(data)
    parser = ReplyParser()
    bytewise = [item for i in range(len(data)) for item in parser.feed(data[i : i + 1])]
    assert [str(item) if isinstance(item, ProtocolError) else item for item in whole] == [
        str(item) if isinstance(item, ProtocolError) else item for item in bytewise
    ]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=40))
def test_parse_status_only_raises_protocol_error(line):
    try:
        protocol.parse_status(line)
    except ProtocolError:
        pass


def test_bitmap_checks_its_size_and_reads_pixels():
    bitmap = Bitmap(9, 2, b"\x80\x80\x00\x00")
    assert bitmap.row_bytes == 2 and bitmap.pixel(0, 0) and bitmap.pixel(8, 0) and not bitmap.pixel(1, 0)
    assert bitmap.black_pixels() == 2
    with pytest.raises(ValueError):
        Bitmap(9, 2, b"\x00")


def test_parse_pbm_with_comment():
    assert parse_pbm(b"P4\n# made by hand\n10 2\n\xff\xc0\x00\x40") == Bitmap(10, 2, b"\xff\xc0\x00\x40")
    with pytest.raises(ValueError):
        parse_pbm(b"P6\n1 1\n255\n\x00\x00\x00")


def test_render_real_card_pdf_to_panels(card_pdf_factory):
    panels = render_pdf_panels(card_pdf_factory(2))
    assert [(p.width, p.height) for p in panels] == [(1016, 648)] * 4
    front, back = panels[0], panels[1]
    # front: a 20 mm black square 5 mm from the lower-left corner (300 dpi: 1 mm ~ 11.9 dots)
    assert front.pixel(180, 648 - 180) and not front.pixel(800, 100)
    # back: a black bar along the bottom edge
    assert back.pixel(500, 648 - 20) and not back.pixel(500, 100)
    assert pair_sides(panels) == [(panels[0], panels[1]), (panels[2], panels[3])]
    assert pair_sides(panels[:3])[1] == (panels[2], None)

"""Exact bytes of the SAM_V framing, and a parser that survives any chunking and any garbage."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.errors import ChecksumError, ProtocolError
from devices.idcard.protocol import (
    MAX_LEN,
    Command,
    Frame,
    FrameParser,
    encode_read_payload,
    encode_request,
    encode_response,
    parse_read_payload,
)

REFERENCE_REQUESTS = {
    Command.RESET_SAM: "AA AA AA 96 69 00 03 10 FF EC",
    Command.SAM_STATUS: "AA AA AA 96 69 00 03 11 FF ED",
    Command.READ_SAM_ID: "AA AA AA 96 69 00 03 12 FF EE",
    Command.FIND_CARD: "AA AA AA 96 69 00 03 20 01 22",
    Command.SELECT_CARD: "AA AA AA 96 69 00 03 20 02 21",
    Command.READ_TEXT_PHOTO: "AA AA AA 96 69 00 03 30 01 32",
    Command.READ_WITH_FINGERPRINT: "AA AA AA 96 69 00 03 30 10 23",
    Command.READ_APPENDED_ADDRESS: "AA AA AA 96 69 00 03 30 03 30",
}


@pytest.mark.parametrize(("command", "expected"), REFERENCE_REQUESTS.items())
def test_requests_match_the_reference_bytes(command, expected):
    assert encode_request(command) == bytes.fromhex(expected)


@pytest.mark.parametrize(
    ("with_fp", "fingerprint", "length_field", "total"),
    [(False, None, 0x0508, 1295), (True, bytes(1024), 0x090A, 2321), (True, None, 0x050A, 1297)],
)
def test_read_responses_have_the_reference_sizes(with_fp, fingerprint, length_field, total):
    payload = encode_read_payload(bytes(256), bytes(1024), fingerprint, with_fp)
    frame = encode_response(0x90, payload)
    assert len(frame) == total
    assert int.from_bytes(frame[5:7], "big") == length_field


def test_text_and_photo_sit_at_the_reference_offsets():
    text, photo = bytes(range(256)), bytes([7]) * 1024
    frame = encode_response(0x90, encode_read_payload(text, photo, None, False))
    assert frame[14:270] == text and frame[270:1294] == photo and len(frame) == 1295


def test_parser_returns_frames_across_byte_by_byte_feeding_with_noise():
    stream = b"\x00\xaa\x55" + encode_response(0x9F, bytes(4)) + b"\xaa\xaa" + encode_response(0x90)
    parser = FrameParser()
    frames = [item for byte in stream for item in parser.feed(bytes([byte]))]
    assert [f.sw3 for f in frames if isinstance(f, Frame)] == [0x9F, 0x90]
    assert parser.buffered == 0


def test_damaged_frame_is_a_checksum_error_and_the_next_frame_still_parses():
    bad = bytearray(encode_response(0x90, b"\x01\x02\x03"))
    bad[9] ^= 0xFF
    parser = FrameParser()
    items = parser.feed(bytes(bad) + encode_response(0x9F))
    assert isinstance(items[0], ChecksumError)
    assert [i.sw3 for i in items if isinstance(i, Frame)] == [0x9F]


def test_absurd_length_is_rejected_without_waiting_for_megabytes():
    parser = FrameParser()
    items = parser.feed(b"\xaa\xaa\xaa\x96\x69\xff\xff" + encode_response(0x90))
    assert isinstance(items[0], ProtocolError)
    assert [i.sw3 for i in items if isinstance(i, Frame)] == [0x90]


def test_read_payload_rejects_wrong_block_lengths():
    payload = bytearray(encode_read_payload(bytes(256), bytes(1024), None, False))
    payload[0:2] = (255).to_bytes(2, "big")
    with pytest.raises(ProtocolError):
        parse_read_payload(bytes(payload), with_fingerprint=False)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000), st.integers(min_value=1, max_value=64))
def test_any_bytes_give_only_frames_or_typed_errors_and_a_bounded_buffer(data, chunk):
    parser = FrameParser()
    for start in range(0, len(data), chunk):
        for item in parser.feed(data[start : start + chunk]):
            assert isinstance(item, (Frame, ProtocolError))
        assert parser.buffered <= 7 + MAX_LEN


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.binary(max_size=40), min_size=1, max_size=5),
    st.binary(max_size=30).filter(lambda b: b"\xaa" not in b),
    st.integers(min_value=1, max_value=50),
)
def test_valid_frames_survive_stray_bytes_and_any_chunking(bodies, noise, chunk):
    stream = b"".join(noise + encode_response(0x90, body) for body in bodies)
    parser = FrameParser()
    frames = []
    for start in range(0, len(stream), chunk):
        frames += [i for i in parser.feed(stream[start : start + chunk]) if isinstance(i, Frame)]
    assert [f.data for f in frames] == bodies


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=60), st.data())
def test_a_single_flipped_byte_never_yields_the_original_frame_with_other_data(body, data):
    frame = bytearray(encode_response(0x90, body))
    index = data.draw(st.integers(min_value=5, max_value=len(frame) - 1))
    flip = data.draw(st.integers(min_value=1, max_value=255))
    frame[index] ^= flip
    for item in FrameParser().feed(bytes(frame)):
        if isinstance(item, Frame):
            assert item.data == body  # only an undamaged body may come out

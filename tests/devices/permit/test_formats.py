"""APDUs, BER-TLV, EF.COM, DG1, DG2, DG11 and EF.SOD: exact bytes, and any bytes give only typed errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.errors import ProtocolError
from devices.permit import apdu, biometric, lds, sod, tlv
from devices.permit.apdu import Command
from devices.permit.sim.card import chip_photo, make_permit
from devices.permit.sim.issuer import build_sod, demo_authority

H = bytes.fromhex
ANY_BYTES = st.binary(max_size=600)


@pytest.mark.parametrize(("command", "encoded"), [
    (Command(0, 0xA4, 4, 0x0C, H("A0000002471001")), "00A4040C07A0000002471001"),
    (Command(0, 0x84, 0, 0, le=8), "0084000008"),
    (Command(0, 0xB0, 0, 0, le=256), "00B0000000"),
    (Command(0, 0xB0, 0x12, 0x34, le=1024, extended=True), "00B01234000400"),
    (Command(0, 0xD6, 0, 0, bytes(300)), "00D60000" + "00012C" + "00" * 300),
])  # fmt: skip
def test_command_apdus_encode_to_the_iso_cases_and_parse_back(command, encoded):
    assert command.encode() == H(encoded)
    parsed = apdu.parse_command(H(encoded))
    assert (parsed.ins, parsed.p1, parsed.p2, parsed.data, parsed.le) == (command.ins, command.p1, command.p2,
                                                                           command.data, command.le)


@given(ANY_BYTES)
def test_any_bytes_are_a_command_or_an_apdu_error(raw):
    try:
        command = apdu.parse_command(raw)
    except apdu.ApduError:
        return
    assert len(command.data) <= len(raw)


def test_tlv_lengths_and_nesting():
    assert tlv.encode(0x5F1F, bytes(200))[:4] == H("5F1F81C8")
    assert tlv.encode(0x75, bytes(300))[:4] == H("7582012C")
    item = tlv.parse_one(H("6103") + H("5F1F00"))
    assert item.tag == 0x61 and item.child(0x5F1F).value == b""
    with pytest.raises(tlv.TlvError):
        tlv.parse_one(H("6105") + H("5F1F00"))  # length runs past the data
    with pytest.raises(tlv.TlvError):
        tlv.walk(H("61") * 40)  # nested without end


@given(ANY_BYTES)
def test_any_bytes_walk_as_tlv_or_give_a_tlv_error(raw):
    try:
        assert tlv.walk(raw) <= len(raw)
    except tlv.TlvError:
        pass


def test_ef_com_matches_the_icao_example():
    # ICAO 9303-11 D.4: EF.COM 60 14 5F01 04 "0106" 5F36 06 "040000" 5C 02 61 75
    com = lds.parse_com(H("60145F0104303130365F36063034303030305C026175"))
    assert com == lds.Com("0106", "040000", (1, 2))
    assert lds.build_com((1, 2), lds_version="0106") == H("60145F0104303130365F36063034303030305C026175")


def test_dg1_and_dg11_round_trip():
    permit = make_permit("zhang_weiming")
    dg1 = bytes(permit.chip.files[0x0101].content)
    assert dg1[:5] == H("615D5F1F5A") and lds.parse_dg1(dg1) == permit.mrz
    details = lds.parse_dg11(bytes(permit.chip.files[0x010B].content))
    assert (details.full_name, details.personal_number) == ("张伟明", "110105198503121234")


def test_dg2_carries_the_portrait_jpeg_in_a_19794_5_record():
    photo, width, height = chip_photo("p2")
    dg2 = biometric.build_dg2(photo, width, height, sex="F")
    assert dg2[:1] == H("75") and photo[:3] == H("FFD8FF")
    face = biometric.parse_dg2(dg2)
    assert (face.data, face.mime_type, face.width, face.height) == (photo, "image/jpeg", 288, 360)
    record_at = dg2.index(b"FAC\x00")
    assert dg2[record_at + 4 : record_at + 8] == b"010\x00"


def _parse_any(raw: bytes) -> None:
    for parse in (lds.parse_com, lds.parse_dg1, lds.parse_dg11, biometric.parse_dg2, sod.parse_sod):
        try:
            parse(raw)
        except ProtocolError:
            pass


@given(ANY_BYTES)
def test_any_bytes_give_only_typed_errors_from_every_data_group_parser(raw):
    _parse_any(raw)


@settings(max_examples=150)
@given(st.integers(min_value=0, max_value=850), st.integers(min_value=1, max_value=255))
def test_damaged_real_files_give_only_typed_errors(position, flip):
    permit = make_permit("li_xiuying")
    for fid in (0x011E, 0x0101, 0x010B, 0x011D):
        raw = bytearray(permit.chip.files[fid].content)
        raw[position % len(raw)] ^= flip
        _parse_any(bytes(raw))
        _parse_any(bytes(raw[: position % len(raw)]))


def test_sod_lists_the_hashes_and_its_signature_verifies_to_the_demo_csca():
    groups = {1: b"dg one", 2: b"dg two"}
    security = sod.parse_sod(build_sod(groups))
    security.check_data_group(1, b"dg one")
    with pytest.raises(sod.SodError):
        security.check_data_group(2, b"dg 2wo")
    sod.verify_signature(security)
    assert sod.signer_is_trusted(security, [demo_authority()[0]])
    assert not sod.signer_is_trusted(security, [security.certificate])  # the signer is not a CSCA


def test_a_tampered_sod_fails_its_signature_or_its_digest():
    raw = bytearray(build_sod({1: b"x"}))
    raw[raw.index(b"\x04\x20") + 5] ^= 0x01  # inside the first hash value
    with pytest.raises(sod.SodError):
        sod.verify_signature(sod.parse_sod(bytes(raw)))

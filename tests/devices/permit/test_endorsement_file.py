"""The endorsement file: exact record bytes, parsing with a broken tail, where a write goes, any bytes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.permit.endorsement_file import (
    Endorsement,
    EndorsementFormatError,
    IcaoStyleLayout,
    encode_record,
    signed_payload,
)

H = bytes.fromhex


def endorsement(number: str = "HK1", **changes) -> Endorsement:
    fields = dict(type="G", destination="HK", entries=2, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 3, 31),
                  number=number, authority="出入境", key_id="k1", signature=b"\x01\x02")  # fmt: skip
    fields.update(changes)
    return Endorsement(**fields)


def test_record_bytes_are_the_documented_tlv():
    payload = H("800147" "8102484B" "820102" "8308" + "3230323630313031" + "8408" + "3230323630333331" + "8503484B31")
    payload += H("8609") + "出入境".encode()
    assert signed_payload(endorsement()) == payload
    assert encode_record(endorsement()) == H("71") + bytes([len(payload) + 9]) + payload + H("42026B31" "5F370201 02")


def test_records_parse_back_and_a_cut_record_ends_the_list():
    first, second = encode_record(endorsement("HK1")), encode_record(endorsement("MO2", destination="MO", entries=1))
    content = first + second[: len(second) // 2] + bytes(64)
    layout = IcaoStyleLayout()
    assert [e.number for e in layout.parse(first + second + bytes(10))] == ["HK1", "MO2"]
    assert [e.number for e in layout.parse(content)] == ["HK1"]


def test_a_write_goes_after_the_last_record_and_clears_a_broken_tail():
    first, second = encode_record(endorsement("HK1")), encode_record(endorsement("HK2"))
    broken = first + second[:10] + b"\x5a" * 50 + bytes(200)
    plan = IcaoStyleLayout().plan_write(broken, second)
    assert plan.offset == len(first) and plan.record_length == len(second)
    assert plan.data == second + bytes(max(0, 60 - len(second)))  # zeros up to the end of the old garbage


def test_a_full_file_and_a_bad_record_are_format_errors():
    record = encode_record(endorsement())
    with pytest.raises(EndorsementFormatError):
        IcaoStyleLayout().plan_write(record * 3, record)
    with pytest.raises(EndorsementFormatError):
        IcaoStyleLayout().check_record(record[:-1])
    with pytest.raises(EndorsementFormatError):
        endorsement(type="T")


@given(st.binary(max_size=700))
def test_any_file_content_parses_to_a_list(content):
    assert isinstance(IcaoStyleLayout().parse(content), list)


@given(st.binary(max_size=300))
def test_any_record_bytes_are_a_record_or_a_format_error(record):
    try:
        IcaoStyleLayout().check_record(record)
    except EndorsementFormatError:
        pass

"""The IPP codec: exact request bytes, decoding of real cupsd answers, robustness on any bytes."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.docprinter import ipp
from devices.errors import ProtocolError


def test_encode_request_exact_bytes():
    message = ipp.IppMessage(
        ipp.GET_JOB_ATTRIBUTES,
        7,
        [(ipp.OPERATION_GROUP, {"attributes-charset": ["utf-8"], "job-id": [5], "requested-attributes": ["a", "b"]})],
    )
    encoded = ipp.encode(message, {"attributes-charset": ipp.CHARSET, "job-id": ipp.INTEGER})
    assert encoded == (
        b"\x01\x01\x00\x09\x00\x00\x00\x07"  # version 1.1, Get-Job-Attributes, request 7
        b"\x01"  # operation attributes
        b"\x47\x00\x12attributes-charset\x00\x05utf-8"
        b"\x21\x00\x06job-id\x00\x04\x00\x00\x00\x05"
        b"\x44\x00\x14requested-attributes\x00\x01a"
        b"\x44\x00\x00\x00\x01b"  # an additional value has an empty name
        b"\x03"
    )


def test_document_data_follows_end_of_attributes():
    message = ipp.IppMessage(ipp.PRINT_JOB, 1, [(ipp.OPERATION_GROUP, {})], data=b"%PDF-1.4 body")
    assert ipp.encode(message, {}).endswith(b"\x01\x03%PDF-1.4 body")


def test_round_trip_keeps_values_and_types():
    groups = [
        (ipp.OPERATION_GROUP, {"printer-uri": ["ipp://h/printers/q"], "copies": [2], "flag": [True]}),
        (ipp.JOB_GROUP, {"reasons": ["media-empty-error", "paused"]}),
    ]
    tags = {"printer-uri": ipp.URI, "copies": ipp.INTEGER, "flag": ipp.BOOLEAN}
    decoded = ipp.decode(ipp.encode(ipp.IppMessage(ipp.PRINT_JOB, 3, groups, data=b"doc"), tags))
    assert decoded.code == ipp.PRINT_JOB and decoded.request_id == 3
    assert decoded.groups == groups
    assert decoded.data == b"doc"


def test_decode_real_printer_attributes(capture):
    answer = ipp.decode(capture("printer-media-empty"))
    assert answer.ok
    printer = answer.group(ipp.PRINTER_GROUP)
    assert printer["printer-state"] == [5]
    assert printer["printer-state-reasons"] == ["media-empty-error", "paused"]
    assert printer["printer-is-accepting-jobs"] == [True]
    assert answer.first(ipp.PRINTER_GROUP, "queued-job-count") == 1


def test_decode_real_job_answers(capture):
    assert ipp.decode(capture("print-job-accepted")).first(ipp.JOB_GROUP, "job-id") == 3
    completed = ipp.decode(capture("job-completed")).group(ipp.JOB_GROUP)
    assert completed["job-state"] == [9] and completed["job-impressions-completed"] == [2]
    assert ipp.decode(capture("job-canceled")).first(ipp.JOB_GROUP, "job-state") == 7


def test_decode_real_refusal(capture):
    answer = ipp.decode(capture("print-job-not-accepting"))
    assert not answer.ok and answer.code == 0x0506
    assert "not accepting jobs" in answer.first(ipp.OPERATION_GROUP, "status-message")


def test_collections_are_skipped_without_losing_later_attributes():
    body = struct.pack(">BBHI", 2, 0, 0, 1) + b"\x04"
    body += b"\x34\x00\x03col\x00\x00" + b"\x4a\x00\x00\x00\x01m" + b"\x21\x00\x00\x00\x04\x00\x00\x00\x01"
    body += b"\x37\x00\x00\x00\x00" + b"\x23\x00\x0dprinter-state\x00\x04\x00\x00\x00\x03\x03"
    answer = ipp.decode(body)
    assert answer.group(ipp.PRINTER_GROUP) == {"col": [None], "printer-state": [3]}


@pytest.mark.parametrize(
    "damaged",
    [
        b"\x01\x01\x00",  # shorter than the header
        b"\x01\x01\x00\x00\x00\x00\x00\x01\x01\x21\x00\x03abc\x00\x04\x00",  # truncated value
        b"\x01\x01\x00\x00\x00\x00\x00\x01\x21\x00\x01a\x00\x04\x00\x00\x00\x01\x03",  # no group
        b"\x01\x01\x00\x00\x00\x00\x00\x01\x01\x21\x00\x01a\x00\x02\x00\x01\x03",  # 2-byte integer
        b"\x01\x01\x00\x00\x00\x00\x00\x01\x01",  # no end-of-attributes
    ],
)
def test_malformed_messages_are_protocol_errors(damaged):
    with pytest.raises(ProtocolError):
        ipp.decode(damaged)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=200))
def test_decode_never_raises_anything_but_protocol_error(data):
    try:
        ipp.decode(data)
    except ProtocolError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=40), st.integers(min_value=0, max_value=300))
def test_decode_of_a_damaged_real_answer_is_typed(noise, cut):
    from pathlib import Path

    real = (Path(__file__).parent / "captures" / "printer-media-empty.ipp").read_bytes()
    try:
        ipp.decode(real[:cut] + noise)
    except ProtocolError:
        pass

"""The PermitReader through the real pcscd and the vpcd virtual reader, one test per scenario."""

from __future__ import annotations

import datetime as dt
import logging
import threading

import pytest

from devices.errors import DeviceBusy, DeviceCancelled
from devices.operation import CancelToken
from devices.permit.endorsement_file import Endorsement, encode_record
from devices.permit.errors import AccessDenied, CardRemoved, DamagedData, NoCard, ReaderUnavailable, WriteFailed
from devices.permit.mrz import AccessKey
from devices.permit.sim.card import chip_photo
from devices.status import DeviceState
from tests.devices.permit.conftest import wait_until_absent

TODAY = dt.date.today()


def record(number: str = "HK2026000001", **changes) -> bytes:
    fields = dict(type="G", destination="HK", entries=1, valid_from=TODAY, valid_to=TODAY + dt.timedelta(days=90),
                  number=number, authority="出入境管理局（演示）", key_id="sandbox-1", signature=bytes(range(64)))  # fmt: skip
    fields.update(changes)
    return encode_record(Endorsement(**fields))


def test_reads_every_field_the_photo_and_checks_the_signer(reader, permit_sim):
    permit_sim.present("zhang_weiming")
    document = reader.read_permit(permit_sim.access_key(), timeout=5)
    assert (document.document_number, document.name_latin, document.name_chinese) == ("C60123458", "ZHANG WEIMING", "张伟明")
    assert (document.birth_date, document.expiry_date, document.sex) == (dt.date(1985, 3, 12), dt.date(2033, 6, 15), "M")
    assert document.personal_number == "110105198503121234" and document.endorsements == []
    assert bytes(document.photo) == chip_photo("p1")[0] and document.authenticity == "trusted"
    assert "张伟明" not in repr(document)
    document.wipe()
    assert document.photo == bytearray() and document.name_chinese == ""


def test_existing_endorsements_are_listed(reader, permit_sim):
    permit_sim.present("li_xiuying", "with_endorsements")
    document = reader.read_permit(permit_sim.access_key(), timeout=5)
    assert [(e.type, e.destination, e.entries) for e in document.endorsements] == [("G", "HK", 2), ("L", "MO", 1)]
    assert document.endorsements[0].valid_to > TODAY > document.endorsements[1].valid_to


def test_an_expired_permit_reads_and_says_so(reader, permit_sim):
    permit_sim.present("wang_jianguo", "expired")
    document = reader.read_permit(permit_sim.access_key(), timeout=5)
    assert document.expiry_date == dt.date(2024, 1, 1) and document.is_expired(TODAY)


def test_no_card_is_no_card_within_the_deadline(reader, permit_sim):
    assert permit_sim.present("zhang_weiming", "no_card") is None
    with pytest.raises(NoCard):
        reader.read_permit(AccessKey("C60123458", "850312", "330615"), timeout=0.4)
    assert reader.status.state is DeviceState.ONLINE and reader.status.last_error == "no_card"


@pytest.mark.parametrize("key", [None, AccessKey("C60123458", "850313", "330615")])
def test_a_wrong_access_key_is_access_denied(reader, permit_sim, key):
    permit_sim.present("zhang_weiming", "wrong_access_key" if key is None else "ok")
    with pytest.raises(AccessDenied):
        reader.read_permit(key or permit_sim.access_key(), timeout=5)


@pytest.mark.parametrize("scenario", ["damaged_photo", "damaged_dg11"])
def test_damaged_data_groups_are_damaged_data(reader, permit_sim, scenario):
    permit_sim.present("li_xiuying", scenario)
    with pytest.raises(DamagedData):
        reader.read_permit(permit_sim.access_key(), timeout=5)


def test_removed_mid_read_is_card_removed(reader, permit_sim):
    permit_sim.present("zhang_weiming", "removed_mid_read")
    with pytest.raises(CardRemoved):
        reader.read_permit(permit_sim.access_key(), timeout=5)
    assert permit_sim.pulled.is_set()


def test_write_reads_back_and_a_retry_does_not_duplicate(reader, permit_sim):
    permit_sim.present("zhang_weiming", "with_endorsements")
    reader.read_permit(permit_sim.access_key(), timeout=5)
    after = reader.write_endorsement(record(), timeout=5)
    assert [e.number for e in after] == ["HK2025000123", "MO2023004567", "HK2026000001"]
    assert reader.write_endorsement(record(), timeout=5) == after
    assert permit_sim.permit.endorsement_file().count(record()) == 1


def test_removed_mid_write_then_written_after_the_permit_comes_back(reader, permit_sim):
    permit_sim.present("zhang_weiming", "removed_mid_write")
    reader.read_permit(permit_sim.access_key(), timeout=5)
    with pytest.raises(CardRemoved):
        reader.write_endorsement(record(), timeout=5)
    half_written = permit_sim.permit.endorsement_file()
    assert half_written[:2] == record()[:2] and record() not in half_written
    permit_sim.permit.chip.hooks.before_update = None  # the citizen puts the permit back; it writes fine now
    permit_sim.present("zhang_weiming", permit_sim.permit.scenario)
    after = reader.write_endorsement(record(), timeout=5)  # BAC again with the key kept from the read
    assert [e.number for e in after] == ["HK2026000001"]
    assert permit_sim.permit.endorsement_file().startswith(record())


def test_a_chip_write_failure_is_write_failed(reader, permit_sim):
    permit_sim.present("wang_jianguo", "write_failure")
    reader.read_permit(permit_sim.access_key(), timeout=5)
    with pytest.raises(WriteFailed):
        reader.write_endorsement(record(), timeout=5)


def test_a_write_needs_a_read_first_and_bad_records_touch_nothing(reader, permit_sim):
    permit_sim.present("zhang_weiming")
    with pytest.raises(WriteFailed) as refused:
        reader.write_endorsement(record(), timeout=5)
    assert refused.value.code == "no_session"
    with pytest.raises(Exception) as bad:
        reader.write_endorsement(record()[:-3], timeout=5)
    assert bad.value.code == "endorsement_invalid" and permit_sim.permit.chip.counters["updates"] == 0


def test_card_presence_is_published_on_change_only(make_reader, permit_sim):
    wait_until_absent()  # the previous test's card
    reader = make_reader()
    events: list[str] = []
    present = threading.Event()
    absent = threading.Event()

    def listener(_name, status):
        events.append(status.detail.get("card"))
        (present if status.detail.get("card") == "present" else absent).set()

    reader.subscribe(listener)
    permit_sim.present("zhang_weiming")
    assert present.wait(5)
    absent.clear()
    permit_sim.remove()
    assert absent.wait(5)
    assert events == ["present", "absent"]


def test_cancel_stops_the_wait_for_a_card_and_busy_is_refused(reader):
    cancel = CancelToken()
    errors: list[Exception] = []
    started = threading.Event()

    def wait() -> None:
        started.set()
        try:
            reader.read_permit(AccessKey("C60123458", "850312", "330615"), timeout=10, cancel=cancel)
        except Exception as error:
            errors.append(error)

    worker = threading.Thread(target=wait)
    worker.start()
    started.wait(2)
    for _ in range(200):
        if reader.status.state is DeviceState.BUSY:
            break
        threading.Event().wait(0.01)
    with pytest.raises(DeviceBusy):
        reader.read_permit(AccessKey("C60123458", "850312", "330615"), timeout=1)
    cancel.cancel()
    worker.join(5)
    assert isinstance(errors[0], DeviceCancelled)


def test_an_unknown_reader_is_no_device(make_reader):
    device = make_reader("No Such Reader 00 00")
    assert device.status.state is DeviceState.NO_DEVICE and device.status.last_error == "reader_unavailable"
    with pytest.raises(ReaderUnavailable):
        device.read_permit(AccessKey("C60123458", "850312", "330615"), timeout=0.5)


def test_apdu_logs_hold_no_personal_data(reader, permit_sim, caplog):
    permit_sim.present("zhang_weiming")
    with caplog.at_level(logging.DEBUG):
        reader.read_permit(permit_sim.access_key(), timeout=5)
    text = caplog.text
    assert "APDU 0C B0" in text
    for secret in ("C60123458", "ZHANG", "850312", "110105198503121234"):
        assert secret not in text


def test_extended_length_reads_give_the_same_document(make_reader, permit_sim):
    device = make_reader(max_read=2048)
    permit_sim.present("wang_jianguo")
    document = device.read_permit(permit_sim.access_key(), timeout=5)
    assert bytes(document.photo) == chip_photo("p3")[0]
    assert permit_sim.permit.chip.counters["reads"] < 30

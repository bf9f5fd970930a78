"""The reader driver against the simulator: every scenario, the card-removal rule, pty and TCP links,
unplug and recovery."""

from __future__ import annotations

import threading

import pytest
import serial

from devices.errors import DeviceCancelled, DeviceTimeout, DeviceUnavailable
from devices.idcard.device import IdCardReader
from devices.idcard.errors import CardRemoved, NoCard, SamFault
from devices.idcard.photo import SimulatedPhotoDecoder
from devices.idcard.sim import IdCardSimulator, load_cards, load_scenario
from devices.operation import CancelToken
from devices.sim import registry
from devices.sim.hosts import PtySimulator, TcpSimulator
from devices.status import DeviceState
from devices.transport import Transport, TransportSettings

CARDS = load_cards()


def make_reader(url: str, **options) -> IdCardReader:
    reader = IdCardReader("idcard", Transport(TransportSettings(url=url)), poll_interval=0.01, **options)
    reader.open()
    return reader


def sim_reader(scenario: str) -> tuple[IdCardReader, IdCardSimulator]:
    url = f"sim://idcard?instance=t-{scenario}&scenario={scenario}"
    reader = make_reader(url)
    engine = registry.get_instance(f"t-{scenario}")
    assert isinstance(engine, IdCardSimulator)
    return reader, engine


@pytest.mark.parametrize(
    ("scenario", "card_id"),
    [
        ("resident", "zhang_san"),
        ("permit_j", "chen_hk"),
        ("foreign_i", "smith_i"),
        ("foreign_y", "ivanova_y"),
        ("checksum_errors", "zhang_san"),
        ("damaged_data", "zhang_san"),
        ("noise", "zhang_san"),
        ("dribble", "zhang_san"),
    ],
)
def test_each_scenario_reads_the_right_card(scenario, card_id):
    reader, _ = sim_reader(scenario)
    doc = reader.read_card(timeout=2)
    assert doc.id_number == CARDS[card_id]["fields"]["id_number"]
    assert reader.status.state is DeviceState.ONLINE


def test_damaged_frames_are_counted_and_retried_not_returned():
    reader, engine = sim_reader("checksum_errors")
    reader.read_card(timeout=2)
    assert reader.counters["damaged_frames"] == 2
    assert engine.corrupt_left == 0


def test_a_card_must_be_lifted_and_placed_again_before_the_next_read():
    reader, engine = sim_reader("resident")
    reader.read_card(timeout=1)
    with pytest.raises(NoCard):
        reader.read_card(timeout=0.1)
    engine.lift_and_replace()
    assert reader.read_card(timeout=1).name == "张三"


def test_card_placed_while_waiting_is_read():
    reader, engine = sim_reader("no_card")
    placed = threading.Event()

    def on_status(_name, status):
        if status.state is DeviceState.BUSY and not placed.is_set():
            placed.set()
            engine.place_card("li_xiuying")

    reader.subscribe(on_status)
    assert reader.read_card(timeout=2).name == "李秀英"


def test_card_lifted_mid_read_is_reported_as_removed():
    reader, _ = sim_reader("lifted_mid_read")
    with pytest.raises(CardRemoved):
        reader.read_card(timeout=2)


def test_sam_fault_puts_the_reader_out_of_order():
    reader, _ = sim_reader("sam_fault")
    assert reader.status.state is DeviceState.HARDWARE_ERROR
    with pytest.raises(SamFault):
        reader.read_card(timeout=1)


def test_silent_reader_times_out_and_shows_offline():
    reader, _ = sim_reader("silence")
    assert reader.status.state is DeviceState.OFFLINE
    with pytest.raises(DeviceTimeout):
        reader.read_card(timeout=0.3)


def test_cancel_stops_waiting_for_a_card():
    reader, _ = sim_reader("no_card")
    token = CancelToken()
    reader.subscribe(lambda _n, s: token.cancel() if s.state is DeviceState.BUSY else None)
    with pytest.raises(DeviceCancelled):
        reader.read_card(timeout=30, cancel=token)


def test_unplug_marks_offline_and_reopen_recovers_without_restart():
    reader, engine = sim_reader("resident")
    states = []
    reader.subscribe(lambda _n, s: states.append(s.state))
    engine.unplug()
    with pytest.raises(DeviceUnavailable):
        reader.read_card(timeout=1)
    assert reader.status.state is DeviceState.OFFLINE
    with pytest.raises(DeviceUnavailable):  # still unplugged: the reopen fails and backs off
        reader.read_card(timeout=1)
    engine.plug()
    reader._reconnector.reset_backoff()
    assert reader.read_card(timeout=1).name == "张三"
    assert reader.status.state is DeviceState.ONLINE
    assert reader.counters["reconnects"] == 1
    assert DeviceState.OFFLINE in states and states[-1] is DeviceState.ONLINE


def test_status_events_are_published_only_on_change():
    reader, engine = sim_reader("resident")
    events = []
    reader.subscribe(lambda _n, s: events.append(s.state))
    reader.read_card(timeout=1)
    engine.lift_and_replace()
    reader.read_card(timeout=1)
    assert events == [DeviceState.BUSY, DeviceState.ONLINE, DeviceState.BUSY, DeviceState.ONLINE]


def test_sam_id_and_fingerprint_read():
    reader, _ = sim_reader("resident")
    assert reader.sam_id().startswith("05.01-")
    doc = reader.read_card(timeout=1, with_fingerprint=True)
    assert doc.fingerprint is not None and len(doc.fingerprint) == 1024


def test_simulated_photo_decodes_to_the_portrait(tmp_path):
    (tmp_path / "p1.jpg").write_bytes(b"\xff\xd8portrait")
    reader = make_reader("sim://idcard?instance=photo&scenario=resident", photo_decoder=SimulatedPhotoDecoder(tmp_path))
    doc = reader.read_card(timeout=1)
    assert reader.decode_photo(doc) == b"\xff\xd8portrait"


def test_read_through_a_real_pty():
    with PtySimulator(IdCardSimulator(load_scenario("foreign_i"))) as host:
        reader = IdCardReader("idcard", Transport(TransportSettings(url=host.port_path)))
        reader.open()
        try:
            assert reader.read_card(timeout=3).english_name == "SMITH, JOHN ROBERT"
        finally:
            reader.close()


def test_read_over_tcp_with_dribbled_bytes():
    with TcpSimulator(IdCardSimulator(load_scenario("dribble"))) as server:
        reader = make_reader(server.url)
        try:
            assert reader.read_card(timeout=3).name == "张三"
        finally:
            reader.close()


def test_missing_port_is_no_device():
    reader = IdCardReader("idcard", Transport(TransportSettings(url="/dev/does-not-exist")))
    reader.open()
    assert reader.status.state is DeviceState.NO_DEVICE


def test_simulator_url_without_kind_is_refused():
    with pytest.raises(serial.SerialException):
        serial.serial_for_url("sim://", timeout=0)


@pytest.mark.hardware
def test_real_reader(device_url):
    reader = make_reader(device_url)
    print(reader.read_card(timeout=15).card_type)

from __future__ import annotations

from devices.registry import DeviceSettings, build_device
from devices.sim import registry
from devices.status import DeviceState
from kiosk.monitor import DeviceMonitor


def test_refresh_notices_paper_out_and_a_silent_reader():
    printer = build_device(DeviceSettings("receipt", "receipt_printer", "sim://receipt?instance=m-r&scenario=ok"))
    reader = build_device(DeviceSettings("idcard", "idcard", "sim://idcard?instance=m-i&scenario=resident"))
    for device in (printer, reader):
        device.open()
    assert printer.status.state is DeviceState.ONLINE and reader.status.state is DeviceState.ONLINE
    registry.get_instance("m-r").set_paper("out")
    registry.get_instance("m-i").apply_scenario({"card": None, "silent": True})
    DeviceMonitor({"receipt_printer": printer, "idcard": reader}).refresh_all()
    assert printer.status.state is DeviceState.USER_ERROR and printer.status.detail["paper"] == "out"
    assert reader.status.state is DeviceState.OFFLINE

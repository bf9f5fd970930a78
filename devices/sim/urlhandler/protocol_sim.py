"""pyserial handler for sim://KIND?... URLs: a serial port whose far end is an in-process simulator."""

from __future__ import annotations

import time

import serial
from serial.serialutil import PortNotOpenError, SerialBase, SerialException

from devices.sim import registry
from devices.sim.engine import SimulatorEngine


class Serial(SerialBase):
    """A SerialBase over a SimulatorEngine; unplugging the engine raises SerialException like a lost USB port."""

    def open(self) -> None:
        if self._port is None:
            raise SerialException("Port must be configured before it can be used.")
        if self.is_open:
            raise SerialException("Port is already open.")
        try:
            self._engine: SimulatorEngine = registry.instance_for_url(self.portstr)
        except ValueError as error:
            raise SerialException(str(error)) from error
        if not self._engine.plugged:
            raise SerialException(f"could not open port {self.portstr}: no such device")
        self.is_open = True

    def _reconfigure_port(self) -> None:
        """Baud rate and framing mean nothing to an in-process simulator."""

    def close(self) -> None:
        self.is_open = False

    def from_url(self, url: str) -> str:
        registry.parse_sim_url(url)
        return url

    def _engine_or_fail(self) -> SimulatorEngine:
        if not self.is_open:
            raise PortNotOpenError()
        if not self._engine.plugged:
            self.is_open = False
            raise SerialException("device reports readiness to read but returned no data (device disconnected?)")
        return self._engine

    @property
    def in_waiting(self) -> int:
        return self._engine_or_fail().pending_output()

    def read(self, size: int = 1) -> bytes:
        engine = self._engine_or_fail()
        data = bytearray()
        deadline = None if self._timeout is None else time.monotonic() + self._timeout
        while len(data) < size:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                chunk = engine.read_to_host(size - len(data), remaining)
            except ConnectionError as error:
                self.is_open = False
                raise SerialException(str(error)) from error
            if not chunk:
                break
            data.extend(chunk)
            # Like a real port with a timeout: return what arrived once nothing more is queued.
            if engine.pending_output() == 0:
                break
        return bytes(data)

    def write(self, data: bytes) -> int:
        engine = self._engine_or_fail()
        try:
            engine.write_from_host(bytes(data))
        except ConnectionError as error:
            self.is_open = False
            raise SerialException(str(error)) from error
        return len(data)

    def reset_input_buffer(self) -> None:
        self._engine_or_fail().discard_output()

    def reset_output_buffer(self) -> None:
        """Nothing is buffered on the way to the simulator."""

    def _update_break_state(self) -> None:
        pass

    def _update_rts_state(self) -> None:
        pass

    def _update_dtr_state(self) -> None:
        pass

    @property
    def cts(self) -> bool:
        return True

    @property
    def dsr(self) -> bool:
        return True

    @property
    def ri(self) -> bool:
        return False

    @property
    def cd(self) -> bool:
        return True


__all__ = ["Serial", "serial"]

"""The Camera device: frames from a FrameSource with the common status model.

Like SerialDevice it owns a StatusPublisher, runs one operation at a time with a deadline and cancellation,
marks an unplugged camera offline/no_device and reopens it with back-off. It is not a byte device: its
"transport" is a FrameSource (OpenCV V4L2 or the simulator). Frames stay in memory; nothing is written.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from devices.camera.sim import SimFrameSource
from devices.camera.source import FrameSource, OpenCvFrameSource
from devices.camera.url import parse_camera_url
from devices.device import StatusOwner
from devices.errors import DeviceBusy, DeviceError, DeviceTimeout, DeviceUnavailable
from devices.operation import CancelToken, Deadline
from devices.status import DeviceState
from devices.transport import Reconnector

LOST_FRAMES = "lost_frames"

# Only sizes, timings and states are logged here: never pixels.
log = logging.getLogger(__name__)


class Camera(StatusOwner):
    """A camera by URL: capture() one BGR frame, frames() for a live preview."""

    kind = "camera"

    def __init__(
        self,
        name: str,
        source: FrameSource,
        *,
        reconnector: Reconnector | None = None,
        probe_timeout_s: float = 2.0,
    ) -> None:
        self.name = name
        self.source = source
        # Reconnector only needs is_open, open() and settings.url, which every FrameSource has.
        self._reconnector = reconnector or Reconnector(source)  # type: ignore[arg-type]
        self._probe_timeout_s = probe_timeout_s
        self._init_status(name)
        self._lock = threading.Lock()
        self.counters: dict[str, int] = {"operations": 0, "errors": 0, "reconnects": 0, "lost_frames": 0}

    @classmethod
    def from_settings(cls, name: str, url: str, options: Mapping[str, Any] | None = None) -> Camera:
        """Build (not open) a camera from configuration: URL plus width/height/fps/read_timeout_ms."""
        opts = dict(options or {})
        parsed = parse_camera_url(url, opts)
        if parsed.is_simulated:
            source: FrameSource = SimFrameSource(parsed)
        else:
            source = OpenCvFrameSource(parsed, read_timeout_ms=int(opts.get("read_timeout_ms", 1000)))
        return cls(name, source, probe_timeout_s=float(opts.get("probe_timeout_s", 2.0)))

    def capabilities(self) -> dict[str, Any]:
        mode = self.source.actual_mode()
        return {
            "url": self.source.settings.url,
            "width": mode.width,
            "height": mode.height,
            "fps": mode.fps,
            "simulated": isinstance(self.source, SimFrameSource),
        }

    # -- lifecycle -------------------------------------------------------------------------------
    def open(self) -> None:
        """Open and probe; a missing camera shows as no_device in the status, never as an exception.

        A camera in use (a preview is running) is already open: nothing to do.
        """
        if not self._lock.acquire(blocking=False):
            return
        try:
            self._open_and_probe()
        finally:
            self._lock.release()

    def _open_and_probe(self) -> None:
        try:
            self._reconnector.ensure_open()
            self._probe()
        except DeviceUnavailable as error:
            self._set_state(DeviceState.NO_DEVICE, error=error.code)
        except DeviceError as error:
            self._set_state(DeviceState.HARDWARE_ERROR, error=error.code)

    def _probe(self) -> None:
        """A camera is well when a frame arrives; the frame itself is discarded."""
        self._next_frame(Deadline(self._probe_timeout_s), None)
        mode = self.source.actual_mode()
        self._set_state(DeviceState.ONLINE, resolution=f"{mode.width}x{mode.height}")

    def close(self) -> None:
        self.source.wipe()
        self.source.close()
        self._set_state(DeviceState.OFFLINE)

    def reconnect_now(self) -> None:
        """A technician pressed 'reconnect': reopen at once, ignoring the back-off."""
        if not self._lock.acquire(blocking=False):
            raise DeviceBusy(f"{self.name} is busy")
        try:
            self._reconnector.reset_backoff()
            self.source.close()
            self._open_and_probe()
        finally:
            self._lock.release()

    def __enter__(self) -> Camera:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def wipe(self) -> None:
        """Zero the frame buffer the source reuses (the last picture of the citizen)."""
        self.source.wipe()

    # -- operations ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _operation(self, timeout: float, cancel: CancelToken | None) -> Iterator[Deadline]:
        if not self._lock.acquire(blocking=False):
            raise DeviceBusy(f"{self.name} is busy")
        try:
            if cancel is not None:
                cancel.raise_if_cancelled()
            self._ensure_open()
            self.counters["operations"] += 1
            self._status.update(DeviceState.BUSY)
            try:
                yield Deadline(timeout)
            except DeviceUnavailable as error:
                self.counters["errors"] += 1
                self._set_state(DeviceState.OFFLINE, error=error.code)
                raise
            except DeviceError as error:
                self.counters["errors"] += 1
                state = DeviceState.HARDWARE_ERROR if error.code == LOST_FRAMES else self._idle_state
                self._set_state(state, error=error.code)
                raise
            except BaseException:  # e.g. GeneratorExit when a preview loop is left: not busy any more
                self._status.update(self._idle_state)
                raise
            else:
                self._status.update(self._idle_state)
        finally:
            self._lock.release()

    def _ensure_open(self) -> None:
        was_open = self.source.is_open
        try:
            self._reconnector.ensure_open()
        except DeviceUnavailable as error:
            self._set_state(DeviceState.NO_DEVICE, error=error.code)
            raise
        if not was_open:
            self.counters["reconnects"] += 1
            self._idle_state = DeviceState.ONLINE

    def _next_frame(self, deadline: Deadline, cancel: CancelToken | None) -> np.ndarray:
        """The next frame from the source; lost frames until the deadline end in DeviceTimeout(lost_frames)."""
        while True:
            frame = self.source.read(deadline, cancel)
            if frame is not None:
                if self._idle_state is DeviceState.HARDWARE_ERROR:
                    self._idle_state = DeviceState.ONLINE  # frames flow again
                return frame
            self.counters["lost_frames"] += 1
            if deadline.expired:
                raise DeviceTimeout(
                    f"{self.name}: no frame within {deadline.seconds:g} s (camera stalled)", code=LOST_FRAMES
                )

    def capture(self, timeout: float = 5.0, cancel: CancelToken | None = None) -> np.ndarray:
        """One BGR frame (height x width x 3, uint8), owned by the caller. Raises a DeviceError."""
        started = time.monotonic()
        with self._operation(timeout, cancel) as deadline:
            frame = self._next_frame(deadline, cancel).copy()
        elapsed_ms = (time.monotonic() - started) * 1000
        log.debug("camera %s: captured %dx%d in %.1f ms", self.name, frame.shape[1], frame.shape[0], elapsed_ms)
        return frame

    def frames(
        self, frame_timeout: float = 2.0, cancel: CancelToken | None = None, limit: int | None = None
    ) -> Iterator[np.ndarray]:
        """Live preview: BGR frames until cancelled, `limit` frames were given or the consumer stops.

        The camera stays busy while the iterator is open; close it (or leave the for loop) to free it.
        Each frame has `frame_timeout` seconds to arrive.
        """
        with self._operation(frame_timeout, cancel):
            count = 0
            while limit is None or count < limit:
                if cancel is not None and cancel.cancelled:
                    return
                yield self._next_frame(Deadline(frame_timeout), cancel).copy()
                count += 1

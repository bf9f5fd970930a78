"""Frame sources: where a Camera's frames come from (a V4L2 camera through OpenCV, or the simulator).

A source is the camera's "transport": it opens, hands out BGR frames and closes; it raises DeviceUnavailable
when the camera is gone (unplugged) and returns None for a frame that did not arrive (a lost frame). Frames
are reused buffers owned by the source; the Camera copies what it hands out.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import numpy as np

from devices.camera.url import CameraUrl, CaptureMode
from devices.errors import DeviceUnavailable
from devices.operation import CancelToken, Deadline

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceSettings:
    """What devices.transport.Reconnector needs to name the source in its messages."""

    url: str


class FrameSource(Protocol):
    settings: SourceSettings

    @property
    def is_open(self) -> bool: ...

    def open(self) -> None: ...

    def close(self) -> None: ...

    def read(self, deadline: Deadline, cancel: CancelToken | None = None) -> np.ndarray | None: ...

    def actual_mode(self) -> CaptureMode: ...

    def wipe(self) -> None: ...


# Builds a cv2.VideoCapture-like object for a node path or index (tests pass a fake).
CaptureFactory = Callable[[str | int], Any]


def _open_v4l2(target: str | int) -> Any:
    return cv2.VideoCapture(target, cv2.CAP_V4L2)


class OpenCvFrameSource:
    """A V4L2 camera read through OpenCV. Stable by-id/by-path names are resolved at every open."""

    def __init__(
        self,
        url: CameraUrl,
        *,
        capture_factory: CaptureFactory | None = None,
        read_timeout_ms: int = 1000,
    ) -> None:
        if url.is_simulated:
            raise ValueError("OpenCvFrameSource needs a v4l2 URL")
        self.url = url
        self.settings = SourceSettings(url=url.path if url.path is not None else f"v4l2://{url.index}")
        self._factory = capture_factory or _open_v4l2
        self._read_timeout_ms = read_timeout_ms
        self._capture: Any = None
        self._node: str | None = None
        self._buffer: np.ndarray | None = None

    @property
    def is_open(self) -> bool:
        return self._capture is not None

    def _target(self) -> str | int:
        if self.url.index is not None:
            return self.url.index
        path = self.url.path or ""
        if not os.path.exists(path):
            raise DeviceUnavailable(f"camera {path} is not present")
        return os.path.realpath(path)

    def open(self) -> None:
        if self.is_open:
            return
        target = self._target()
        capture = self._factory(target)
        if capture is None or not capture.isOpened():
            if capture is not None:
                capture.release()
            raise DeviceUnavailable(f"cannot open camera {self.settings.url}")
        mode = self.url.mode
        for prop, value in (
            (cv2.CAP_PROP_FRAME_WIDTH, mode.width),
            (cv2.CAP_PROP_FRAME_HEIGHT, mode.height),
            (cv2.CAP_PROP_FPS, mode.fps),
            (cv2.CAP_PROP_BUFFERSIZE, 1),  # the freshest frame, not one queued seconds ago
            (cv2.CAP_PROP_READ_TIMEOUT_MSEC, self._read_timeout_ms),
        ):
            capture.set(prop, value)  # a driver may refuse a property; actual_mode() tells what it chose
        self._capture = capture
        self._node = target if isinstance(target, str) else f"/dev/video{target}"
        log.debug("opened camera %s", self.settings.url)

    def close(self) -> None:
        capture, self._capture = self._capture, None
        if capture is not None:
            capture.release()
            log.debug("closed camera %s", self.settings.url)

    def read(self, deadline: Deadline, cancel: CancelToken | None = None) -> np.ndarray | None:
        if self._capture is None:
            raise DeviceUnavailable(f"camera {self.settings.url} is not open")
        if cancel is not None:
            cancel.raise_if_cancelled()
        ok, frame = self._capture.read(self._buffer)
        if ok and frame is not None:
            self._buffer = frame
            return frame
        if self._node_gone():
            self.close()
            raise DeviceUnavailable(f"camera {self.settings.url} was unplugged")
        return None

    def _node_gone(self) -> bool:
        """A failed read with the device node gone is an unplug; with the node present, a lost frame."""
        return self._node is not None and os.path.isdir("/dev") and not os.path.exists(self._node)

    def actual_mode(self) -> CaptureMode:
        if self._capture is None:
            return self.url.mode
        width = int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH)) or self.url.mode.width
        height = int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT)) or self.url.mode.height
        fps = float(self._capture.get(cv2.CAP_PROP_FPS)) or self.url.mode.fps
        return CaptureMode(width, height, fps)

    def wipe(self) -> None:
        if self._buffer is not None:
            self._buffer.fill(0)

"""Camera URLs, parsed as pure functions.

Accepted forms:
- ``v4l2:///dev/video0`` or a bare ``/dev/video0`` (a V4L2 device node),
- ``v4l2:///dev/v4l/by-id/usb-...-video-index0`` and ``/dev/v4l/by-path/...`` (stable names that survive
  re-enumeration after an unplug; resolved to the real node at every open),
- ``v4l2://0`` or a bare ``0`` (an index, as OpenCV numbers cameras),
- ``simcam://NAME?scenario=face&portrait=p1`` (the in-process simulator named NAME).

Query parameters ``width``, ``height`` and ``fps`` choose the capture mode on any form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

DEFAULT_WIDTH = 640
DEFAULT_HEIGHT = 480
DEFAULT_FPS = 30.0


@dataclass(frozen=True)
class CaptureMode:
    """Requested resolution and frame rate; a real camera may pick the nearest mode it supports."""

    width: int = DEFAULT_WIDTH
    height: int = DEFAULT_HEIGHT
    fps: float = DEFAULT_FPS

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0 or self.fps <= 0:
            raise ValueError(f"capture mode must be positive, got {self.width}x{self.height}@{self.fps:g}")


@dataclass(frozen=True)
class CameraUrl:
    """A parsed camera URL: a V4L2 node path or index, or a simulator name with its parameters."""

    scheme: str  # "v4l2" or "simcam"
    path: str | None = None  # /dev/video0, /dev/v4l/by-id/...
    index: int | None = None  # OpenCV camera index
    sim_name: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    mode: CaptureMode = CaptureMode()

    @property
    def is_simulated(self) -> bool:
        return self.scheme == "simcam"


def parse_camera_url(url: str, options: Mapping[str, Any] | None = None) -> CameraUrl:
    """Parse a camera URL; `options` (from configuration) supply width/height/fps the URL leaves out."""
    text = url.strip()
    if not text:
        raise ValueError("empty camera URL")
    if text.isdigit() or text.startswith("/"):
        text = f"v4l2://{text}"  # bare index or node path
    parts = urlsplit(text)
    params = dict(parse_qsl(parts.query))
    mode = _capture_mode(params, options or {})
    if parts.scheme == "simcam":
        if not parts.netloc:
            raise ValueError(f"simulator URL needs a name: {url!r} (expected simcam://NAME?...)")
        return CameraUrl("simcam", sim_name=parts.netloc, params=params, mode=mode)
    if parts.scheme != "v4l2":
        raise ValueError(f"unsupported camera URL {url!r}; use v4l2:///dev/videoN, v4l2://N or simcam://NAME")
    if parts.netloc and not parts.path:
        if not parts.netloc.isdigit():
            raise ValueError(f"camera index must be a number: {url!r}")
        return CameraUrl("v4l2", index=int(parts.netloc), params=params, mode=mode)
    if parts.netloc or not parts.path.startswith("/dev/"):
        raise ValueError(f"V4L2 camera URL must name a /dev node: {url!r}")
    return CameraUrl("v4l2", path=parts.path, params=params, mode=mode)


def _capture_mode(params: Mapping[str, str], options: Mapping[str, Any]) -> CaptureMode:
    def pick(key: str, default: float) -> float:
        raw = params.get(key, options.get(key, default))
        try:
            return float(raw)
        except (TypeError, ValueError):
            raise ValueError(f"camera option {key}={raw!r} is not a number") from None

    return CaptureMode(
        width=int(pick("width", DEFAULT_WIDTH)),
        height=int(pick("height", DEFAULT_HEIGHT)),
        fps=pick("fps", DEFAULT_FPS),
    )

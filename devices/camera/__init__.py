"""The camera: frames by URL (V4L2 through OpenCV, or the simulator) with the common status model."""

from devices.camera.device import Camera
from devices.camera.url import CameraUrl, CaptureMode, parse_camera_url

__all__ = ["Camera", "CameraUrl", "CaptureMode", "parse_camera_url"]

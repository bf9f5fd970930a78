"""Serial port discovery for technicians: what is plugged in, by VID:PID, serial number and stable by-id path.

A configured URL should name a port by something that survives re-enumeration (/dev/serial/by-id/... or
hwgrep://VID:PID); this lists those names for each port and which configured device already uses it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BY_ID_DIR = Path("/dev/serial/by-id")
BY_PATH_DIR = Path("/dev/serial/by-path")


@dataclass(frozen=True)
class PortInfo:
    device: str
    description: str = ""
    hwid: str = ""
    vid_pid: str | None = None  # "1A86:7523"
    serial_number: str | None = None
    manufacturer: str | None = None
    product: str | None = None
    location: str | None = None
    by_id: list[str] = field(default_factory=list)
    by_path: list[str] = field(default_factory=list)
    suggested_url: str = ""
    used_by: list[str] = field(default_factory=list)  # configured device names whose URL names this port

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _links_to(directory: Path, device: str) -> list[str]:
    """Symlinks in `directory` that resolve to `device`."""
    if not directory.is_dir():
        return []
    target = os.path.realpath(device)
    return sorted(str(link) for link in directory.iterdir() if os.path.realpath(link) == target)


def _default_comports() -> Iterable[Any]:
    from serial.tools import list_ports

    return list_ports.comports()


def _used_by(port: PortInfo, configured: Mapping[str, str]) -> list[str]:
    names = {port.device, *port.by_id, *port.by_path}
    users = []
    for device_name, url in configured.items():
        if any(url == name or url.endswith(name) for name in names):
            users.append(device_name)
        elif port.vid_pid and url.lower().startswith("hwgrep://") and port.vid_pid.lower() in url.lower():
            users.append(device_name)
    return users


def discover_ports(
    configured: Mapping[str, str] | None = None,
    *,
    comports: Callable[[], Iterable[Any]] = _default_comports,
    by_id_dir: Path = BY_ID_DIR,
    by_path_dir: Path = BY_PATH_DIR,
) -> list[PortInfo]:
    """Every serial port pyserial sees, with stable names; `configured` maps device name -> URL."""
    ports = []
    for raw in comports():
        vid, pid = getattr(raw, "vid", None), getattr(raw, "pid", None)
        vid_pid = f"{vid:04X}:{pid:04X}" if vid is not None and pid is not None else None
        by_id = _links_to(by_id_dir, raw.device)
        by_path = _links_to(by_path_dir, raw.device)
        suggested = by_id[0] if by_id else f"hwgrep://{vid_pid}" if vid_pid else raw.device
        port = PortInfo(
            device=raw.device,
            description=getattr(raw, "description", "") or "",
            hwid=getattr(raw, "hwid", "") or "",
            vid_pid=vid_pid,
            serial_number=getattr(raw, "serial_number", None),
            manufacturer=getattr(raw, "manufacturer", None),
            product=getattr(raw, "product", None),
            location=getattr(raw, "location", None),
            by_id=by_id,
            by_path=by_path,
            suggested_url=suggested,
        )
        ports.append(PortInfo(**{**port.__dict__, "used_by": _used_by(port, configured or {})}))
    return sorted(ports, key=lambda p: p.device)

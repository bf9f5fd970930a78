"""Shared by the technician core, CLI and screen tests: a simulated kiosk home and a hand-driven clock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import DeviceConfig, KioskConfig, document_payload
from kiosk.home import KioskHome
from kiosk.trust import CONFIG_TYPE, apply_config, make_signed, provision_trust_root, sign

PIN = "246810"
FAST_SCRYPT_N = 2**10  # tests hash many PINs; production uses auth.SCRYPT_N


class FakeClock:
    """Wall-clock seconds that move only when a test says so."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def sim_devices(
    *,
    idcard: str = "no_card",
    a4: str = "ok",
    card: str = "ok",
    camera: str = "face",
    receipt: bool = False,
) -> dict[str, DeviceConfig]:
    """Simulated devices with unique instance names (simulators are shared by name within a process)."""
    tag = uuid.uuid4().hex[:8]
    devices = {
        "idcard": DeviceConfig(kind="idcard", url=f"sim://idcard?instance=id-{tag}&scenario={idcard}"),
        "a4": DeviceConfig(kind="document_printer", url=f"spool://a4-{tag}?scenario={a4}"),
        "card": DeviceConfig(kind="card_printer", url=f"sim://cardprinter?instance=card-{tag}&scenario={card}"),
        "camera": DeviceConfig(kind="camera", url=f"simcam://cam-{tag}?scenario={camera}&pace=0"),
    }
    if receipt:
        devices["receipt"] = DeviceConfig(kind="receipt_printer", url=f"sim://receipt?instance=rc-{tag}")
    return devices


KIOSK_ID = "test-kiosk-7"


def write_config(root: Path, devices: dict[str, DeviceConfig] | None = None) -> KioskHome:
    """A provisioned kiosk home under `root` running a signed configuration that names the given (simulated)
    devices: what `kiosk run` and `kiosk diag` accept (an unsigned file would be refused)."""
    home = KioskHome(root).ensure()
    key = Ed25519PrivateKey.generate()
    provision_trust_root(home, KIOSK_ID, [key.public_key()], 1)
    config = KioskConfig(devices=devices if devices is not None else sim_devices())
    signed = make_signed(CONFIG_TYPE, document_payload(config), version=1,
                         expires=datetime.now(UTC) + timedelta(days=30), kiosk_ids=[KIOSK_ID])  # fmt: skip
    apply_config(home, sign(signed, [key]))
    return home

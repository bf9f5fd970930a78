"""A real sandbox backend on loopback, a kiosk runtime with every device simulated, and live faces."""

from __future__ import annotations

import pytest

from devices.camera.scenes import compose_shipped
from devices.sim import registry as sim_registry
from kiosk.config import BackendConfig, DeviceConfig, KioskConfig
from kiosk.demo import DEMO_PORTRAITS, prepare_registry_photos
from kiosk.home import KioskHome
from kiosk.runtime import KioskRuntime
from server.sandbox.runner import start_in_thread
from server.sandbox.settings import DEMO_KIOSK_ID, DEMO_KIOSK_KEY, SandboxSettings
from server.sandbox.testing import TEST_ADMIN_TOKEN


@pytest.fixture
def sandbox(tmp_path):
    photos = prepare_registry_photos(tmp_path / "registry-photos")
    settings = SandboxSettings(db_url=f"sqlite:///{tmp_path / 'sandbox.sqlite3'}", photo_dir=photos,
                               admin_token=TEST_ADMIN_TOKEN)  # fmt: skip
    server = start_in_thread(settings)
    yield server
    server.stop()


def kiosk_config(base_url: str, **device_overrides: str) -> KioskConfig:
    urls = {
        "idcard": ("idcard", "sim://idcard?instance=t-idcard&scenario=no_card"),
        "receipt": ("receipt_printer", "sim://receipt?instance=t-receipt&scenario=ok"),
        "a4": ("document_printer", "spool://t-a4"),
        "card": ("card_printer", "sim://cardprinter?instance=t-card&scenario=ok"),
        "camera": ("camera", "simcam://t-camera?scenario=live&pace=0&cycle=0"),
    }
    optional = {"permit": "permit_reader", "permit_printer": "rewritable_printer"}  # only when asked for
    urls.update({name: (kind, device_overrides[name]) for name, kind in optional.items() if name in device_overrides})
    devices = {
        name: DeviceConfig(kind=kind, url=device_overrides.get(name, url)) for name, (kind, url) in urls.items()
    }
    return KioskConfig(
        kiosk_id=DEMO_KIOSK_ID,
        devices=devices,
        backend=BackendConfig(url=base_url, kiosk_key=DEMO_KIOSK_KEY, retries=1, read_timeout_s=5),
    )


@pytest.fixture
def make_runtime(tmp_path, sandbox):
    opened: list[KioskRuntime] = []

    def make(**device_overrides: str) -> KioskRuntime:
        runtime = KioskRuntime(KioskHome(tmp_path / "home"), kiosk_config(sandbox.base_url, **device_overrides))
        opened.append(runtime.open())
        return runtime

    yield make
    for runtime in opened:
        runtime.close()


@pytest.fixture
def runtime(make_runtime):
    return make_runtime()


def live_face(id_number: str, seed: int = 0):
    """One still picture of this citizen as the camera sees them (640x480 BGR)."""
    del seed  # the simulator's scene is deterministic
    return compose_shipped("face", DEMO_PORTRAITS[id_number])


def face_check(runtime, flow, id_number: str | None, scenario: str = "live", max_frames: int = 600):
    """The citizen (or an attack) in front of the simulated camera while the flow runs its face step: preview
    frames are streamed in as the screen does, at the simulator's scene time (no sleeping), and the person does
    what the screen asks (an attack cannot), until the step is left or the comparison asks for another try.
    Returns the last view."""
    from devices.camera.sim import get_simulator
    from kiosk.flows.base import StepKind

    camera = get_simulator("t-camera")
    camera.present(DEMO_PORTRAITS.get(id_number, "p4") if id_number else "p4", scenario)
    view, asked = flow.view(), None
    for _ in range(max_frames):
        challenge = view.data.get("challenge")
        if challenge and challenge != asked:
            camera.act(challenge)  # a live person follows the prompt; a photo or a screen ignores it
            asked = challenge
        frame = runtime.camera_frame()
        view = flow.handle("capture_face", frame=frame, t=camera.scene_time)
        if view.step is not StepKind.CAPTURE_FACE or view.data.get("guidance_key") == "guidance.no_match_retry":
            return view
    raise AssertionError(f"the face step did not end within {max_frames} frames: {view.data}")


def pay(sandbox, runtime) -> None:
    """The citizen scans the QR code and pays (the sandbox's simulated payer)."""
    import requests

    view = runtime._flow.view()  # the current payment step
    order_id = runtime._flow.payment_order_id
    assert view.step == "pay" and order_id
    response = requests.post(f"{sandbox.base_url}/api/v1/sandbox/payments/{order_id}/pay", timeout=10)
    assert response.status_code == 200, response.text


def spool(name: str = "t-a4"):
    from devices.docprinter.spool import get_spool

    return get_spool(name)


def sim(name: str):
    return sim_registry.get_instance(name)

"""The demo environment, without Qt: the sandbox backend on loopback (SQLite under the data home), every
device simulated, the kiosk runtime, and the actions of the simulator control window (a citizen puts a card
on the reader, stands before the camera, pays on the phone; paper runs out, a cover opens, a cable is pulled).

ui/demo.py puts windows on top of this; tests drive it directly."""

from __future__ import annotations

import atexit
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from devices.camera.sim import get_simulator
from devices.docprinter.spool import get_spool
from devices.sim import registry as sim_registry
from kiosk.config import BackendConfig, KioskConfig, UiConfig, default_config
from kiosk.home import KioskHome
from kiosk.runtime import KioskRuntime
from server.sandbox.demo_data import CITIZENS, LI, WANG, ZHANG
from server.sandbox.runner import RunningSandbox, start_in_thread
from server.sandbox.settings import (
    DEFAULT_PHOTO_DIR,
    DEMO_KIOSK_ID,
    DEMO_KIOSK_KEY,
    SandboxSettings,
    write_admin_token_file,
)

log = logging.getLogger(__name__)

# Demo citizens and the camera simulator's portrait of the same person as their registry photo, so that
# "present this citizen's face" matches at the backend (server/sandbox/portraits.py has them all).
DEMO_PORTRAITS = {ZHANG: "p1", LI: "p2", WANG: "p3"}
DEMO_CITIZENS = {citizen.id_number: citizen for citizen in CITIZENS if citizen.id_number in DEMO_PORTRAITS}


def prepare_registry_photos(target: Path) -> Path:
    """A copy of the sandbox's registry photos (real photographs: not the camera's own pictures, so a match
    means the face engine recognised the person, not the same file)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(DEFAULT_PHOTO_DIR, target)
    return target


def demo_card(id_number: str) -> dict[str, Any]:
    """A resident ID card for a demo citizen, in the card simulator's data format."""
    citizen = DEMO_CITIZENS[id_number]
    nation = {"汉": "01", "回": "03", "壮": "08", "满": "11"}.get(citizen.ethnicity, "01")
    return {"card_type": "resident", "portrait": DEMO_PORTRAITS[id_number], "fingerprint": False, "fields": {
        "name": citizen.name, "sex": "1" if citizen.sex == "男" else "2", "nation": nation,
        "birth_date": id_number[6:14], "address": citizen.address, "id_number": id_number,
        "authority": "演示市公安局", "valid_from": "20200101", "valid_to": "20400101",
    }}  # fmt: skip


# The demo permits of the permit simulator, by the holder's ID number.
DEMO_PERMITS = {ZHANG: "zhang_weiming", LI: "li_xiuying", WANG: "wang_jianguo"}


_process_pcscd: list[Any] = []  # libpcsclite reads its socket once per process: one pcscd for all demos


def start_permit_stack() -> None:
    """A private pcscd with the virtual reader (one per process, stopped at exit), and the simulated permit
    connected to it. Without pcscd or vsmartcard-vpcd the endorsement service shows as unavailable."""
    from devices.permit.sim import get_simulator as permit_simulator
    from devices.permit.sim import pcscd

    shared, port = os.environ.get("KIOSK_TEST_PCSC_SOCKET"), os.environ.get("KIOSK_TEST_VPCD_PORT")
    if shared and port and os.path.exists(shared):  # the test run's pcscd
        os.environ["PCSCLITE_CSOCK_NAME"] = shared
        permit_simulator("permit", vpcd_port=int(port))
        return
    if not _process_pcscd:
        try:
            running = pcscd.start()
        except pcscd.PcscdUnavailable as error:
            log.warning("no simulated permit reader: %s", error)
            return
        atexit.register(running.stop)
        _process_pcscd.append(running)
        os.environ.update(running.environment())  # PCSCLITE_CSOCK_NAME before this process's first PC/SC call
    permit_simulator("permit", vpcd_port=_process_pcscd[0].vpcd_port)


@dataclass
class DemoEnvironment:
    home: KioskHome
    sandbox: RunningSandbox
    runtime: KioskRuntime

    @classmethod
    def start(
        cls, home: KioskHome, *, language: str = "zh", orientation: str = "portrait", port: int = 0
    ) -> DemoEnvironment:
        home.ensure()
        photos = prepare_registry_photos(home.root / "sandbox-photos")
        admin_token_file = write_admin_token_file(home.root / "sandbox-admin-token")  # the sandbox's admin API
        sandbox = start_in_thread(SandboxSettings(db_url=f"sqlite:///{home.root / 'sandbox.sqlite3'}", photo_dir=photos,
                                                  admin_token_file=admin_token_file), port=port)  # fmt: skip
        start_permit_stack()
        base = default_config()
        config = KioskConfig(
            kiosk_id=DEMO_KIOSK_ID, devices=base.devices,
            backend=BackendConfig(url=sandbox.base_url, kiosk_key=DEMO_KIOSK_KEY),
            ui=UiConfig(language=language, orientation=orientation),  # type: ignore[arg-type]
        )  # fmt: skip
        runtime = KioskRuntime(home, config).open()
        env = cls(home, sandbox, runtime)
        env.idcard_sim().cards.update({f"demo-{n}": demo_card(n) for n in DEMO_CITIZENS})
        env.camera_sim().remove()
        runtime.add_flow_listener(env._follow_prompts)
        return env

    def _follow_prompts(self, flow: Any) -> None:
        """The simulated citizen in front of the camera does what the screen asks (a photo or a phone held up
        cannot: the attack scenarios ignore it)."""
        asked: list[str | None] = [None]

        def on_view(view: Any) -> None:
            challenge = view.data.get("challenge") if view.step == "capture_face" else None
            camera = self.camera_sim()
            if challenge and challenge != asked[0] and camera is not None and camera.scenario == "live":
                camera.act(challenge)
            asked[0] = challenge

        flow.add_view_listener(on_view)

    def stop(self) -> None:
        self.runtime.close()
        self.sandbox.stop()
        from devices.permit.sim import forget_all

        forget_all()  # the simulated permit leaves the reader (pcscd stays for the next demo of this process)

    # -- simulators ------------------------------------------------------------------------------------
    def idcard_sim(self) -> Any:
        return sim_registry.get_instance("idcard")

    def receipt_sim(self) -> Any:
        return sim_registry.get_instance("receipt")

    def card_printer_sim(self) -> Any:
        return sim_registry.get_instance("card")

    def camera_sim(self) -> Any:
        return get_simulator("demo")

    def a4_spool(self) -> Any:
        return get_spool("a4")

    # -- what a citizen does ------------------------------------------------------------------------------
    def place_card(self, id_number: str) -> None:
        self.idcard_sim().place_card(f"demo-{id_number}")

    def present_permit(self, id_number: str, scenario: str = "ok") -> None:
        from devices.permit.sim import get_simulator as permit_simulator

        permit_simulator("permit").present(DEMO_PERMITS[id_number], scenario)

    def remove_permit(self) -> None:
        from devices.permit.sim import get_simulator as permit_simulator

        permit_simulator("permit").remove()

    def remove_card(self) -> None:
        self.idcard_sim().remove_card()

    def present_face(self, id_number: str) -> None:
        self.camera_sim().present(DEMO_PORTRAITS[id_number])

    def camera_scenario(self, scenario: str) -> None:
        self.camera_sim().set_scenario(scenario)

    def leave_camera(self) -> None:
        self.camera_sim().remove()

    def settle_payment(self, outcome: str = "pay") -> str:
        """The citizen's phone pays (or fails) the payment the kiosk is showing."""
        flow = self.runtime._flow
        order_id = getattr(flow, "payment_order_id", None)
        if not order_id:
            return "no payment is waiting"
        response = requests.post(f"{self.sandbox.base_url}/api/v1/sandbox/payments/{order_id}/{outcome}", timeout=10)
        return f"payment {order_id[:8]}: {response.json().get('status', response.status_code)}"

    # -- what goes wrong ------------------------------------------------------------------------------------
    def set_backend_down(self, down: bool) -> None:
        url = f"{self.sandbox.base_url}/api/v1/sandbox/faults"
        if down:
            requests.put(url, json={"fail_requests": 1_000_000, "fail_status": 503}, timeout=10).raise_for_status()
        else:
            requests.delete(url, timeout=10).raise_for_status()
        self.runtime.refresh_health()

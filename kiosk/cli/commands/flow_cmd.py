"""`kiosk flow {temp-id|certificate|traffic} --script FILE`: one service flow, headless, from a script.

By default the demo environment starts in a throw-away home (sandbox backend on loopback, every device
simulated); `--backend URL` drives a running backend instead (its sandbox payer settles payments), with the
simulated devices. The script is JSON, {"steps": [...]} (other keys, e.g. "description", are ignored), each
step one of:
  {"intent": NAME, ...payload}   sent to the flow as the touchscreen would; "capture_face" without a
                                 "frame" takes the camera's current frame
  {"face": ID_NUMBER | null}     a demo citizen stands before the camera (null: steps away)
  {"card": ID_NUMBER | null}     a demo citizen's ID card is put on the reader (null: taken off)
  {"pay": true | "fail"}         the citizen's phone pays (or fails) the payment shown
Every step and the outcome are printed as JSON lines, with ID numbers and plates masked, never a name.
`--save-documents DIR` writes every document exactly as it was sent to its printer (NN-KIND-JOB.pdf for A4
and card, .escpos raw bytes plus .png for receipts; files 0600, they hold what the paper holds) and lists
them in a last {"saved": [...]} line.
Exit 0: the flow ended DONE; 1: it ended FAILED; 2: usage (bad script, an intent the flow does not offer,
or a script that ends before the flow does).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

from contracts.idnumber import mask_id_number
from contracts.redaction import redact
from kiosk.cli import exitcodes
from kiosk.flows.base import FlowError, FlowView, StepKind
from kiosk.home import KioskHome
from kiosk.printers import DocumentSaver, tapped
from kiosk.services import SERVICES

POLLED = ("read_card", "read_permit")  # intents a screen repeats until something is on the reader
SCRIPT_DIR = Path(__file__).resolve().parents[2] / "flow_scripts"
_PLATE = re.compile(r"[\u4e00-\u9fff][A-Z][A-Z0-9]{4,6}[\u4e00-\u9fff]?")


class ScriptError(ValueError):
    """The script cannot be run as written (exit 2)."""


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    for spec in SERVICES:
        service = spec.name
        parser = groups["flow"].add_parser(spec.cli_name, help=f"drive the {service} flow from a JSON script")
        parser.add_argument("--script", required=True, type=Path, help='JSON file: {"steps": [...]}')
        parser.add_argument("--backend", help="URL of a running backend (default: start the demo environment)")
        parser.add_argument("--kiosk-id", default=None, help="with --backend: this kiosk's id (default: demo)")
        parser.add_argument("--kiosk-key", default=None, help="with --backend: this kiosk's key (default: demo)")
        parser.add_argument("--save-documents", type=Path, metavar="DIR",
                            help="write every printed document as sent to its printer into DIR")  # fmt: skip
        parser.set_defaults(handler=run_flow, service=service)


def load_script(path: Path) -> list[dict[str, Any]]:
    try:
        script = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ScriptError(f"cannot read the script: {error}") from error
    steps = script.get("steps") if isinstance(script, dict) else None
    if not isinstance(steps, list) or not all(isinstance(step, dict) for step in steps):
        raise ScriptError('the script must be {"steps": [ {...}, ... ]}')
    for number, step in enumerate(steps, 1):
        kinds = [key for key in ("intent", "face", "card", "permit", "pay") if key in step]
        if len(kinds) != 1:
            raise ScriptError(f"step {number}: needs exactly one of intent, face, card, permit, pay")
    return steps


def run_flow(args: argparse.Namespace) -> int:
    try:
        steps = load_script(args.script)
    except ScriptError as error:
        emit({"error": "bad_script", "message": str(error)})
        return exitcodes.USAGE
    with contextlib.ExitStack() as stack:
        if args.save_documents is not None:
            saver = stack.enter_context(tapped(DocumentSaver(args.save_documents)))
            stack.callback(lambda: emit({"saved": [path.name for path in saver.saved]}))
        runtime, base_url = stack.enter_context(_environment(args))
        driver = ScriptDriver(runtime, base_url, args.service)
        try:
            return _outcome(driver, driver.run(steps))
        except ScriptError as error:
            emit({"error": "script", "message": redact(str(error))})
            return exitcodes.USAGE
        finally:
            runtime.end_session("script finished")


def _outcome(driver: ScriptDriver, view: FlowView) -> int:
    result: dict[str, Any] = {"outcome": str(view.step) if view.finished else "unfinished", "service": view.service}
    if view.step is StepKind.FAILED:
        result["error_code"] = view.data.get("error_code")
    if view.data.get("document_number"):
        result["document_number"] = view.data["document_number"]
    if driver.flow.order is not None:
        result["order_state"] = str(driver.runtime.journal.get(driver.flow.order.order_id).state)
    emit(result)
    if view.step is StepKind.DONE:
        return exitcodes.OK
    return exitcodes.FAILURE if view.step is StepKind.FAILED else exitcodes.USAGE


@contextlib.contextmanager
def _environment(args: argparse.Namespace) -> Iterator[tuple[Any, str]]:
    """(runtime, backend base URL): the demo environment, or a runtime on simulators against --backend."""
    from kiosk.demo import DemoEnvironment

    with contextlib.ExitStack() as stack:
        root = Path(args.home) if args.home else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        home = KioskHome(root.expanduser().resolve())
        if args.backend is None:
            env = DemoEnvironment.start(home)
            stack.callback(env.stop)
            yield env.runtime, env.sandbox.base_url
            return
        runtime = _runtime_for_backend(home, args)
        stack.callback(runtime.close)
        prepare_simulators()
        yield runtime, args.backend.rstrip("/")


def _runtime_for_backend(home: KioskHome, args: argparse.Namespace) -> Any:
    from kiosk.config import BackendConfig, KioskConfig, default_config
    from kiosk.runtime import KioskRuntime
    from server.sandbox.settings import DEMO_KIOSK_ID, DEMO_KIOSK_KEY

    backend = BackendConfig(url=args.backend, kiosk_key=args.kiosk_key or DEMO_KIOSK_KEY)
    config = KioskConfig(kiosk_id=args.kiosk_id or DEMO_KIOSK_ID, devices=default_config().devices, backend=backend)
    return KioskRuntime(home.ensure(), config).open()


def prepare_simulators() -> None:
    """The demo citizens' cards in the reader's deck and nobody before the camera (as the demo starts)."""
    from devices.camera.sim import get_simulator
    from devices.sim import registry
    from kiosk.demo import DEMO_CITIZENS, demo_card

    registry.get_instance("idcard").cards.update({f"demo-{n}": demo_card(n) for n in DEMO_CITIZENS})
    camera = get_simulator("demo")
    if camera is not None:
        camera.remove()


class ScriptDriver:
    def __init__(self, runtime: Any, base_url: str, service: str) -> None:
        self.runtime, self.base_url = runtime, base_url
        self.flow = runtime.start_flow(service)

    def run(self, steps: list[dict[str, Any]]) -> FlowView:
        emit({"n": 0, "action": {"start": self.flow.service}, "view": view_json(self.flow.view())})
        for number, step in enumerate(steps, 1):
            if self.flow.view().finished:
                break
            view = self.step(step)
            emit({"n": number, "action": masked(step), "view": view_json(view)})
        return self.flow.view()

    def step(self, step: dict[str, Any]) -> FlowView:
        if "face" in step:
            self._camera(step["face"])
        elif "card" in step:
            self._card(step["card"])
        elif "permit" in step:
            self._permit(step["permit"])
        elif "pay" in step:
            self._pay("fail" if step["pay"] == "fail" else "pay")
        else:
            return self._intent(dict(step))
        return self.flow.view()

    def _intent(self, step: dict[str, Any]) -> FlowView:
        intent = step.pop("intent")
        if intent == "capture_face" and "frame" not in step:
            return self._face_check()
        if intent in POLLED and not step:
            return self._poll(intent)
        try:
            return self.flow.handle(intent, **step)
        except FlowError as error:
            raise ScriptError(f"{intent}: {error.code} at step {self.flow.view().step}") from error
        except TypeError as error:  # a payload the intent does not take
            raise ScriptError(f"{intent}: {error}") from error

    def _face_check(self, max_s: float = 60.0) -> FlowView:
        """The face step as the screen runs it: preview frames streamed in until the step is left (liveness,
        then the comparison) or a comparison asks for another try."""
        deadline = time.monotonic() + max_s
        view = self.flow.view()
        while view.step is StepKind.CAPTURE_FACE and time.monotonic() < deadline:
            frame = self.runtime.camera_frame()
            if frame is None:
                raise ScriptError("the camera gave no frame")
            view = self.flow.handle("capture_face", frame=frame, t=time.monotonic())
            if view.data.get("guidance_key") == "guidance.no_match_retry":
                break
        return view

    def _poll(self, intent: str, tries: int = 40) -> FlowView:
        """A reader the screen asks again and again until something is on it."""
        view = self.flow.view()
        for _ in range(tries):
            view = self.flow.handle(intent)
            if intent not in view.intents or view.step is not self.flow.view().step or view.data.get("error_key"):
                break
            if view.step is not StepKind.READ_CARD and view.step is not StepKind.READ_PERMIT:
                break
        return view

    def _permit(self, id_number: str | None) -> None:
        from devices.permit.sim import get_simulator as permit_simulator
        from kiosk.demo import DEMO_PERMITS

        if id_number is None:
            permit_simulator("permit").remove()
        elif id_number in DEMO_PERMITS:
            permit_simulator("permit").present(DEMO_PERMITS[id_number])
        else:
            raise ScriptError(f"no demo permit for {mask_id_number(str(id_number))}")

    def _camera(self, id_number: str | None) -> None:
        from devices.camera.sim import get_simulator
        from kiosk.demo import DEMO_PORTRAITS

        camera = get_simulator("demo")
        if camera is None:
            raise ScriptError("no simulated camera")
        if id_number is None:
            camera.remove()
        elif id_number in DEMO_PORTRAITS:
            camera.present(DEMO_PORTRAITS[id_number])
        else:
            raise ScriptError(f"no demo face for {mask_id_number(str(id_number))}")

    def _card(self, id_number: str | None) -> None:
        from devices.sim import registry
        from kiosk.demo import DEMO_CITIZENS

        reader = registry.get_instance("idcard")
        if id_number is None:
            reader.remove_card()
        elif id_number in DEMO_CITIZENS:
            reader.place_card(f"demo-{id_number}")
        else:
            raise ScriptError(f"no demo card for {mask_id_number(str(id_number))}")

    def _pay(self, outcome: str) -> None:
        order_id = getattr(self.flow, "payment_order_id", None)
        if self.flow.view().step is not StepKind.PAY or not order_id:
            raise ScriptError("no payment is shown")
        url = f"{self.base_url}/api/v1/sandbox/payments/{order_id}/{outcome}"
        response = requests.post(url, timeout=10)
        if response.status_code != 200:
            raise ScriptError(f"the payer could not {outcome}: HTTP {response.status_code}")


def view_json(view: FlowView) -> dict[str, Any]:
    return {"step": str(view.step), "prompt": view.prompt_key, "intents": list(view.intents),
            "data": scrub(dict(view.data))}  # fmt: skip


def masked(step: dict[str, Any]) -> dict[str, Any]:
    """The step as printed: ID numbers masked, frames left out."""
    shown: dict[str, Any] = {}
    for key, value in step.items():
        if key == "frame":
            continue
        if key in ("id_number", "face", "card", "permit") and isinstance(value, str):
            value = mask_id_number(value)
        shown[key] = scrub(value)
    return shown


def scrub(value: Any) -> Any:
    """Second line of defence on whatever is printed: ID-shaped numbers and plates masked."""
    if isinstance(value, str):
        return _PLATE.sub(lambda m: m.group(0)[:2] + "*" * (len(m.group(0)) - 3) + m.group(0)[-1], redact(value))
    if isinstance(value, dict):  # document numbers are the backend's, not personal (some look like ID numbers)
        return {key: item if key == "document_number" else scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value


def emit(record: dict[str, Any]) -> None:
    print(json.dumps(record, ensure_ascii=False, default=str), flush=True)


def example_script(service: str) -> Path:
    """The shipped example script of a service (kiosk/flow_scripts/<service>.json)."""
    return SCRIPT_DIR / f"{service}.json"

"""Paint first, load later: a stand-in for the runtime while the core (SQLAlchemy, OpenCV, the backend client,
the devices) loads on a thread, so the attract screen is up about a second after launch.

Until the real runtime is ready every service shows "starting"; calls that need it (start_flow,
technician_service — all made from workers) wait for it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from ui.runtime import home_services

log = logging.getLogger(__name__)

STARTING = "reason.starting"


class DeferredRuntime:
    """`start()` begins loading the core on a thread; call it once the first frame is painted (`start=False`),
    so the import-heavy core does not compete with the first paint for the interpreter."""

    def __init__(self, config: Any, build: Callable[[], Any], *, start: bool = True) -> None:
        self._config = config
        self._real: Any = None
        self._error: BaseException | None = None
        self._config_listeners: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self.ready = threading.Event()
        self._build: Callable[[], Any] | None = build
        if start:
            self.start()

    def start(self) -> None:
        """Load the core on a thread (once)."""
        build, self._build = self._build, None
        if build is not None:
            threading.Thread(target=self._load, args=(build,), name="runtime-start", daemon=True).start()

    def _load(self, build: Callable[[], Any]) -> None:
        try:
            real = build()
            with self._lock:
                self._real = real
                for listener in self._config_listeners:
                    real.add_config_listener(listener)
        except BaseException as error:  # shown as out of service; the log says why
            log.exception("the kiosk core failed to start")
            self._error = error
        finally:
            self.ready.set()

    def _wait(self) -> Any:
        self.ready.wait()
        if self._real is None:
            raise RuntimeError("the kiosk core failed to start") from self._error
        return self._real

    @property
    def config(self) -> Any:
        return self._real.config if self._real is not None else self._config

    def service_availability(self) -> dict[str, tuple[bool, str | None]]:
        if self._real is None:
            reason = STARTING if not self.ready.is_set() else "reason.out_of_service"
            return {service: (False, reason) for service in home_services()}
        return self._real.service_availability()

    def start_flow(self, service: str) -> Any:
        return self._wait().start_flow(service)

    def camera_frame(self) -> Any:
        return self._real.camera_frame() if self._real is not None else None

    def end_session(self, reason: str) -> None:
        if self._real is not None:
            self._real.end_session(reason)

    def call_duty_officer(self, where: str) -> None:
        self._wait().call_duty_officer(where)

    def technician_service(self) -> Any:
        return self._wait().technician_service()

    def add_config_listener(self, listener: Callable[[], None]) -> None:
        with self._lock:
            if self._real is None:
                self._config_listeners.append(listener)
                return
        self._real.add_config_listener(listener)

    def close(self) -> None:
        self.start()  # a window closed before its first frame still waits for a core that never started
        self.ready.wait()
        if self._real is not None:
            self._real.close()

"""One citizen's visit: the only holder of personal data, and the idle timer that ends it.

CitizenSession keeps identity fields, the chip photo, face frames, form inputs and pending print payloads in
memory; nothing else may keep them. wipe() zeroes every mutable buffer (bytearray, numpy array) before
dropping it, clears the rest, tells listeners (the spooler drops queued prints) and restores the default
language and volume. Python strings cannot be zeroed; they are only dropped.

SessionTimer has no thread: the UI's QTimer (or a test) calls tick(now). Idle reaches idle_timeout_s ->
warning, with at least warning_s to extend by one touch -> expired.
"""

from __future__ import annotations

import enum
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from kiosk.config import SessionConfig

WipeListener = Callable[[tuple[str, ...]], None]


@dataclass(frozen=True)
class UiPrefs:
    language: str = "zh"
    volume: int = 70  # percent


def zero_buffers(value: Any) -> None:
    """Overwrite every mutable buffer reachable from `value` with zeros (containers are walked)."""
    if isinstance(value, bytearray):
        value[:] = bytes(len(value))
    elif isinstance(value, np.ndarray):
        if value.flags.writeable:
            value.fill(0)
    elif isinstance(value, memoryview):
        if not value.readonly:
            value.cast("B")[:] = bytes(value.nbytes)
    elif isinstance(value, Mapping):
        for item in value.values():
            zero_buffers(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            zero_buffers(item)
    elif hasattr(value, "wipe") and callable(value.wipe):
        value.wipe()


class CitizenSession:
    def __init__(self, *, default_prefs: UiPrefs | None = None) -> None:
        self._default_prefs = default_prefs or UiPrefs()
        self._listeners: list[WipeListener] = []
        self._reset()

    def _reset(self) -> None:
        self.session_id = uuid.uuid4().hex  # not personal: ties logs to a visit, not a person
        self.prefs = self._default_prefs
        self._identity: dict[str, str] = {}
        self._photo: bytearray | np.ndarray | None = None
        self._face_frames: list[np.ndarray | bytearray] = []
        self._form: dict[str, Any] = {}
        self._print_payloads: dict[str, list[Any]] = {}
        self._order_ids: list[str] = []

    def __repr__(self) -> str:  # never print personal data, even by accident
        return f"CitizenSession(id={self.session_id}, empty={self.is_empty})"

    # --- holding data ---------------------------------------------------------------------------

    @property
    def identity(self) -> Mapping[str, str]:
        return MappingProxyType(self._identity)

    def set_identity(self, fields: Mapping[str, str]) -> None:
        """Identity fields from the card reader or the keypad (name, id_number, address, ...)."""
        self._identity.update(fields)

    @property
    def photo(self) -> bytearray | np.ndarray | None:
        return self._photo

    def set_photo(self, photo: bytes | bytearray | np.ndarray) -> None:
        """The chip or registry photo; bytes are copied into a bytearray so wipe() can zero them."""
        zero_buffers(self._photo)
        self._photo = photo if isinstance(photo, np.ndarray | bytearray) else bytearray(photo)

    @property
    def face_frames(self) -> tuple[np.ndarray | bytearray, ...]:
        return tuple(self._face_frames)

    def add_face_frame(self, frame: np.ndarray | bytearray) -> None:
        self._face_frames.append(frame)

    @property
    def form(self) -> Mapping[str, Any]:
        return MappingProxyType(self._form)

    def set_form_value(self, key: str, value: Any) -> None:
        self._form[key] = value

    def attach_order(self, order_id: str) -> None:
        """An order of this visit (not personal); its queued prints are discarded on wipe."""
        if order_id not in self._order_ids:
            self._order_ids.append(order_id)

    @property
    def order_ids(self) -> tuple[str, ...]:
        return tuple(self._order_ids)

    def add_print_payload(self, order_id: str, payload: Any) -> None:
        self.attach_order(order_id)
        self._print_payloads.setdefault(order_id, []).append(payload)

    def print_payloads(self, order_id: str) -> tuple[Any, ...]:
        return tuple(self._print_payloads.get(order_id, ()))

    def set_language(self, language: str) -> None:
        self.prefs = UiPrefs(language=language, volume=self.prefs.volume)

    def set_volume(self, volume: int) -> None:
        self.prefs = UiPrefs(language=self.prefs.language, volume=max(0, min(100, volume)))

    @property
    def is_empty(self) -> bool:
        held = (self._identity, self._face_frames, self._form, self._print_payloads, self._order_ids)
        return self._photo is None and not any(held)

    # --- ending the visit -----------------------------------------------------------------------

    def add_wipe_listener(self, listener: WipeListener) -> None:
        """Called with the visit's order ids on wipe, e.g. spooler.discard_for_orders."""
        self._listeners.append(listener)

    def wipe(self) -> None:
        """Zero and drop all personal data, tell listeners, restore default language and volume."""
        order_ids = tuple(self._order_ids)
        for listener in self._listeners:
            listener(order_ids)  # first, so the spooler stops before its payloads are zeroed
        for held in (self._photo, self._face_frames, self._form, self._print_payloads):
            zero_buffers(held)
        self._identity.clear()
        self._form.clear()
        self._face_frames.clear()
        self._print_payloads.clear()
        self._reset()


class TimerPhase(enum.StrEnum):
    STOPPED = "stopped"
    ACTIVE = "active"
    WARNING = "warning"
    EXPIRED = "expired"


class SessionTimer:
    """Idle time-out with a warning, driven by tick(now) from the UI's timer or a test."""

    def __init__(
        self,
        idle_timeout_s: float,
        warning_s: float,
        *,
        on_warning: Callable[[float], None] | None = None,
        on_countdown: Callable[[int], None] | None = None,
        on_expired: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if idle_timeout_s <= 0 or warning_s <= 0:
            raise ValueError("idle_timeout_s and warning_s must be positive")
        self.default_idle_timeout_s = float(idle_timeout_s)
        self.idle_timeout_s = float(idle_timeout_s)
        self.warning_s = float(warning_s)
        self._on_warning, self._on_countdown, self._on_expired = on_warning, on_countdown, on_expired
        self._clock = clock
        self.phase = TimerPhase.STOPPED
        self._last_touch = 0.0
        self._warned_at = 0.0
        self._last_countdown: int | None = None
        self._held = False

    @classmethod
    def from_config(cls, config: SessionConfig, **kwargs: Any) -> SessionTimer:
        return cls(config.idle_timeout_s, config.warning_s, **kwargs)

    def _now(self, now: float | None) -> float:
        return self._clock() if now is None else now

    def start(self, now: float | None = None) -> None:
        self.phase, self._last_touch, self._held = TimerPhase.ACTIVE, self._now(now), False
        self.idle_timeout_s = self.default_idle_timeout_s

    def stop(self) -> None:
        self.phase = TimerPhase.STOPPED

    def touch(self, now: float | None = None) -> bool:
        """A touch restarts the idle count (also during the warning); False once expired or stopped."""
        if self.phase not in (TimerPhase.ACTIVE, TimerPhase.WARNING):
            return False
        self.phase, self._last_touch = TimerPhase.ACTIVE, self._now(now)
        return True

    def hold(self) -> None:
        """Freeze the idle count while the kiosk itself is busy (printing, talking to the backend)."""
        self._held = True

    def release(self, now: float | None = None) -> None:
        self._held = False
        self.touch(now)

    def set_idle_limit(self, seconds: float | None, now: float | None = None) -> None:
        """A longer limit for one screen (payment: payment_timeout_s); None restores the default."""
        self.idle_timeout_s = self.default_idle_timeout_s if seconds is None else float(seconds)
        self.touch(now)

    def seconds_left(self, now: float | None = None) -> float:
        """Seconds until expiry while warning; 0 otherwise."""
        if self.phase is not TimerPhase.WARNING:
            return 0.0
        return max(0.0, self._warned_at + self.warning_s - self._now(now))

    def tick(self, now: float | None = None) -> TimerPhase:
        now = self._now(now)
        if self._held or self.phase in (TimerPhase.STOPPED, TimerPhase.EXPIRED):
            return self.phase
        if self.phase is TimerPhase.ACTIVE and now - self._last_touch >= self.idle_timeout_s:
            # The warning period counts from when the warning is shown, so a late tick never shortens it.
            self.phase, self._warned_at, self._last_countdown = TimerPhase.WARNING, now, None
            if self._on_warning:
                self._on_warning(self.warning_s)
        if self.phase is TimerPhase.WARNING:
            left = self.seconds_left(now)
            if left <= 0:
                self.phase = TimerPhase.EXPIRED
                if self._on_expired:
                    self._on_expired()
            elif self._on_countdown and (whole := int(-(-left // 1))) != self._last_countdown:
                self._last_countdown = whole
                self._on_countdown(whole)
        return self.phase

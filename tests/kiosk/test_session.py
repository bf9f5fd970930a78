"""CitizenSession wipes every buffer it held; SessionTimer warns, extends and expires on an injected clock."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.config import SessionConfig
from kiosk.session import CitizenSession, SessionTimer, TimerPhase, UiPrefs, zero_buffers


def _filled_session() -> tuple[CitizenSession, bytearray, np.ndarray, bytearray, bytearray]:
    session = CitizenSession(default_prefs=UiPrefs(language="zh", volume=60))
    session.set_identity({"name": "测试张三丰", "id_number": "11010519491231002X", "address": "测试路88号"})
    session.set_photo(b"\xff\xd8JPEG-chip-photo")
    photo = session.photo
    assert isinstance(photo, bytearray)
    frame = np.full((48, 64, 3), 200, dtype=np.uint8)
    session.add_face_frame(frame)
    signature = bytearray(b"signature-strokes")
    session.set_form_value("signature", signature)
    session.set_form_value("purpose", "就业")
    payload = bytearray("证明 测试张三丰".encode())
    session.add_print_payload("order-1", {"pdf": payload})
    return session, photo, frame, signature, payload


def test_wipe_zeroes_every_buffer_the_session_held() -> None:
    session, photo, frame, signature, payload = _filled_session()
    session.wipe()
    assert photo == bytearray(len(photo)) and len(photo) > 0
    assert not frame.any()
    assert signature == bytearray(len(signature))
    assert payload == bytearray(len(payload))


def test_wipe_drops_every_reference_and_restores_prefs() -> None:
    session, *_ = _filled_session()
    session.set_language("en")
    session.set_volume(100)
    old_id = session.session_id
    session.wipe()
    assert session.is_empty
    assert dict(session.identity) == {} and dict(session.form) == {}
    assert session.photo is None and session.face_frames == () and session.print_payloads("order-1") == ()
    assert session.prefs == UiPrefs(language="zh", volume=60)
    assert session.session_id != old_id


def test_wipe_tells_listeners_the_visits_orders_before_zeroing() -> None:
    session, *_ = _filled_session()
    session.attach_order("order-2")
    seen: list[tuple[tuple[str, ...], bool]] = []
    session.add_wipe_listener(lambda ids: seen.append((ids, session.photo is not None and any(session.photo))))
    session.wipe()
    assert seen == [(("order-1", "order-2"), True)]


def test_replacing_the_photo_zeroes_the_old_one() -> None:
    session = CitizenSession()
    session.set_photo(bytearray(b"first-photo"))
    first = session.photo
    session.set_photo(b"second")
    assert first == bytearray(len(first))  # type: ignore[arg-type]


def test_repr_never_shows_personal_data() -> None:
    session, *_ = _filled_session()
    assert "测试" not in repr(session) and "1101" not in repr(session)


def test_zero_buffers_walks_containers_and_skips_read_only() -> None:
    readonly = np.ones(4)
    readonly.flags.writeable = False
    nested = {"a": [bytearray(b"xy"), (np.ones(3),)], "b": memoryview(bytearray(b"zz")), "c": readonly}
    zero_buffers(nested)
    assert nested["a"][0] == bytearray(2) and not nested["a"][1][0].any()
    assert bytes(nested["b"]) == b"\0\0"
    assert readonly.all()


class Recorder:
    def __init__(self) -> None:
        self.warnings: list[float] = []
        self.countdown: list[int] = []
        self.expired = 0

    def timer(self, idle: float = 60, warning: float = 20) -> SessionTimer:
        return SessionTimer(idle, warning, on_warning=self.warnings.append, on_countdown=self.countdown.append,
                            on_expired=self._expired, clock=lambda: pytest.fail("tick(now) was given"))  # fmt: skip

    def _expired(self) -> None:
        self.expired += 1


def test_warning_then_expiry_on_the_configured_times() -> None:
    rec = Recorder()
    timer = rec.timer()
    timer.start(now=0)
    assert timer.tick(59.9) is TimerPhase.ACTIVE and rec.warnings == []
    assert timer.tick(60) is TimerPhase.WARNING and rec.warnings == [20]
    assert timer.seconds_left(70) == pytest.approx(10)
    assert timer.tick(79.9) is TimerPhase.WARNING and rec.expired == 0
    assert timer.tick(80) is TimerPhase.EXPIRED and rec.expired == 1
    assert timer.tick(500) is TimerPhase.EXPIRED and rec.expired == 1  # fires once
    assert rec.warnings == [20]
    assert timer.touch(501) is False


def test_one_touch_during_the_warning_extends_the_session() -> None:
    rec = Recorder()
    timer = rec.timer()
    timer.start(now=0)
    timer.tick(65)
    assert timer.touch(75) is True
    assert timer.phase is TimerPhase.ACTIVE
    assert timer.tick(134) is TimerPhase.ACTIVE  # idle counts from the touch
    assert timer.tick(135) is TimerPhase.WARNING
    assert rec.warnings == [20, 20] and rec.expired == 0


def test_a_late_tick_still_gives_the_full_warning_time() -> None:
    rec = Recorder()
    timer = rec.timer()
    timer.start(now=0)
    assert timer.tick(300) is TimerPhase.WARNING  # the UI was blocked; the citizen still gets 20 s
    assert timer.tick(319) is TimerPhase.WARNING
    assert timer.tick(320) is TimerPhase.EXPIRED


def test_countdown_reports_each_whole_second_once() -> None:
    rec = Recorder()
    timer = rec.timer(idle=30, warning=20)
    timer.start(now=0)
    for step in range(0, 501):
        timer.tick(30 + step * 0.05)  # 20 ticks a second, as a QTimer would
    assert rec.countdown == list(range(20, 0, -1))
    assert rec.expired == 1


def test_hold_freezes_idle_while_the_kiosk_is_busy() -> None:
    rec = Recorder()
    timer = rec.timer()
    timer.start(now=0)
    timer.hold()
    assert timer.tick(1000) is TimerPhase.ACTIVE
    timer.release(now=1000)
    assert timer.tick(1059) is TimerPhase.ACTIVE
    assert timer.tick(1060) is TimerPhase.WARNING


def test_payment_screen_uses_a_longer_limit_then_the_default_again() -> None:
    rec = Recorder()
    timer = rec.timer()
    timer.start(now=0)
    timer.set_idle_limit(180, now=10)
    assert timer.tick(189) is TimerPhase.ACTIVE
    timer.set_idle_limit(None, now=189)
    assert timer.tick(249) is TimerPhase.WARNING


def test_from_config_and_default_clock() -> None:
    now = [100.0]
    timer = SessionTimer.from_config(SessionConfig(idle_timeout_s=30, warning_s=25), clock=lambda: now[0])
    timer.start()
    now[0] = 130.0
    assert timer.tick() is TimerPhase.WARNING
    now[0] = 155.0
    assert timer.tick() is TimerPhase.EXPIRED


def test_stopped_timer_never_fires() -> None:
    rec = Recorder()
    timer = rec.timer()
    assert timer.tick(10_000) is TimerPhase.STOPPED
    timer.start(now=0)
    timer.stop()
    assert timer.tick(10_000) is TimerPhase.STOPPED and rec.warnings == [] and rec.expired == 0


def test_expiry_can_drive_the_wipe() -> None:
    session, photo, *_ = _filled_session()
    timer = SessionTimer(30, 20, on_expired=session.wipe)
    timer.start(now=0)
    timer.tick(30)
    timer.tick(50)
    assert session.is_empty and not any(photo)

"""sd_notify against a test NOTIFY_SOCKET: the datagrams systemd would read, the watchdog interval from
WATCHDOG_USEC/WATCHDOG_PID, abstract sockets, and a notifier that stays silent without systemd."""

from __future__ import annotations

import os
import socket
import uuid

import pytest

from kiosk.appliance.notify import SystemdNotifier, watchdog_usec
from kiosk.appliance.watchdog import ProcessSignals, WatchdogPinger
from tests.appliance.notify_socket import NotifySocket


@pytest.fixture
def notify_socket(tmp_path):
    server = NotifySocket(tmp_path / "notify")
    yield server
    server.close()


def test_ready_status_watchdog_and_stopping_arrive_as_systemd_reads_them(notify_socket):
    notifier = SystemdNotifier.from_environment({"NOTIFY_SOCKET": str(notify_socket.path), "WATCHDOG_USEC": "4000000"})
    assert notifier.watchdog_interval_s == 2.0
    assert notifier.ready("attract") is True
    assert notify_socket.wait_for("READY").fields == {"READY": "1", "STATUS": "attract"}
    notifier.watchdog()
    assert notify_socket.wait_for("WATCHDOG").fields == {"WATCHDOG": "1"}
    notifier.status("out of service:\nclock\nnot synchronised")  # a newline would start another assignment
    assert notify_socket.wait_for("STATUS").fields == {"STATUS": "out of service: clock not synchronised"}
    notifier.extend_timeout(1.5)
    assert notify_socket.wait_for("EXTEND_TIMEOUT_USEC").fields["EXTEND_TIMEOUT_USEC"] == "1500000"
    notifier.stopping("nightly restart")
    assert notify_socket.wait_for("STOPPING").fields["STATUS"] == "nightly restart"


def test_an_abstract_socket_name_is_reached_in_the_abstract_namespace():
    name = f"kiosk-test-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(b"\0" + name.encode())
        server.settimeout(5)
        assert SystemdNotifier.from_environment({"NOTIFY_SOCKET": "@" + name}).ready() is True
        assert server.recv(100) == b"READY=1\n"


def test_without_systemd_every_call_is_a_silent_no_op():
    notifier = SystemdNotifier.from_environment({})
    assert (notifier.enabled, notifier.watchdog_interval_s) == (False, None)
    assert notifier.ready("attract") is False and notifier.watchdog() is False


def test_a_vanished_socket_is_not_an_error(tmp_path):
    notifier = SystemdNotifier.from_environment({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    assert notifier.watchdog() is False


def test_a_relative_notify_socket_is_refused():
    with pytest.raises(ValueError, match="absolute"):
        SystemdNotifier.from_environment({"NOTIFY_SOCKET": "relative/path"})


@pytest.mark.parametrize(("env", "expected"), [
    ({"WATCHDOG_USEC": "30000000"}, 30_000_000),
    ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "SELF"}, 30_000_000),
    ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, None),  # meant for cage, the main PID
    ({"WATCHDOG_USEC": "0"}, None),
    ({"WATCHDOG_USEC": "soon"}, None),
    ({}, None),
])  # fmt: skip
def test_the_watchdog_is_ours_only_when_systemd_meant_this_pid(env, expected):
    env = {k: str(os.getpid()) if v == "SELF" else v for k, v in env.items()}
    assert watchdog_usec(env, os.getpid()) == expected


def test_the_pinger_sends_ready_once_and_status_only_when_it_changes(notify_socket):
    states = iter(["attract", "attract", "in a visit: traffic at pay", "in a visit: traffic at pay"])
    notifier = SystemdNotifier(str(notify_socket.path), watchdog_interval_s=0.5)
    signals = ProcessSignals()
    pinger = WatchdogPinger(notifier, lambda: next(states), signals=signals, clock=lambda: 42.0)
    assert pinger.interval_ms == 500
    pinger.first_frame()
    pinger.first_frame()  # a second frame is no second READY
    assert signals.ready.is_set() and signals.ready_at == 42.0
    assert pinger.ping() is True
    assert pinger.ping() is True
    assert pinger.ping() is True
    got = [m.fields for m in notify_socket.collect(0.3)]
    assert got == [{"READY": "1", "STATUS": "attract"}, {"WATCHDOG": "1"},
                   {"WATCHDOG": "1", "STATUS": "in a visit: traffic at pay"}, {"WATCHDOG": "1"}]  # fmt: skip


def test_a_status_that_raises_never_stops_the_pings(notify_socket):
    def broken() -> str:
        raise RuntimeError("runtime gone")

    pinger = WatchdogPinger(SystemdNotifier(str(notify_socket.path), 1.0), broken, signals=ProcessSignals())
    assert pinger.ping() is True
    assert notify_socket.wait_for("WATCHDOG").fields["STATUS"] == "status unavailable (RuntimeError)"


def test_an_exit_request_reaches_the_event_loop_at_the_next_ping(notify_socket):
    signals = ProcessSignals()
    pinger = WatchdogPinger(SystemdNotifier(str(notify_socket.path), 1.0), lambda: "attract", signals=signals)
    assert pinger.ping() is True
    signals.request_exit("nightly restart", code=0)
    signals.request_exit("a second reason is ignored", code=3)
    assert pinger.ping() is False and pinger.exit_code == 0
    assert notify_socket.wait_for("STOPPING").fields["STATUS"] == "restarting: nightly restart"

"""The shared defences on their own: token buckets (a fake clock, no sleeps), JSON bounds, validation messages
that name fields and rules only, private files."""

from __future__ import annotations

import grp
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.guard.errors import validation_message
from server.guard.events import SecurityCounters
from server.guard.files import make_private_file, secure_database_file
from server.guard.jsonbounds import JsonTooComplex, check_json
from server.guard.ratelimit import FailureLimiter, Rate, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_its_rate():
    clock = Clock()
    limiter = RateLimiter(Rate(burst=3, per_minute=6), clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # per source
    assert limiter.retry_after_s("a") == 10
    clock.now += 10
    assert limiter.allow("a") and not limiter.allow("a")


def test_memory_stays_bounded_under_a_flood_of_addresses():
    limiter = RateLimiter(Rate(burst=1, per_minute=1), max_keys=100, clock=Clock())
    for index in range(10_000):
        limiter.allow(f"10.0.{index // 256}.{index % 256}")
    assert len(limiter._buckets) == 100


def test_failures_lock_out_and_regain():
    clock = Clock()
    failures = FailureLimiter(Rate(burst=2, per_minute=1), clock=clock)
    failures.failed("x")
    assert not failures.locked_out("x")
    failures.failed("x")
    assert failures.locked_out("x") and failures.retry_after_s("x") == 60
    clock.now += 60
    assert not failures.locked_out("x")


def test_security_counters_alert_once_per_hour(caplog):
    counters = SecurityCounters(alert_after=3, clock=Clock())
    for _ in range(5):
        counters.record("admin_login_failed", "192.0.2.1")
    assert counters.snapshot()[0]["count"] == 5
    assert caplog.text.count("security alert") == 1


@pytest.mark.parametrize("value", [2**53 + 1, -(2**60), float("inf"), float("nan"), {"a": [[[[1]]]]}])
def test_json_bounds(value):
    with pytest.raises(JsonTooComplex):
        check_json(value, max_depth=4)


def test_deep_but_allowed_json_passes_without_recursion():
    value: list = []
    for _ in range(10_000):
        value = [value]
    with pytest.raises(JsonTooComplex):
        check_json(value, max_depth=32)  # an iterative walk: no RecursionError at 10,000 levels
    check_json({"a": [1, 2.5, "x", None, True, {"b": 2**53}]})


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=200), st.text(max_size=200))
def test_validation_messages_never_repeat_client_keys_or_values(key, value):
    key, value = key + "§", value + "§"  # a character no message of ours contains
    errors = [{"loc": ("body", "device_states", key, "state"), "msg": "Field required", "input": value},
              {"loc": ("body", key), "msg": "Extra inputs are not permitted", "input": value}]  # fmt: skip
    message = validation_message(errors)
    assert message.startswith("device_states.") and message.endswith("(and 1 more)")
    assert "§" not in message


def test_database_files_are_created_private_and_loose_ones_tightened(tmp_path):
    db = tmp_path / "data" / "x.sqlite3"
    secure_database_file(f"sqlite:///{db}")
    assert stat.S_IMODE(db.stat().st_mode) == 0o600 and stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    os.chmod(db, 0o666)
    (tmp_path / "data" / "x.sqlite3-wal").write_bytes(b"")
    os.chmod(tmp_path / "data" / "x.sqlite3-wal", 0o644)
    secure_database_file(f"sqlite:///{db}")
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data" / "x.sqlite3-wal").stat().st_mode) == 0o600
    secure_database_file("postgresql://u@localhost/db")  # nothing to do for a server database


def test_a_group_gets_read_access_and_nothing_more(tmp_path):
    group = grp.getgrgid(os.getgid()).gr_name
    path = tmp_path / "g" / "fleet.sqlite3"
    make_private_file(path, group)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and stat.S_IMODE(path.parent.stat().st_mode) == 0o750

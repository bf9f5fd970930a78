"""The structural and value rules both the kiosk and the fleet server apply to signed documents."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import config_rules
from contracts.canonical import MAX_DOCUMENT_BYTES
from contracts.config_rules import (
    DEFAULT_EXPIRY_HORIZON,
    MAX_DEPTH,
    MAX_SAFE_INTEGER,
    RuleViolation,
    check_device_url,
    check_durations,
    check_expiry_horizon,
    check_local_path,
    check_option_paths,
    check_remote_url,
    check_structure,
    check_version,
    nesting_depth,
    parse_document,
    parse_expires,
)


def rule_of(call) -> str:
    with pytest.raises(RuleViolation) as caught:
        call()
    return caught.value.rule


def test_a_normal_document_parses():
    raw = json.dumps({"signed": {"payload": {"devices": {"a": {"options": {"x": [1, 2.5, "三"]}}}}}}).encode()
    assert parse_document(raw)["signed"]["payload"]["devices"]["a"]["options"]["x"] == [1, 2.5, "三"]


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "too_deep"),  # json.loads alone ends in RecursionError
        (b'{"a":' * (MAX_DEPTH + 1) + b"1" + b"}" * (MAX_DEPTH + 1), "too_deep"),
        (b" " * (MAX_DOCUMENT_BYTES + 1), "too_large"),
        (b'{"a": "\xff"}', "not_json"),  # not UTF-8
        ('{"a": 1}'.encode("utf-16"), "not_json"),
        (b'\xef\xbb\xbf{"a": 1}', "not_json"),  # a BOM
        (b'{"a": "\\ud800"}', "bad_encoding"),  # a lone surrogate parses, but has no UTF-8 form
        (b'{"a": 1e400}', "bad_number"),  # parses as inf
        (b'{"a": NaN}', "not_json"),
        (b'{"a": 9007199254740992}', "bad_number"),  # 2^53
        (b'{"a": 1, "a": 2}', "not_json"),  # duplicate keys
        (b'{"a": "' + b"x" * (config_rules.MAX_STRING_CHARS + 1) + b'"}', "too_long"),
        (b"[" + b"0," * config_rules.MAX_ITEMS + b"0]", "too_many_items"),
    ],
)
def test_hostile_bytes_are_refused_by_rule(raw, rule):
    assert rule_of(lambda: parse_document(raw)) == rule


def test_brackets_inside_strings_do_not_count_and_counting_is_linear():
    assert nesting_depth(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[", "b": "\\"{{{{"}') == 1
    started = time.perf_counter()
    for raw in (b'"' + b'\\"' * 400_000, b'"' * 1_000_000, b"[]" * 400_000):  # quadratic in a naive scanner
        nesting_depth(raw)
    assert time.perf_counter() - started < 5


def test_hand_built_values_are_walked_without_recursion():
    deep: list = []
    for _ in range(200_000):
        deep = [deep]
    assert rule_of(lambda: check_structure({"payload": deep})) == "too_deep"
    assert rule_of(lambda: check_structure({"x": float("nan")})) == "bad_number"
    assert rule_of(lambda: check_structure({1: "key not a string"})) == "not_json"
    assert rule_of(lambda: check_structure({"x": object()})) == "not_json"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=512))
def test_any_bytes_parse_or_are_refused_by_rule(data):
    try:
        parse_document(data)
    except RuleViolation:
        pass


@pytest.mark.parametrize("value", [0, -1, True, 1.0, "2", MAX_SAFE_INTEGER + 1, 10**30])
def test_versions_out_of_range(value):
    assert rule_of(lambda: check_version(value)) == "bad_version"


def test_versions_in_range():
    assert check_version(1) == 1 and check_version(MAX_SAFE_INTEGER) == MAX_SAFE_INTEGER


@pytest.mark.parametrize(
    "text", ["2030-01-01T00:00:00", "2030-01-01", "9999-12-31T23:59:59-01:00", "2030-13-01T00:00:00Z", 5, ""]
)
def test_bad_expiry_times(text):
    assert rule_of(lambda: parse_expires(text)) == "bad_expires"


def test_expiry_parses_to_utc_and_the_horizon_holds():
    assert parse_expires("2030-01-01T08:00:00+08:00") == datetime(2030, 1, 1, tzinfo=UTC)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    check_expiry_horizon(now + DEFAULT_EXPIRY_HORIZON, now)
    assert rule_of(lambda: check_expiry_horizon(now + DEFAULT_EXPIRY_HORIZON + timedelta(seconds=1), now)) == (
        "expires_too_far"
    )
    assert rule_of(lambda: check_expiry_horizon(parse_expires("9999-12-31T23:59:59Z"), now)) == "expires_too_far"


def test_a_whole_envelope_is_checked_for_the_fleet_server():
    now = datetime(2026, 12, 1, tzinfo=UTC)

    def envelope(**signed) -> bytes:
        base = {"version": 3, "schema_version": 1, "expires": "2027-06-01T00:00:00Z", "payload": {}}
        return json.dumps({"signed": base | signed, "signatures": []}).encode()

    assert config_rules.check_signed_document(envelope(), now=now)["signed"]["version"] == 3
    for raw, rule in [
        (envelope(version=10**30), "bad_number"),  # beyond what JSON readers keep exactly
        (envelope(version=0), "bad_version"),
        (envelope(schema_version=0), "bad_version"),
        (envelope(expires="9999-12-31T23:59:59Z"), "expires_too_far"),
        (envelope(expires="9999-12-31T23:59:59-01:00"), "bad_expires"),
        (b'{"signed": {}}', "not_envelope"),
        (b"[" * 50_000, "too_deep"),
    ]:
        assert rule_of(lambda raw=raw: config_rules.check_signed_document(raw, now=now)) == rule


@pytest.mark.parametrize(
    "url",
    ["https://backend.police.example", "https://10.1.2.3:8443/api", "http://127.0.0.1:8750", "http://[::1]:80",
     "http://localhost:8750", "http://127.8.9.10"],
)  # fmt: skip
def test_remote_urls_allowed(url):
    assert check_remote_url(url, "url") == url


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("http://backend.police.example", "insecure_url"),
        ("http://10.1.2.3:8750", "insecure_url"),
        ("http://127.0.0.1.evil.example", "insecure_url"),
        ("file:///etc/passwd", "bad_url"),
        ("ftp://host/x", "bad_url"),
        ("https://user:secret@host", "bad_url"),
        ("https://", "bad_url"),
        ("https://host:99999", "bad_url"),
        ("https://host\n.example", "bad_url"),
        ("", "bad_url"),
        (None, "bad_url"),
    ],
)
def test_remote_urls_refused(url, rule):
    assert rule_of(lambda: check_remote_url(url, "url")) == rule


def test_local_paths_stay_inside_the_data_home(tmp_path):
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    inside = str(home / "config" / "ca.pem")
    assert check_local_path(inside, home, "ca_file") == inside
    os.symlink("/etc/passwd", home / "config" / "escape.pem")
    for path in ("/etc/passwd", str(home / ".." / "elsewhere"), "config/ca.pem", str(home / "config" / "escape.pem")):
        assert rule_of(lambda path=path: check_local_path(path, home, "ca_file")) in ("outside_home", "bad_path")


@pytest.mark.parametrize(
    "url",
    ["/dev/ttyUSB0", "/dev/serial/by-id/usb-x", "0", "socket://127.0.0.1:5000", "socket://192.168.1.20:9100",
     "rfc2217://10.0.0.7:4000", "hwgrep://1a86:7523", "sim://idcard?instance=x", "cups://A4", "cups://10.0.0.5:631/A4",
     "spool://a4", "simcam://demo", "v4l2:///dev/video0", "pcsc://reader-0"],
)  # fmt: skip
def test_device_urls_allowed(url):
    assert check_device_url(url, "url") == url


@pytest.mark.parametrize(
    "url",
    ["/etc/passwd", "/dev/../etc/passwd", "file:///dev/ttyUSB0", "spy:///dev/ttyUSB0?file=/tmp/card.log",
     "socket://8.8.8.8:9100", "socket://printer.example:9100", "cups://1.1.1.1:631/A4", "socket://[2001:4860::8888]:9100", "https://x",
     "loop://", "ttyUSB0", ""],
)  # fmt: skip
def test_device_urls_refused(url):
    assert rule_of(lambda: check_device_url(url, "url")) == "bad_url"


def test_file_like_device_options_stay_inside_the_data_home(tmp_path):
    check_option_paths({"portrait_dir": str(tmp_path / "portraits"), "scenario": "ok"}, tmp_path, "options")
    for options in ({"wlt_library": "/tmp/evil.so"}, {"directory": "/var/spool"}, {"nested": {"x": "/etc/shadow"}},
                    {"portrait_dir": "relative/dir"}):  # fmt: skip
        assert rule_of(lambda o=options: check_option_paths(o, tmp_path, "options")) in ("outside_home", "bad_path")
    assert rule_of(lambda: check_option_paths({"wlt_library": "/x.so"}, None, "options")) == "outside_home"


def test_durations_are_positive_and_bounded():
    check_durations({"backend": {"read_timeout_s": 10}, "devices": {"a": {"options": {"poll_interval": 0.2}}}})
    for bad in ({"read_timeout_s": -1}, {"x": {"command_timeout": 0}}, {"stall_seconds": 10**9},
                {"options": [{"request_timeout": float("inf")}]}):  # fmt: skip
        assert rule_of(lambda bad=bad: check_durations(bad)) == "bad_duration"
    check_durations({"fee_cents": -5, "enabled_s": True})  # not durations: other rules judge them

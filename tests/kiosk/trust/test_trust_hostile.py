"""Issue 22, red-teamed with the RIGHT keys: dangerous signed values, another kiosk's id, nesting, size and
encoding attacks. Every one ends `kiosk config apply` with exit 5 and the reason, and leaves what ran."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from trust_testdata import CHANNEL, KIOSK_ID, config_payload

from contracts.canonical import canonical_bytes
from kiosk.cli.main import main
from kiosk.trust import CONFIG_TYPE, ConfigRejected, apply_config, load_verified_config, read_active, sign
from kiosk.trust.envelope import envelope_file_bytes

pytestmark = pytest.mark.usefixtures("root")


def kiosk(home, *args):
    return main(["--home", str(home.root), *args])


def with_change(path: str, value, payload: dict | None = None) -> dict:
    """A valid payload (or `payload`) with one dotted path set to `value`."""
    payload = payload if payload is not None else config_payload("hostile")
    *parents, last = path.split(".")
    node = payload
    for part in parents:
        child = node.get(part)
        node[part] = child = child if isinstance(child, dict) else {}
        node = child
    node[last] = value
    return payload


def signed_raw(keys, signed: dict) -> bytes:
    """Sign a hand-built "signed" object with the two trusted keys (make_signed refuses what we test)."""
    return envelope_file_bytes(sign(signed, [keys[0], keys[1]]))


def raw_signed(keys, *, version=2, expires="2027-01-01T00:00:00Z", payload=None) -> bytes:
    signed = {"type": CONFIG_TYPE, "schema_version": 1, "version": version, "expires": expires,
              "kiosk_ids": [KIOSK_ID], "channels": [], "payload": payload or config_payload()}  # fmt: skip
    return signed_raw(keys, signed)


@pytest.fixture
def running(home, make_doc, tmp_path, capsys):
    """v1 applied through the CLI; returns the bytes of every file a rejection must leave alone."""
    path = tmp_path / "v1.json"
    path.write_bytes(make_doc(version=1))
    assert kiosk(home, "config", "apply", str(path)) == 0
    capsys.readouterr()
    return (home.config_dir / "active.json").read_bytes(), (home.config_dir / "state.json").read_bytes()


def assert_refused(home, tmp_path, capsys, running, raw: bytes, reason: str) -> str:
    path = tmp_path / "hostile.json"
    path.write_bytes(raw)
    assert kiosk(home, "config", "apply", str(path)) == 5
    err = capsys.readouterr().err
    assert f"rejected ({reason})" in err and "Traceback" not in err
    assert ((home.config_dir / "active.json").read_bytes(), (home.config_dir / "state.json").read_bytes()) == running
    return err


@pytest.mark.parametrize(
    ("path", "value", "says"),
    [
        ("backend.url", "http://backend.police.example", "plain http"),
        ("backend.url", "http://10.20.30.40:8750", "plain http"),
        ("backend.url", "file:///etc/passwd", "file"),
        ("backend.ca_file", "/etc/passwd", "outside the data home"),
        ("backend.kiosk_key", "a-leaked-secret", "secrets never travel"),
        ("face.match_threshold", 0, "face.match_threshold"),
        ("backend.read_timeout_s", -1, "read_timeout_s"),
        ("backend.connect_timeout_s", 0, "connect_timeout_s"),
        ("session.idle_timeout_s", -30, "idle_timeout_s"),
        ("devices.idcard.options", {"read_timeout": -5}, "duration"),
        ("devices.idcard.options", {"wlt_library": "/tmp/evil.so"}, "outside the data home"),
        ("devices.idcard.url", "spy:///dev/ttyUSB0?file=/tmp/cards.log", "not a device transport"),
        ("devices.receipt.url", "socket://8.8.8.8:9100", "private LAN"),
        ("technician.allow_exit_app", "yes please", "allow_exit_app"),
        ("technician.max_lockout_s", 10**9, "max_lockout_s"),
        ("ui.screen_dpi", 0, "screen_dpi"),
        ("site_name", "line\nbreak", "site_name"),
    ],
)
def test_dangerous_signed_values_are_refused(home, make_doc, tmp_path, capsys, running, path, value, says):
    raw = make_doc(version=2, payload=with_change(path, value))
    assert says in assert_refused(home, tmp_path, capsys, running, raw, "schema_invalid")


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda keys: raw_signed(keys, version=10**30), "malformed"),  # would freeze the floor for ever
        (lambda keys: raw_signed(keys, version=2**53), "malformed"),
        (lambda keys: raw_signed(keys, expires="9999-12-31T23:59:59Z"), "expires_too_far"),
        (lambda keys: raw_signed(keys, expires="9999-12-31T23:59:59-01:00"), "malformed"),  # overflows in UTC
        (lambda keys: raw_signed(keys, expires="2030-01-01"), "malformed"),
    ],
)
def test_versions_and_expiry_out_of_range_are_refused(home, keys, tmp_path, capsys, running, build, reason):
    assert_refused(home, tmp_path, capsys, running, build(keys), reason)


def test_a_version_within_2_53_is_accepted(home, keys, tmp_path, capsys, running):
    path = tmp_path / "big.json"
    path.write_bytes(raw_signed(keys, version=2**53 - 1, expires=(datetime.now(UTC) + timedelta(days=300)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")))  # fmt: skip
    assert kiosk(home, "config", "apply", str(path)) == 0


def test_another_kiosks_id_is_refused(home, make_doc, tmp_path, capsys, running):
    raw = make_doc(version=2, payload=config_payload() | {"kiosk_id": "kiosk-A"})
    assert "kiosk-A" in assert_refused(home, tmp_path, capsys, running, raw, "wrong_kiosk")


def test_a_channel_document_without_kiosk_id_never_renames_the_kiosk(home, make_doc, tmp_path):
    payload = config_payload("channel-wide")
    assert "kiosk_id" not in payload
    apply_config(home, make_doc(version=2, kiosk_ids=(), channels=(CHANNEL,), payload=payload))
    assert read_active(home).config.kiosk_id == KIOSK_ID
    assert load_verified_config(home).config.kiosk_id == KIOSK_ID  # after a restart too
    assert kiosk(home, "config", "show", "--json") == 0


def test_deep_nesting_from_the_right_keys_is_refused_without_a_crash(home, keys, tmp_path, capsys, running):
    deep: object = 1
    for _ in range(40):  # signable (json.dumps recurses), and deeper than any configuration
        deep = {"x": deep}
    raw = raw_signed(keys, payload=with_change("devices.idcard.options", {"vendor": deep}))
    assert "nested" in assert_refused(home, tmp_path, capsys, running, raw, "malformed")
    bomb = b'{"signed": {"payload": ' + b"[" * 200_000 + b"]" * 200_000 + b"}, " + b'"signatures": []}'
    assert_refused(home, tmp_path, capsys, running, bomb, "malformed")


def test_a_deep_python_mapping_is_refused_too(home, keys):
    deep: object = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ConfigRejected) as caught:
        apply_config(home, {"signed": {"payload": deep}, "signatures": []})
    assert caught.value.reason.value == "malformed"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda raw: raw.replace(b'"site_name": "hostile"', b'"site_name": "\\ud800"'),  # lone surrogate
        lambda raw: raw.replace(b'"site_name": "hostile"', b'"site_name": "\xc3\x28"'),  # invalid UTF-8
        lambda raw: raw.replace(b'"site_name": "hostile"', b'"site_name": 1e400'),  # inf
        lambda raw: raw.replace(b'"site_name": "hostile"', b'"site_name": "x", "site_name": "y"'),
        lambda raw: raw.decode().encode("utf-16"),
        lambda raw: b"\xef\xbb\xbf" + raw,
        lambda raw: raw + b" " * (1024 * 1024),
        lambda raw: raw[: len(raw) // 2],
    ],
)
def test_encoding_and_size_attacks_are_malformed(home, make_doc, tmp_path, capsys, running, mutate):
    raw = mutate(make_doc(version=2, payload=config_payload("hostile")))
    assert_refused(home, tmp_path, capsys, running, raw, "malformed")


# -- hypothesis: whatever a holder of the right keys signs -----------------------------------------------
PATHS = ["backend.url", "backend.ca_file", "backend.read_timeout_s", "backend.retries", "face.match_threshold",
         "face.min_face_fraction", "session.idle_timeout_s", "session.warning_s", "kiosk_id", "site_name",
         "devices.idcard.url", "devices.idcard.options", "devices.idcard.baudrate", "ui.texts", "ui.screen_dpi",
         "technician.idle_logout_s", "technician.max_lockout_s", "services.traffic.enabled", "schema_version",
         "extra_field"]  # fmt: skip
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**60), 2**60), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40), st.sampled_from(["http://evil.example", "file:///etc/passwd", "/etc/passwd", "https://ok.example",
                                           "http://127.0.0.1:1", "spy://x", "socket://8.8.8.8:1", "-1", "1e400"]),
)  # fmt: skip
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                      max_size=4), max_leaves=12)  # fmt: skip
EDGES = {  # per path: values at and just beyond its bounds, so that many documents are accepted too
    "backend.url": ["https://backend.example", "http://127.0.0.1:9", "http://[::1]:1", "http://localhost.evil"],
    "backend.ca_file": [None, "ca.pem"], "backend.read_timeout_s": [0.001, 300, 300.5],
    "backend.retries": [0, 10, 11], "face.match_threshold": [0.4, 0.95, 0.39, 0.951],
    "face.min_face_fraction": [0.03, 0.5, 0.02], "session.idle_timeout_s": [30, 120, 29],
    "session.warning_s": [20, 29, 60], "kiosk_id": [KIOSK_ID, "kiosk-8"], "site_name": ["站点", ""],
    "devices.idcard.url": ["sim://idcard?instance=fuzz", "/dev/ttyS0", "/dev/../etc/passwd"],
    "devices.idcard.options": [{}, {"read_timeout": 2.5}, {"read_timeout": 0}],
    "devices.idcard.baudrate": [9600, 299], "ui.texts": [{}, {"greeting": "您好"}, {"bad key": "x"}],
    "ui.screen_dpi": [96.0, 600, 49], "technician.idle_logout_s": [30, 600, 601],
    "technician.max_lockout_s": [60, 3600, 3601], "services.traffic.enabled": [True, False],
    "schema_version": [1, 2], "extra_field": [1],
}  # fmt: skip
CHANGE = st.sampled_from(PATHS).flatmap(lambda path: st.tuples(st.just(path), st.sampled_from(EDGES[path]) | VALUES))
versions = itertools.count(2)


def assert_safe(config) -> None:
    """What no accepted document may ever put into force."""
    assert config.kiosk_id == KIOSK_ID
    url = config.backend.url
    assert url.startswith("https://") or url.startswith(("http://127.", "http://localhost", "http://[::1]"))
    assert 0.4 <= config.face.match_threshold <= 0.95
    assert config.backend.read_timeout_s > 0 and config.backend.connect_timeout_s > 0
    assert config.backend.ca_file is None and not config.backend.kiosk_key


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(CHANGE, min_size=1, max_size=3))
def test_any_signed_payload_is_applied_safely_or_refused(home, keys, changes):
    payload = config_payload("fuzz")
    for path, value in changes:
        with_change(path, value, payload)
    before = {name: (home.config_dir / name).read_bytes() for name in ("active.json", "state.json")
              if (home.config_dir / name).exists()}  # fmt: skip
    raw = raw_signed(keys, version=next(versions), payload=payload,
                     expires=(datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"))  # fmt: skip
    try:
        apply_config(home, raw)
    except ConfigRejected as rejected:
        event(f"rejected {rejected.reason.value}")
        after = {name: (home.config_dir / name).read_bytes() for name in before}
        assert after == before
        return
    event("applied")
    assert_safe(read_active(home).config)
    assert_safe(load_verified_config(home).config)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(0, 10**6), junk=st.binary(min_size=1, max_size=8))
def test_any_byte_damage_to_a_signed_document_is_refused_or_harmless(home, keys, position, junk):
    raw = bytearray(raw_signed(keys, version=next(versions),
                               expires=(datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")))  # fmt: skip
    at = position % len(raw)
    raw[at : at + len(junk)] = junk
    try:
        apply_config(home, bytes(raw))
    except ConfigRejected as rejected:
        event(f"rejected {rejected.reason.value}")
        return
    event("applied")
    assert_safe(read_active(home).config)  # the damage fell on layout the signature does not cover


def test_canonical_form_is_what_was_signed(keys):
    raw = raw_signed(keys)
    signed = json.loads(raw)["signed"]
    assert canonical_bytes(signed) == canonical_bytes(json.loads(json.dumps(signed)))

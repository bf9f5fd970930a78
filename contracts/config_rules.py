"""Structural rules for signed documents: what the kiosk refuses before trusting one and the fleet server
refuses before storing one, so both sides judge a document by the same rule.

  parse_document(raw) -> value          size, nesting depth (counted on the bytes, before any parser
                                        recursion), UTF-8, strict JSON, then check_structure
  check_structure(value)                depth, item counts, string lengths, valid Unicode (no lone
                                        surrogates), integers within +-(2^53 - 1), finite numbers
  check_version(value) -> int           1 <= version <= 2^53 - 1 (a version near 10^30 would freeze
                                        the rollback floor for ever)
  parse_expires(text) -> datetime       RFC 3339 with a time zone, as a UTC datetime
  check_expiry_horizon(expires, now, horizon)   at most `horizon` ahead (a document valid until 9999
                                        is refused)
  check_signed_document(raw, now=..., horizon=...) -> dict   all of the above for an envelope
                                        {"signed": {...}, "signatures": [...]}: what the fleet server
                                        calls on an upload (422 on RuleViolation)
  check_remote_url(url, field)          https://HOST[...]; plain http only to a loopback address
                                        (the embedded sandbox / demo: a "local" value); never file://,
                                        credentials in the URL, or control characters
  check_local_path(path, home, field)   an absolute path that stays inside the data home
  check_device_url(url, field)          a device node under /dev, a camera index, or SCHEME://...;
                                        never file:// or spy:// (which logs every byte to a file);
                                        network transports only to loopback or private LAN addresses
  check_option_paths(options, home, field)  file-like device options (..._dir, ..._file, ..._library,
                                        absolute paths) inside the data home
  check_durations(value)                every time-out, interval or *_s value positive and at most a day
Every refusal is a RuleViolation (a ValueError) with a stable `rule` code: the fleet server answers it
with 422, the kiosk reports it as "malformed" (structure) or "schema_invalid" (values).
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from contracts.canonical import MAX_DOCUMENT_BYTES, loads_strict

MAX_DEPTH = 16  # envelope > signed > payload > devices > NAME > options > ... is 6; room to spare
MAX_ITEMS = 2000  # entries in one object or array
MAX_STRING_CHARS = 8192  # a prompt text override is a few hundred characters
MAX_KEY_CHARS = 128
MAX_SAFE_INTEGER = 2**53 - 1  # what every JSON reader represents exactly (IEEE double)
MAX_SCHEMA_VERSION = 1000
DEFAULT_EXPIRY_HORIZON = timedelta(days=400)  # an annual re-signing with a month to spare
MAX_EXPIRY_HORIZON = timedelta(days=3 * 366)  # the most a trust root may configure
LOOPBACK_NAMES = frozenset({"localhost"})
MAX_DURATION_S = 86400.0
REFUSED_DEVICE_SCHEMES = frozenset({"file", "spy", "alt", "loop", "http", "https", "ftp", "data"})
NETWORK_DEVICE_SCHEMES = frozenset({"socket", "rfc2217", "cups", "ipp", "ipps"})
_DURATION_KEY = re.compile(r"(^|_)(timeout|interval)($|_)|_s$|_seconds$|^seconds$")
_PATH_KEY = re.compile(r"(^|_)(dir|directory|file|path|library)$")

# A string (possessive, and unterminated ones run to the end, so no input makes this quadratic) or a bracket.
_TOKENS = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)
_OPENERS = frozenset(b"[{")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})")


class RuleViolation(ValueError):
    """A document or value that breaks a rule; `rule` is a stable code, `message` says where and why."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule
        self.message = message


def nesting_depth(raw: bytes, stop_above: int = MAX_DEPTH) -> int:
    """The deepest nesting of objects/arrays in JSON bytes, counted without parsing (brackets inside
    strings do not count); stops counting once it exceeds `stop_above`."""
    depth = deepest = 0
    for match in _TOKENS.finditer(raw):
        first = match.group()[0]
        if first == 0x22:  # a string
            continue
        depth += 1 if first in _OPENERS else -1
        if depth > deepest:
            deepest = depth
            if deepest > stop_above:
                break
    return deepest


def parse_document(raw: bytes) -> Any:
    """Bytes as received -> the JSON value, or RuleViolation. Never recurses deeper than MAX_DEPTH."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise RuleViolation("too_large", f"{len(raw)} bytes exceed {MAX_DOCUMENT_BYTES}")
    depth = nesting_depth(raw)
    if depth > MAX_DEPTH:
        raise RuleViolation("too_deep", f"nested {depth} levels deep; at most {MAX_DEPTH}")
    try:
        value = loads_strict(raw)
    except ValueError as error:  # invalid UTF-8/JSON, duplicate keys, NaN, an integer of 4300+ digits
        raise RuleViolation("not_json", str(error)) from error
    check_structure(value)
    return value


def _check_string(text: str, where: str, limit: int) -> None:
    if len(text) > limit:
        raise RuleViolation("too_long", f"{where}: {len(text)} characters; at most {limit}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate (\ud800) parses but has no UTF-8 form
        raise RuleViolation("bad_encoding", f"{where}: not valid Unicode ({error.reason})") from error


def _check_scalar(value: Any, where: str) -> None:
    if isinstance(value, str):
        _check_string(value, where, MAX_STRING_CHARS)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise RuleViolation("bad_number", f"{where}: integer beyond +-{MAX_SAFE_INTEGER}")
    elif isinstance(value, float):
        if not math.isfinite(value):  # 1e400 parses as inf
            raise RuleViolation("bad_number", f"{where}: not a finite number")
    else:
        raise RuleViolation("not_json", f"{where}: {type(value).__name__} is not a JSON value")


def check_structure(value: Any) -> None:
    """Walk a parsed (or hand-built) JSON value iteratively; raise RuleViolation on the first problem."""
    stack: list[tuple[Any, str, int]] = [(value, "$", 1)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise RuleViolation("too_deep", f"{where}: nested deeper than {MAX_DEPTH}")
            if len(item) > MAX_ITEMS:
                raise RuleViolation("too_many_items", f"{where}: {len(item)} entries; at most {MAX_ITEMS}")
            if isinstance(item, dict):
                for key, child in item.items():
                    if not isinstance(key, str):
                        raise RuleViolation("not_json", f"{where}: object key {key!r} is not a string")
                    _check_string(key, f"{where}.{key[:40]}", MAX_KEY_CHARS)
                    stack.append((child, f"{where}.{key}", depth + 1))
            else:
                stack.extend((child, f"{where}[{index}]", depth + 1) for index, child in enumerate(item))
        else:
            _check_scalar(item, where)


def check_version(value: Any, field: str = "version") -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_SAFE_INTEGER:
        raise RuleViolation("bad_version", f"{field} must be an integer from 1 to {MAX_SAFE_INTEGER}")
    return value


def check_schema_version(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_SCHEMA_VERSION:
        raise RuleViolation("bad_version", f"schema_version must be an integer from 1 to {MAX_SCHEMA_VERSION}")
    return value


def parse_expires(text: Any) -> datetime:
    """An RFC 3339 time with a time zone ("2027-01-01T00:00:00Z") as an aware UTC datetime."""
    if not isinstance(text, str) or not _RFC3339.fullmatch(text):
        raise RuleViolation("bad_expires", "expires must be RFC 3339 with a time zone, e.g. 2027-01-01T00:00:00Z")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    except (ValueError, OverflowError) as error:  # 9999-12-31T23:59:59-01:00 overflows in UTC
        raise RuleViolation("bad_expires", f"expires {text!r}: {error}") from error


def check_expiry_horizon(expires: datetime, now: datetime, horizon: timedelta = DEFAULT_EXPIRY_HORIZON) -> None:
    if expires - now > horizon:
        raise RuleViolation(
            "expires_too_far", f"expires {expires:%Y-%m-%d}, more than {horizon.days} days ahead (re-sign instead)"
        )


def check_signed_document(
    raw: bytes, *, now: datetime | None = None, horizon: timedelta = DEFAULT_EXPIRY_HORIZON
) -> dict[str, Any]:
    """The structural rules for a whole envelope; returns the parsed document. Signatures, addressing
    and payload schema are the kiosk's to judge."""
    document = parse_document(raw)
    if not isinstance(document, dict) or set(document) != {"signed", "signatures"}:
        raise RuleViolation("not_envelope", 'a document is exactly {"signed": {...}, "signatures": [...]}')
    signed = document["signed"]
    if not isinstance(signed, dict):
        raise RuleViolation("not_envelope", "signed must be an object")
    check_version(signed.get("version"), "signed.version")
    check_schema_version(signed.get("schema_version"))
    check_expiry_horizon(parse_expires(signed.get("expires")), now or datetime.now(UTC), horizon)
    return document


def is_loopback_host(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_remote_url(url: Any, field: str) -> str:
    """https to anywhere, or http to a loopback address only (a local service such as the sandbox)."""
    if not isinstance(url, str) or not url or _CONTROL.search(url) or " " in url:
        raise RuleViolation("bad_url", f"{field}: a URL without spaces or control characters")
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port  # .port raises on a bad port number
    except ValueError as error:
        raise RuleViolation("bad_url", f"{field}: {error}") from error
    if parts.username is not None or parts.password is not None:
        raise RuleViolation("bad_url", f"{field}: credentials never travel in a URL")
    if port == 0:
        raise RuleViolation("bad_url", f"{field}: port 0")
    if parts.scheme == "https" and host:
        return url
    if parts.scheme == "http" and host and is_loopback_host(host):
        return url
    if parts.scheme == "http":
        raise RuleViolation("insecure_url", f"{field}: plain http only to a loopback address; use https://")
    raise RuleViolation("bad_url", f"{field}: must be https://HOST (or http:// to loopback), not {parts.scheme!r}")


def check_local_path(path: Any, home: Path, field: str) -> str:
    """An absolute path inside the data home (symlinks resolved), returned as given."""
    if not isinstance(path, str) or not path or _CONTROL.search(path):
        raise RuleViolation("bad_path", f"{field}: a file path without control characters")
    candidate = Path(path)
    if not candidate.is_absolute():
        raise RuleViolation("bad_path", f"{field}: must be an absolute path inside the data home {home}")
    root = Path(os.path.realpath(home))
    if not Path(os.path.realpath(candidate)).is_relative_to(root):
        raise RuleViolation("outside_home", f"{field}: {path} lies outside the data home {home}")
    return path


def _is_lan_host(host: str) -> bool:
    if is_loopback_host(host):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name could resolve anywhere; devices are addressed by IP on the kiosk's LAN
    return address.is_private and not address.is_unspecified and not address.is_multicast


def _check_device_host(rest: str, scheme: str, field: str) -> None:
    netloc, _, path = rest.partition("/")
    netloc = netloc.split("?", 1)[0]
    if scheme == "cups" and not path.strip("/"):
        return  # cups://QUEUE: a queue of the local CUPS, not a host
    if "@" in netloc:
        raise RuleViolation("bad_url", f"{field}: credentials never travel in a URL")
    host = netloc[1:].split("]", 1)[0] if netloc.startswith("[") else netloc.rsplit(":", 1)[0]
    if host and not _is_lan_host(host):
        raise RuleViolation("bad_url", f"{field}: a network device must be on loopback or a private LAN address")


def check_device_url(url: Any, field: str) -> str:
    if not isinstance(url, str) or not url or _CONTROL.search(url) or len(url) > 512:
        raise RuleViolation("bad_url", f"{field}: a device URL of at most 512 characters, no control characters")
    if url.isdigit():  # a camera index
        return url
    if url.startswith("/"):
        if not url.startswith("/dev/") or "/../" in url or url.endswith("/.."):
            raise RuleViolation("bad_url", f"{field}: a device path must name a node under /dev/")
        return url
    scheme, separator, rest = url.partition("://")
    scheme = scheme.lower()
    if not separator or not re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme):
        raise RuleViolation("bad_url", f"{field}: expected /dev/NODE, an index or SCHEME://...")
    if scheme in REFUSED_DEVICE_SCHEMES:
        raise RuleViolation("bad_url", f"{field}: {scheme}:// is not a device transport")
    if scheme in NETWORK_DEVICE_SCHEMES:
        _check_device_host(rest, scheme, field)
    return url


def check_option_paths(options: Any, home: Path | None, field: str) -> None:
    """File-like values in device options (nested too) must lie inside the data home."""
    stack: list[tuple[Any, str, str]] = [(options, field, "")]
    while stack:
        value, where, key = stack.pop()
        if isinstance(value, dict):
            stack.extend((v, f"{where}.{k}", str(k).lower()) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{where}[{i}]", key) for i, v in enumerate(value))
        elif isinstance(value, str) and (_PATH_KEY.search(key) or value.startswith(("/", "~", "file:"))):
            if home is None:
                raise RuleViolation("outside_home", f"{where}: file references need the data home to check them")
            check_local_path(value, home, where)


def check_durations(value: Any, field: str = "$") -> None:
    """Every number under a time-like key (..._s, ..._seconds, timeout, interval) is in (0, one day]."""
    stack: list[tuple[Any, str, str]] = [(value, field, "")]
    while stack:
        item, where, key = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, f"{where}.{k}", str(k).lower()) for k, v in item.items())
        elif isinstance(item, list | tuple):
            stack.extend((v, f"{where}[{i}]", key) for i, v in enumerate(item))
        elif isinstance(item, int | float) and not isinstance(item, bool) and _DURATION_KEY.search(key):
            if not (math.isfinite(item) and 0 < item <= MAX_DURATION_S):
                raise RuleViolation(
                    "bad_duration", f"{where}: a duration must be positive and at most {MAX_DURATION_S:g} s"
                )

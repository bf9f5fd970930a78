"""Hostile requests from a server's OpenAPI document, for property-based tests over every route.

Each operation gets bodies drawn either from its own schema (tests.server.schema_strategies: well-formed, so the
route's logic runs) or from a hostile JSON generator (huge and odd strings, integers beyond 2**63, NaN and
Infinity literals, deep nesting, wrong types), path parameters likewise, with or without credentials. Every
answer must be: not a 5xx, small, quick, in the one error shape when it is an error, and free of the input.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

import requests
from hypothesis import strategies as st

from tests.server.schema_strategies import from_schema

MAX_ANSWER_BYTES = 256 * 1024
MAX_SECONDS = 5.0
MARKER = "HOSTILE-MARKER-7f3a9c"  # planted in hostile strings: an error answer must never contain it


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    path_params: tuple[str, ...]
    body_schema: dict[str, Any] | None

    def __repr__(self) -> str:
        return f"{self.method} {self.path}"


def operations(openapi: dict[str, Any], skip: tuple[str, ...] = ()) -> list[Operation]:
    found = []
    for path, methods in sorted(openapi["paths"].items()):
        if path.startswith(skip):
            continue
        for method, spec in sorted(methods.items()):
            params = tuple(p["name"] for p in spec.get("parameters", []) if p["in"] == "path")
            content = spec.get("requestBody", {}).get("content", {}).get("application/json", {})
            schema = content.get("schema")
            body = {**schema, "components": openapi.get("components", {})} if schema else None
            found.append(Operation(method.upper(), path, params, body))
    return found


_hostile_text = st.one_of(
    st.text(max_size=40),
    st.just(MARKER * 2000),  # 44 KB
    st.sampled_from(["", " ", "\x00", "../../etc/passwd", "'; DROP TABLE kiosks; --", "%00", "\u202e", "١٢٣"]),
    st.text(alphabet="0123456789X", min_size=15, max_size=20),
).map(lambda text: text if MARKER in text or len(text) < 4 else text + MARKER)
_numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 2**53 + 1, 2**63, 10**30, 1e308]),
)  # fmt: skip
_scalars = st.one_of(st.none(), st.booleans(), _numbers, _hostile_text)
hostile_json = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=6), st.dictionaries(_hostile_text, children, max_size=6)
    ),
    max_leaves=30,
)


def deeply_nested(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


@st.composite
def bodies(draw: st.DrawFn, operation: Operation) -> bytes | None:
    if operation.method in ("GET", "DELETE") and draw(st.booleans()):
        return None
    choice = draw(st.integers(0, 9))
    if operation.body_schema is not None and choice < 5:
        value = draw(from_schema(operation.body_schema))
    elif choice == 9:
        return draw(st.sampled_from([deeply_nested(5000), b"{", b"\xff\xfe", b"[" * 100_000, b'{"a":1e999999}',
                                     b'{"token": 1e999999, "kiosk_id": "A"}', b"NaN"]))  # fmt: skip
    else:
        value = draw(hostile_json)
    return json.dumps(value, allow_nan=True).encode()


def path_value(draw: st.DrawFn, valid: str) -> str:
    text = draw(st.one_of(st.just(valid), _hostile_text, st.integers(-(2**70), 2**70).map(str)))
    return urllib.parse.quote(text, safe="") or "x"


def send(base_url: str, operation: Operation, path: str, body: bytes | None, headers: dict[str, str]) -> None:
    """One request; assert the answer holds under hostile input."""
    started = time.monotonic()
    response = requests.request(operation.method, base_url + path, data=body, timeout=MAX_SECONDS * 2,
                                headers={"Content-Type": "application/json", **headers})  # fmt: skip
    elapsed = time.monotonic() - started
    assert response.status_code < 500, f"{operation} -> {response.status_code}: {response.text[:300]}"
    assert elapsed < MAX_SECONDS, f"{operation} took {elapsed:.1f} s"
    assert len(response.content) <= MAX_ANSWER_BYTES, f"{operation} answered {len(response.content)} bytes"
    if response.status_code >= 400:
        assert_error_shape(response)


def assert_error_shape(response: requests.Response) -> None:
    body = response.json()
    assert set(body) == {"code", "message"}, body
    assert isinstance(body["code"], str) and isinstance(body["message"], str) and len(body["message"]) <= 300
    assert MARKER not in response.text, "the error echoes the input"

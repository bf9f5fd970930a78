"""Hypothesis strategies from the JSON schemas pydantic writes into OpenAPI: objects, strings (lengths,
patterns, formats), integers and numbers with bounds, booleans, arrays, maps, anyOf, enum/const and local
$refs. Small on purpose (hypothesis-jsonschema does not work with current Hypothesis); anything it does
not know becomes arbitrary JSON, which a hostile-input test wants anyway.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)


def from_schema(schema: dict[str, Any], root: dict[str, Any] | None = None, depth: int = 0) -> st.SearchStrategy:
    root = root or schema
    if depth > 8:
        return st.none()
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return from_schema(target, root, depth + 1)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([from_schema(option, root, depth + 1) for option in schema[key]])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return from_schema(schema["allOf"][0], root, depth + 1)
    kind = schema.get("type")
    if kind == "object":
        return _object(schema, root, depth)
    if kind == "array":
        items = from_schema(schema.get("items", {}), root, depth + 1)
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=min(schema.get("maxItems", 5), 5))
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        return st.integers(min_value=_low(schema), max_value=_high(schema))
    if kind == "number":
        return st.floats(min_value=_low(schema), max_value=_high(schema), allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return _ANY_JSON


def _low(schema: dict[str, Any]) -> Any:
    if "exclusiveMinimum" in schema:
        return schema["exclusiveMinimum"] + (1 if schema.get("type") == "integer" else 1e-9)
    return schema.get("minimum")


def _high(schema: dict[str, Any]) -> Any:
    if "exclusiveMaximum" in schema:
        return schema["exclusiveMaximum"] - (1 if schema.get("type") == "integer" else 1e-9)
    return schema.get("maximum")


def _string(schema: dict[str, Any]) -> st.SearchStrategy:
    low, high = schema.get("minLength", 0), min(schema.get("maxLength", 40), 40)
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True).filter(lambda text: low <= len(text) <= high)
    if schema.get("format") == "date-time":
        return st.datetimes().map(lambda moment: moment.isoformat() + "Z")
    if schema.get("format") == "date":
        return st.dates().map(lambda day: day.isoformat())
    return st.text(min_size=low, max_size=max(low, high))


@st.composite
def _object(draw: st.DrawFn, schema: dict[str, Any], root: dict[str, Any], depth: int) -> dict[str, Any]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", ()))
    out = {}
    for name, subschema in properties.items():
        if name in required or draw(st.booleans()):
            out[name] = draw(from_schema(subschema, root, depth + 1))
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        keys = st.text(min_size=1, max_size=12)
        out |= draw(st.dictionaries(keys, from_schema(extra, root, depth + 1), max_size=3))
    return out

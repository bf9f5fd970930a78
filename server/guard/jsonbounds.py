"""Bounds on parsed JSON that a schema alone does not give: nesting depth, integers a JavaScript or
float reader keeps exactly (|n| <= 2**53), finite numbers only."""

from __future__ import annotations

import math
from typing import Any

MAX_SAFE_INTEGER = 2**53


class JsonTooComplex(ValueError):
    """Deeper than allowed, or holding a number outside the safe range."""


def check_json(value: Any, max_depth: int = 32) -> None:
    """Walk without recursion; raise JsonTooComplex on depth > max_depth, huge ints or non-finite floats."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > max_depth:
                raise JsonTooComplex(f"nested deeper than {max_depth} levels")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int) and abs(item) > MAX_SAFE_INTEGER:
            raise JsonTooComplex("integer outside +-2**53")
        elif isinstance(item, float) and not math.isfinite(item):
            raise JsonTooComplex("non-finite number")

"""Notifying properties for view models without boilerplate: one changed-signal per property, set by name.

    class Model(StateObject):
        fields = {"digits": str, "complete": bool}

QML reads `model.digits` and re-renders on `digitsChanged`; Python calls `model.update(digits="1")`, which
emits only for values that really changed.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Property, QObject, Signal

_DEFAULTS: dict[Any, Any] = {str: "", bool: False, int: 0, float: 0.0, list: [], dict: {}}
_QT_TYPES: dict[Any, Any] = {list: "QVariantList", dict: "QVariantMap"}


def _make(name: str, kind: Any, signal: Signal) -> Property:
    return Property(_QT_TYPES.get(kind, kind), lambda self: self._state[name], notify=signal)


class _StateMeta(type(QObject)):  # type: ignore[misc]
    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
        for field, kind in namespace.get("fields", {}).items():
            signal = Signal()
            namespace[f"{field}Changed"] = signal
            namespace[field] = _make(field, kind, signal)
        return super().__new__(mcs, name, bases, namespace)


class StateObject(QObject, metaclass=_StateMeta):
    fields: ClassVar[dict[str, Any]] = {}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state: dict[str, Any] = {}
        for klass in reversed(type(self).__mro__):
            for field, kind in getattr(klass, "fields", {}).items():
                default = _DEFAULTS.get(kind)
                self._state[field] = default.copy() if isinstance(default, list | dict) else default

    def update(self, **values: Any) -> None:
        for name, value in values.items():
            if name not in self._state:
                raise AttributeError(f"{type(self).__name__} has no state {name!r}")
            if self._state[name] != value or type(self._state[name]) is not type(value):
                self._state[name] = value
                getattr(self, f"{name}Changed").emit()

    def get(self, name: str) -> Any:
        return self._state[name]

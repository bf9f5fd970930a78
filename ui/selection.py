"""The traffic violations on screen and which are chosen: every eligible one chosen at first (the usual wish),
the total of the chosen ones, submitted as select_items(ids). Wiped with the session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Slot

from ui.qobject_state import StateObject


class ItemSelection(StateObject):
    fields = {"items": list, "count": int, "totalCents": int, "points": int, "canSubmit": bool}

    def __init__(self, send: Callable[..., None]) -> None:
        super().__init__()
        self._send = send
        self._items: list[dict[str, Any]] = []
        self._chosen: set[str] = set()
        self._allowed = False

    def show_view(self, data: dict[str, Any], intents: list[str]) -> None:
        items = [dict(item) for item in data.get("items", [])]
        ids = [str(item["id"]) for item in items]
        if ids != [str(item["id"]) for item in self._items]:  # a new list: choose every eligible one
            self._chosen = {str(item["id"]) for item in items if item.get("eligible", True)}
        self._items, self._allowed = items, "select_items" in intents
        self._refresh()

    def reset(self) -> None:
        self._items, self._chosen, self._allowed = [], set(), False
        self._refresh()

    def selected_ids(self) -> list[str]:
        return [str(item["id"]) for item in self._items if str(item["id"]) in self._chosen]

    @Slot(str)
    def toggle(self, item_id: str) -> None:
        item = next((item for item in self._items if str(item["id"]) == item_id), None)
        if item is None or not item.get("eligible", True):
            return
        self._chosen ^= {item_id}
        self._refresh()

    @Slot()
    def submit(self) -> None:
        if self.get("canSubmit"):
            self._send("select_items", ids=self.selected_ids())

    def _refresh(self) -> None:
        chosen = [item for item in self._items if str(item["id"]) in self._chosen]
        rows = [{**item, "id": str(item["id"]), "chosen": str(item["id"]) in self._chosen} for item in self._items]
        cents = sum(int(item.get("fine_cents", 0)) + int(item.get("late_fee_cents", 0)) for item in chosen)
        self.update(items=rows, count=len(chosen), totalCents=cents,
                    points=sum(int(item.get("points", 0)) for item in chosen),
                    canSubmit=bool(chosen) and self._allowed)  # fmt: skip

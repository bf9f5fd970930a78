"""Choose a purpose, select traffic violations, confirm the details (values arrive masked from the flow)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk.flows.base import FlowView, StepKind
from ui.i18n import yuan
from ui.screens.base import Screen, ScreenContext
from ui.widgets import clear_layout, make_button, make_label


class ChoosePurposeScreen(Screen):
    step = StepKind.CHOOSE_PURPOSE

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.grid = QGridLayout()
        self.grid.setSpacing(ctx.theme.px(4))
        self.layout_.addLayout(self.grid)
        self.layout_.addStretch(1)
        self.buttons: dict[str, object] = {}

    def render(self, view: FlowView) -> None:
        super().render(view)
        self._clear()
        for index, purpose in enumerate(view.data.get("purposes", [])):
            button = make_button("choice", big=True)
            button.setText(self.tr.text_or(f"purpose.{purpose}", purpose))
            button.clicked.connect(lambda _=False, p=purpose: self.send("submit_purpose", purpose=p))
            self.grid.addWidget(button, index // 2, index % 2)
            self.buttons[purpose] = button

    def retranslate(self, *args: object) -> None:
        for purpose, button in self.buttons.items():
            button.setText(self.tr.text_or(f"purpose.{purpose}", purpose))

    def _clear(self) -> None:
        self._bindings.clear()
        self.buttons.clear()
        clear_layout(self.grid)

    def reset(self) -> None:
        super().reset()
        self._clear()


class ItemRow(QFrame):
    """One violation: a big check button, what happened, the fine, late fee and points, or why not here."""

    def __init__(self, screen: Screen, item: dict) -> None:
        super().__init__()
        self.setObjectName("itemRow")
        self.item_id = str(item["id"])
        self.eligible = bool(item.get("eligible", True))
        row = QHBoxLayout(self)
        pad = screen.ctx.theme.px(2)
        row.setContentsMargins(pad, pad, pad, pad)
        row.setSpacing(screen.ctx.theme.px(3))
        self.check = make_button("item", checkable=True)
        self.check.setFixedWidth(screen.ctx.theme.touch_px + screen.ctx.theme.px(4))
        self.check.setEnabled(self.eligible)
        self.check.toggled.connect(lambda on: self.check.setText("✔" if on else ""))
        row.addWidget(self.check)
        texts = QVBoxLayout()
        title = make_label("", align=Qt.AlignmentFlag.AlignLeft)
        title.setText(str(item.get("title", "")))
        detail = make_label("small", align=Qt.AlignmentFlag.AlignLeft)
        detail.setText(str(item.get("detail", "")))
        money = make_label("small", align=Qt.AlignmentFlag.AlignLeft)
        screen.bind(
            money,
            "items.line",
            fine=lambda tr: tr.text("items.fine", yuan=yuan(int(item.get("fine_cents", 0)))),
            late=lambda tr: (
                tr.text("items.late_fee", yuan=yuan(int(item.get("late_fee_cents", 0))))
                if item.get("late_fee_cents")
                else ""
            ),
            points=lambda tr: tr.text("items.points", n=item.get("points", 0)),
        )
        for label in (title, detail, money):
            texts.addWidget(label)
        if not self.eligible:
            reason = make_label("error", align=Qt.AlignmentFlag.AlignLeft)
            screen.bind(reason, item.get("reason_key") or "status.unavailable")
            texts.addWidget(reason)
        row.addLayout(texts, 1)

    def mousePressEvent(self, event) -> None:
        if self.eligible:
            self.check.toggle()
        event.accept()


class SelectItemsScreen(Screen):
    step = StepKind.SELECT_ITEMS

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.points_total = make_label("hint")
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.list_host = QWidget()
        self.list = QVBoxLayout(self.list_host)
        self.list.setSpacing(ctx.theme.px(3))
        self.scroll.setWidget(self.list_host)
        self.summary = make_label("prompt")
        self.submit = make_button("primary")
        self.submit.clicked.connect(self._submit)
        for widget in (self.points_total, self.scroll, self.summary, self.submit):
            self.layout_.addWidget(widget, 1 if widget is self.scroll else 0)
        self.bind(self.submit, "btn.next")
        self.rows: list[ItemRow] = []

    def render(self, view: FlowView) -> None:
        super().render(view)
        self._clear()
        for item in view.data.get("items", []):
            row = ItemRow(self, item)
            row.check.setChecked(row.eligible)  # the usual wish: handle everything that can be handled here
            row.check.toggled.connect(self._update)
            self.list.addWidget(row)
            self.rows.append(row)
        self.list.addStretch(1)
        points = view.data.get("points_total")
        self.points_total.setVisible(points is not None)
        if points is not None:
            self.bind(self.points_total, "items.points_total", n=points)
        self._update()

    def selected_ids(self) -> list[str]:
        return [row.item_id for row in self.rows if row.check.isChecked()]

    def _update(self, *_args: object) -> None:
        items = {str(item["id"]): item for item in (self.view.data.get("items", []) if self.view else [])}
        chosen = [items[item_id] for item_id in self.selected_ids() if item_id in items]
        cents = sum(int(i.get("fine_cents", 0)) + int(i.get("late_fee_cents", 0)) for i in chosen)
        points = sum(int(i.get("points", 0)) for i in chosen)
        if chosen:
            self.bind(self.summary, "items.total", count=len(chosen), yuan=yuan(cents), points=points)
        else:
            self.bind(self.summary, "items.none_selected")
        self.submit.setEnabled(bool(chosen) and self.view is not None and "select_items" in self.view.intents)

    def _submit(self) -> None:
        self.send("select_items", ids=self.selected_ids())

    def _clear(self) -> None:
        for row in self.rows:
            for label in row.findChildren(QWidget):
                self.unbind(label)
        self.rows.clear()
        clear_layout(self.list)

    def reset(self) -> None:
        super().reset()
        self._clear()
        self.summary.clear()


class ConfirmScreen(Screen):
    step = StepKind.CONFIRM

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.fields_host = QFrame()
        self.fields_host.setObjectName("overlayPanel")
        self.fields = QGridLayout(self.fields_host)
        self.fields.setContentsMargins(ctx.theme.px(4), ctx.theme.px(4), ctx.theme.px(4), ctx.theme.px(4))
        self.fields.setVerticalSpacing(ctx.theme.px(3))
        self.amount_label, self.amount = make_label("prompt"), make_label("huge")
        self.confirm = make_button("primary")
        self.confirm.clicked.connect(lambda: self.send("confirm"))
        self.layout_.addWidget(self.fields_host)
        self.layout_.addStretch(1)
        for widget in (self.amount_label, self.amount, self.confirm):
            self.layout_.addWidget(widget)
        self.bind(self.amount_label, "confirm.amount")
        self.bind(self.confirm, "btn.confirm")

    def render(self, view: FlowView) -> None:
        super().render(view)
        self._clear()
        for row, (label_key, value, *unit) in enumerate(view.data.get("fields", [])):
            unit_key = unit[0] if unit else ""
            name = make_label("hint", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.bind(name, label_key)
            shown = make_label("prompt", align=Qt.AlignmentFlag.AlignLeft)
            self.bind(shown, "text.raw", v=lambda tr, v=str(value), u=unit_key: tr.text_or(f"purpose.{v}", v)
                      + (" " + tr.text(u) if u else ""))  # fmt: skip
            self.fields.addWidget(name, row, 0)
            self.fields.addWidget(shown, row, 1)
        self.fields.setColumnStretch(1, 1)
        cents = int(view.data.get("amount_cents", 0))
        if cents:
            self.amount.setText(f"¥{yuan(cents)}")
            self.unbind(self.amount)
        else:
            self.bind(self.amount, "confirm.free")
        self.confirm.setEnabled("confirm" in view.intents)

    def _clear(self) -> None:
        for index in range(self.fields.count()):
            self.unbind(self.fields.itemAt(index).widget())
        clear_layout(self.fields)

    def reset(self) -> None:
        super().reset()
        self._clear()
        self.amount.clear()
        self.unbind(self.amount)

"""Working (spinner and stage), done (take your documents) and failed (what to do next, in plain words)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout

from kiosk.flows.base import FlowView, StepKind
from ui.i18n import Translator
from ui.screens.base import Screen, ScreenContext
from ui.widgets import Spinner, make_button, make_label


class WorkingScreen(Screen):
    step = StepKind.WORKING
    shows_own_busy = True

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.spinner = Spinner(ctx.theme)
        self.stage, self.wait = make_label("prompt"), make_label("huge")
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.spinner, 0, Qt.AlignmentFlag.AlignHCenter)
        self.layout_.addWidget(self.stage)
        self.layout_.addWidget(self.wait)
        self.layout_.addStretch(2)
        self.bind(self.wait, "working.wait")

    def render(self, view: FlowView) -> None:
        super().render(view)
        self.bind(self.stage, view.data.get("stage_key") or "busy.wait")


def _take_list(keys: list[str]):
    def join(tr: Translator) -> str:
        return tr.text("take.separator").join(tr.text(key) for key in keys)

    return join


class DoneScreen(Screen):
    step = StepKind.DONE

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.mark, self.take = make_label("mark"), make_label("title")
        self.document, self.number, self.receipt = make_label("prompt"), make_label("prompt"), make_label("hint")
        self.mark.setText("✔")
        self.finish = make_button("primary", big=True)
        self.finish.clicked.connect(lambda: self.send("finish"))
        self.layout_.addStretch(1)
        for widget in (self.mark, self.take, self.document, self.number, self.receipt):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.finish)
        self.bind(self.finish, "btn.finish")
        self.bind(self.receipt, "done.receipt")

    def render(self, view: FlowView) -> None:
        super().render(view)
        data = view.data
        take = list(data.get("take_items", []))
        self.take.setVisible(bool(take))
        if take:
            self.bind(self.take, "done.take", items=_take_list(take))
        self.bind(self.document, data.get("document_key") or "prompt.done")
        number = data.get("document_number")
        self.number.setVisible(bool(number))
        if number:
            self.bind(self.number, "done.number", number=number)
        self.receipt.setVisible(bool(data.get("receipt")))

    def reset(self) -> None:
        super().reset()
        for label in (self.take, self.document, self.number):
            self.unbind(label)
            label.clear()


class FailedScreen(Screen):
    step = StepKind.FAILED

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.mark, self.error, self.next = make_label("mark"), make_label("title"), make_label("prompt")
        self.mark.setProperty("tone", "error")
        self.mark.setText("!")
        self.finish, self.retry = make_button("primary", big=True), make_button(big=True)
        self.finish.clicked.connect(lambda: self.send("finish"))
        self.retry.clicked.connect(lambda: self.send("retry"))
        self.layout_.addStretch(1)
        for widget in (self.mark, self.error, self.next):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry)
        buttons.addWidget(self.finish)
        self.layout_.addLayout(buttons)
        self.bind(self.finish, "btn.finish")
        self.bind(self.retry, "btn.retry")

    def render(self, view: FlowView) -> None:
        super().render(view)
        data = view.data
        self.bind(self.error, "failed.error", text=lambda tr: tr.text(f"error.{data.get('error_code', 'internal')}"))
        self.bind(self.next, "failed.next", text=lambda tr: tr.text(data.get("next_key") or "next.call_staff"))
        self.retry.setVisible("retry" in view.intents)

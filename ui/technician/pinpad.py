"""The technician login pad: PIN digits, a TOTP code when one is provisioned, and the lock-out countdown."""

from __future__ import annotations

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.technician.auth import PIN_MAX, LoginResult, TechnicianAuth
from ui.technician.runner import TaskResult, TaskRunner
from ui.technician.style import button

TOTP_DIGITS = 6
PAD_WIDTH_PX = 760


def format_wait(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


class PinPad(QWidget):
    """Emits `accepted` after a successful login (the session is then open in `auth`), `cancelled` on back."""

    accepted = Signal()
    cancelled = Signal()

    def __init__(self, auth: TechnicianAuth, pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.auth = auth
        self.runner = TaskRunner(pool, self)
        self.runner.finished.connect(self._on_result)
        self.title = QLabel("技术维护登录 Technician login")
        self.title.setProperty("role", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin = self._field("PIN")
        self.code = self._field("验证码 TOTP code")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setProperty("role", "error")
        self.active = self.pin
        self._lock_timer = QTimer(self, interval=1000)
        self._lock_timer.timeout.connect(self.update_lock_message)
        panel = QWidget()  # a pad of a hand's width in the middle of the screen, whatever its size
        panel.setMaximumWidth(PAD_WIDTH_PX)
        layout = QVBoxLayout(panel)
        for widget in (self.title, self.pin, self.code, self.message):
            layout.addWidget(widget)
        layout.addLayout(self._keypad())
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(panel, 10)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.reset()

    def _field(self, placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setPlaceholderText(placeholder)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setReadOnly(True)  # typed through the pad (or the keyboard via keyPressEvent)
        field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        field.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return field

    def _keypad(self) -> QGridLayout:
        grid = QGridLayout()
        self.keys = {}
        for index, key in enumerate("1234567890"):
            key_button = button(key, "key")
            key_button.clicked.connect(lambda _=False, k=key: self.press(k))
            self.keys[key] = key_button
            grid.addWidget(key_button, index // 3 if key != "0" else 3, index % 3 if key != "0" else 1)
        self.back = button("退出 Back", "danger")
        self.delete = button("⌫", "key")
        self.next_field = button("验证码 Code")
        self.ok = button("确定 OK", "primary")
        self.back.clicked.connect(self.cancel)
        self.delete.clicked.connect(self.backspace)
        self.next_field.clicked.connect(self.switch_field)
        self.ok.clicked.connect(self.submit)
        grid.addWidget(self.delete, 3, 0)
        grid.addWidget(self.next_field, 3, 2)
        grid.addWidget(self.back, 4, 0)
        grid.addWidget(self.ok, 4, 1, 1, 2)
        return grid

    # -- input -------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Fresh pad: empty fields, TOTP field only when a second factor is provisioned."""
        self.pin.clear()
        self.code.clear()
        self.active = self.pin
        needs_code = self.auth.second_factor_required
        self.code.setVisible(needs_code)
        self.next_field.setVisible(needs_code)
        self.message.clear()
        self.update_lock_message()

    def press(self, key: str) -> None:
        limit = PIN_MAX if self.active is self.pin else TOTP_DIGITS
        if len(self.active.text()) < limit:
            self.active.setText(self.active.text() + key)

    def backspace(self) -> None:
        self.active.setText(self.active.text()[:-1])

    def switch_field(self) -> None:
        self.active = self.code if self.active is self.pin and self.code.isVisible() else self.pin

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.text().isdigit():
            self.press(event.text())
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif event.key() == Qt.Key.Key_Backspace:
            self.backspace()
        elif event.key() == Qt.Key.Key_Tab:
            self.switch_field()
        else:
            super().keyPressEvent(event)

    def cancel(self) -> None:
        self.reset()
        self.cancelled.emit()

    # -- login -------------------------------------------------------------------------------------
    def submit(self) -> None:
        if self.code.isVisible() and self.active is self.pin and not self.code.text():
            self.switch_field()  # OK after the PIN moves on to the code
            return
        pin, code = self.pin.text(), self.code.text() or None
        self.pin.clear()
        self.code.clear()
        self.active = self.pin
        self.ok.setEnabled(False)
        self.message.setText("正在验证… Checking…")
        self.runner.run("login", lambda: self.auth.login(pin, code))

    def _on_result(self, result: TaskResult) -> None:
        self.ok.setEnabled(True)
        if result.error is not None:
            self.message.setText(f"登录失败 Login failed: {type(result.error).__name__}")
            return
        outcome: LoginResult = result.value
        if outcome.ok:
            self.message.clear()
            self.accepted.emit()
        elif outcome.reason == "locked":
            self.update_lock_message()
        elif outcome.reason == "not_provisioned":
            self.message.setText("未设置维护PIN No technician PIN set: run `kiosk diag set-pin`")
        else:
            self.message.setText(f"PIN 或验证码错误 Wrong PIN or code ({outcome.failures} failed)")

    def update_lock_message(self) -> None:
        """While locked: show the time remaining and refuse input; afterwards clear the message."""
        remaining = self.auth.locked_for()
        locked = remaining > 0
        for key in (*self.keys.values(), self.ok, self.delete):
            key.setEnabled(not locked)
        if locked:
            self.message.setText(f"已锁定 Locked: try again in {format_wait(remaining)}")
            if not self._lock_timer.isActive():
                self._lock_timer.start()
        elif self._lock_timer.isActive():
            self._lock_timer.stop()
            self.message.clear()

"""The Devices tab: every device with state, detail, last error and counters; self-test and test actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.technician import ActionResult, DeviceInfo, SelfTestResult, TechnicianService
from kiosk.technician.selftest import PRINTER_KINDS
from ui.technician.runner import TaskResult, TaskRunner
from ui.technician.style import STATE_COLOURS, button

COLUMNS = ("设备 Device", "类型 Kind", "状态 State", "详情 Detail", "最近错误 Last error", "计数 Counters")
DETAIL_COLUMN, COUNTERS_COLUMN = 3, 5


def _join(mapping: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in mapping.items())


def describe_self_test(result: SelfTestResult) -> str:
    checks = "; ".join(
        f"{c.name} {'skip' if c.skipped else 'ok' if c.passed else 'FAIL'}"
        + (f" ({c.detail})" if c.detail and not c.passed else "")
        for c in result.checks
    )
    return f"{result.device}: {'通过 PASS' if result.passed else '失败 FAIL'} — {checks}"


def describe_action(result: ActionResult) -> str:
    if not result.ok:
        return f"{result.device} {result.action}: 失败 FAIL [{result.code}] {result.message}"
    text = result.message or _join(result.detail)
    return f"{result.device} {result.action}: 成功 OK {text}"


class DevicesTab(QWidget):
    def __init__(self, service: TechnicianService, pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.runner = TaskRunner(pool, self)
        self.runner.finished.connect(self._on_result)
        self.devices: list[DeviceInfo] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)  # detail and counters wrap at ", " so every column stays on screen
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            stretch = column in (DETAIL_COLUMN, COUNTERS_COLUMN)
            header.setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.ResizeToContents
            )
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.refresh_button = button("刷新 Refresh")
        self.self_test_button = button("自检 Self-test", "primary")
        self.self_test_all_button = button("全部自检 Test all")
        self.read_button = button("读卡测试 Test read")
        self.print_button = button("打印测试 Test print")
        self.photo_button = button("拍照测试 Test photo")
        self.reconnect_button = button("重新连接 Reconnect")
        self._wire()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        grid = QGridLayout()
        for index, widget in enumerate(self._buttons()):
            grid.addWidget(widget, index // 4, index % 4)
        layout.addLayout(grid)
        layout.addWidget(self.result)
        self._update_buttons()

    def _buttons(self) -> tuple[Any, ...]:
        return (
            self.refresh_button, self.self_test_button, self.self_test_all_button, self.reconnect_button,
            self.read_button, self.print_button, self.photo_button,
        )  # fmt: skip

    def _wire(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        self.self_test_button.clicked.connect(self.run_self_test)
        self.self_test_all_button.clicked.connect(self.run_self_test_all)
        self.read_button.clicked.connect(self.run_test_read)
        self.print_button.clicked.connect(self.run_test_print)
        self.photo_button.clicked.connect(self.run_test_photo)
        self.reconnect_button.clicked.connect(self.run_reconnect)

    # -- table ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._start("list", lambda: self.service.list_devices(refresh=True), "正在查询 Querying devices…")

    def show_devices(self, devices: list[DeviceInfo]) -> None:
        selected = self.selected_name()
        self.devices = devices
        self.table.setRowCount(len(devices))
        for row, info in enumerate(devices):
            counters = _join({**info.counters, **{f"{k}_used": v for k, v in info.consumables.items()}})
            cells = (info.name, info.kind, info.state, _join(info.detail), info.last_error or "", counters)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                item.setToolTip(str(text))
                if column == 2:
                    item.setForeground(QColor(STATE_COLOURS.get(info.state, "#1a1a1a")))
                self.table.setItem(row, column, item)
            if info.name == selected:
                self.table.selectRow(row)
        self.table.resizeRowsToContents()
        self._update_buttons()

    def state_of(self, name: str) -> str | None:
        return next((d.state for d in self.devices if d.name == name), None)

    def select(self, name: str) -> None:
        for row, info in enumerate(self.devices):
            if info.name == name:
                self.table.selectRow(row)

    def selected(self) -> DeviceInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.devices[rows[0].row()] if rows and rows[0].row() < len(self.devices) else None

    def selected_name(self) -> str | None:
        info = self.selected()
        return info.name if info else None

    def _update_buttons(self) -> None:
        info, idle = self.selected(), self.runner.pending == 0
        kind = info.kind if info else ""
        self.self_test_button.setEnabled(idle and info is not None)
        self.reconnect_button.setEnabled(idle and info is not None and info.driver)
        self.read_button.setEnabled(idle and kind == "idcard")
        self.print_button.setEnabled(idle and kind in PRINTER_KINDS)
        self.photo_button.setEnabled(idle and kind == "camera")
        self.self_test_all_button.setEnabled(idle)
        self.refresh_button.setEnabled(idle)

    # -- actions -------------------------------------------------------------------------------------
    def _start(self, tag: str, fn: Callable[[], Any], message: str) -> None:
        self.result.setProperty("role", "")
        self.result.setText(message)
        self.runner.run(tag, fn)
        self._update_buttons()

    def _on_selected(self, tag: str, message: str, call: Callable[[str], Any]) -> None:
        name = self.selected_name()
        if name is not None:
            self._start(tag, lambda: call(name), f"{name}: {message}")

    def run_self_test(self) -> None:
        self._on_selected("self_test", "自检中 self-test running…", self.service.self_test)

    def run_self_test_all(self) -> None:
        self._start("self_test_all", self.service.self_test_all, "全部自检中 Testing every device…")

    def run_test_read(self) -> None:
        self._on_selected("action", "请放置身份证 Place an ID card…", self.service.test_read)

    def run_test_print(self) -> None:
        self._on_selected("action", "打印中 printing a test page…", self.service.test_print)

    def run_test_photo(self) -> None:
        self._on_selected("action", "拍照中 taking one frame…", self.service.test_photo)

    def run_reconnect(self) -> None:
        self._on_selected("action", "重新连接中 reconnecting…", self.service.reconnect)

    def _on_result(self, result: TaskResult) -> None:
        self._update_buttons()
        if result.error is not None:
            self._show(f"错误 Error: {type(result.error).__name__}: {result.error}", ok=False)
            return
        if result.tag in ("list", "relist"):
            self.show_devices(result.value)
            if result.tag == "list":
                self.result.setText("")
            return
        if result.tag == "self_test":
            self._show(describe_self_test(result.value), ok=result.value.passed)
        elif result.tag == "self_test_all":
            self._show("\n".join(describe_self_test(r) for r in result.value), ok=all(r.passed for r in result.value))
        else:
            self._show(describe_action(result.value), ok=result.value.ok)
        self.runner.run("relist", self.service.list_devices)  # states and counters changed
        self._update_buttons()

    def _show(self, text: str, ok: bool) -> None:
        self.result.setProperty("role", "ok" if ok else "error")
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)
        self.result.setText(text)

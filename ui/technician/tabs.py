"""The Counters, Ports, Logs and Service tabs of the technician screen."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.technician import TARGETS, TechnicianService
from ui.technician.runner import TaskResult, TaskRunner
from ui.technician.style import button

TARGET_LABELS = {
    "kiosk": "整机 Whole kiosk",
    "temp_id": "临时身份证 Temporary ID",
    "certificate": "无犯罪证明 Certificate",
    "traffic": "交通违法 Traffic",
}

PRESET_REASONS = (
    "设备维修中 Device under repair",
    "耗材用尽 Out of paper/ribbon/cards",
    "网络故障 Network down",
    "系统维护 Maintenance",
)


def make_table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setDefaultSectionSize(56)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[Any]]) -> None:
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, value in enumerate(cells):
            table.setItem(row, column, QTableWidgetItem("" if value is None else str(value)))


class _Tab(QWidget):
    """A tab with its own runner and a status line; subclasses handle results by tag."""

    def __init__(self, service: TechnicianService, pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.runner = TaskRunner(pool, self)
        self.runner.finished.connect(self._dispatch)
        self.status = QLabel()
        self.status.setWordWrap(True)

    def start(self, tag: str, fn: Callable[[], Any], message: str | None = "…") -> None:
        if message is not None:  # None keeps the last outcome on screen (a refresh after an action)
            self.status.setText(message)
        self.runner.run(tag, fn)

    def _dispatch(self, result: TaskResult) -> None:
        if result.error is not None:
            self.status.setText(f"错误 Error: {type(result.error).__name__}: {result.error}")
            return
        self.on_result(result.tag, result.value)

    def on_result(self, tag: str, value: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def refresh(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class CountersTab(_Tab):
    def __init__(self, service: TechnicianService, pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(service, pool, parent)
        self.rows: list[Any] = []
        self.table = make_table(("设备 Device", "耗材 Consumable", "已用 Used", "上次更换 Last reset"))
        self.refresh_button = button("刷新 Refresh")
        self.reset_button = button("已更换，清零 Replaced: reset", "primary")
        self.refresh_button.clicked.connect(self.refresh)
        self.reset_button.clicked.connect(self.reset_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.reset_button)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def refresh(self) -> None:
        self.start("rows", self.service.counter_rows)

    def reset_selected(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            self.status.setText("请先选择一行 Select a row first")
            return
        row = self.rows[selected[0].row()]
        self.start("reset", lambda: (row, self.service.reset_counter(row.device, row.consumable)))

    def on_result(self, tag: str, value: Any) -> None:
        if tag in ("rows", "rows_after_reset"):
            self.rows = value
            fill_table(self.table, [(r.device, r.consumable, r.used, r.reset_at or "-") for r in value])
            if tag == "rows":
                self.status.setText("")
        else:
            row, before = value
            self.status.setText(f"{row.device} {row.consumable}: 已清零 reset (was {before})")
            self.start("rows_after_reset", self.service.counter_rows, None)


class PortsTab(_Tab):
    def __init__(self, service: TechnicianService, pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(service, pool, parent)
        self.table = make_table(
            ("端口 Port", "VID:PID", "序列号 Serial", "by-id", "使用者 Used by", "描述 Description")
        )
        self.refresh_button = button("扫描端口 Scan ports", "primary")
        self.refresh_button.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.refresh_button)
        layout.addWidget(self.status)

    def refresh(self) -> None:
        self.start("ports", self.service.ports, "扫描中 Scanning…")

    def on_result(self, tag: str, value: Any) -> None:
        fill_table(
            self.table,
            [
                (p.device, p.vid_pid, p.serial_number, " ".join(p.by_id), ",".join(p.used_by), p.description)
                for p in value
            ],
        )
        self.status.setText(f"{len(value)} 个端口 port(s)")


class LogsTab(_Tab):
    def __init__(self, service: TechnicianService, pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(service, pool, parent)
        self.hours = QSpinBox()
        self.hours.setRange(1, 24 * 14)
        self.hours.setValue(24)
        self.hours.setSuffix(" h")
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.path = QLineEdit()
        self.path.setPlaceholderText("导出文件 Export file (.gz = compressed)")
        self.show_button = button("查看 Show", "primary")
        self.browse_button = button("选择位置 Choose…")
        self.export_button = button("导出 Export")
        self.show_button.clicked.connect(self.refresh)
        self.browse_button.clicked.connect(self.browse)
        self.export_button.clicked.connect(self.export)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("最近 Last"))
        top.addWidget(self.hours)
        top.addWidget(self.show_button)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.path, 2)
        bottom.addWidget(self.browse_button)
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)
        layout.addWidget(self.status)

    def default_path(self) -> Path:
        return self.service.home.root / "exports" / f"kiosk-logs-{time.strftime('%Y%m%d-%H%M%S')}.jsonl.gz"

    def refresh(self) -> None:
        hours = self.hours.value()
        self.start("show", lambda: self.service.recent_logs(hours), "读取中 Reading…")

    def browse(self) -> None:
        options = QFileDialog.Option.DontUseNativeDialog
        chosen, _ = QFileDialog.getSaveFileName(self, "导出日志 Export logs", str(self.default_path()), options=options)
        if chosen:
            self.path.setText(chosen)

    def export(self) -> None:
        out = Path(self.path.text().strip()) if self.path.text().strip() else self.default_path()
        hours = self.hours.value()
        self.start("export", lambda: self.service.export_logs(hours, out), "导出中 Exporting…")

    def on_result(self, tag: str, value: Any) -> None:
        if tag == "show":
            lines = [
                f"{e.get('ts', '')} {e.get('level', '')} {e.get('logger', '')}: {e.get('message', '')}" for e in value
            ]
            self.view.setPlainText("\n".join(lines))
            self.status.setText(f"{len(value)} 行 line(s)")
        else:
            self.status.setText(f"已导出 Exported {value.lines} line(s) to {value.path}")


class ServiceTab(_Tab):
    """One row per service and the whole kiosk: reason field and an out-of-service toggle."""

    def __init__(self, service: TechnicianService, pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(service, pool, parent)
        self.reasons: dict[str, QComboBox] = {}
        self.toggles: dict[str, Any] = {}
        self.states: dict[str, QLabel] = {}
        grid = QGridLayout()
        for row, target in enumerate(TARGETS):
            reason, toggle, state = self._reason_box(), button("停用 Take out", checkable=True), QLabel()
            toggle.clicked.connect(lambda checked, t=target: self.toggle(t, checked))
            grid.addWidget(QLabel(TARGET_LABELS.get(target, target)), row, 0)
            grid.addWidget(reason, row, 1)
            grid.addWidget(toggle, row, 2)
            grid.addWidget(state, row, 3)
            self.reasons[target], self.toggles[target], self.states[target] = reason, toggle, state
        grid.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addWidget(self.status)

    @staticmethod
    def _reason_box() -> QComboBox:
        """Preset reasons (a kiosk may have no keyboard) that a keyboard can still edit."""
        box = QComboBox()
        box.setEditable(True)
        box.addItems(PRESET_REASONS)
        box.setCurrentIndex(-1)
        box.lineEdit().setPlaceholderText("原因 Reason (required)")
        box.setMinimumHeight(56)
        return box

    def refresh(self) -> None:
        self.start("records", self.service.out_of_service)

    def toggle(self, target: str, out: bool) -> None:
        if out:
            reason = self.reasons[target].currentText().strip()
            if not reason:
                self.toggles[target].setChecked(False)
                self.status.setText("请填写原因 Enter a reason first")
                return
            self.start("set", lambda: self.service.set_out_of_service(target, reason))
        else:
            self.start("clear", lambda: self.service.clear_out_of_service(target))

    def on_result(self, tag: str, value: Any) -> None:
        if tag != "records":
            self.start("records", self.service.out_of_service, None)
            return
        for target in TARGETS:
            record = value.get(target)
            self.toggles[target].setChecked(record is not None)
            self.toggles[target].setText("恢复 Put back" if record else "停用 Take out")
            self.states[target].setText("暂停服务 OUT" if record else "服务中 In service")
            if record:
                self.reasons[target].setEditText(str(record.get("reason", "")))
        self.status.setText("")

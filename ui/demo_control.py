"""The simulator control window of the demo: be the citizen (card, face, phone payment) and be the fault
(paper out, cover open, jam, unplug, backend down), so anyone can walk through every service by hand."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.demo import DEMO_CITIZENS, DemoEnvironment
from ui.worker import CallResult, Worker


class DemoControlWindow(QWidget):
    def __init__(self, env: DemoEnvironment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self._worker = Worker(parent=self)
        self._worker.finished.connect(self._finished)
        self.setWindowTitle("模拟器控制 Simulator control")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.receipt_view = QPlainTextEdit(readOnly=True)
        self.receipt_view.setMinimumHeight(180)
        self.citizen = QComboBox()
        for id_number, citizen in DEMO_CITIZENS.items():
            self.citizen.addItem(f"{citizen.name} {id_number}", id_number)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("演示市民 Demo citizen"))
        layout.addWidget(self.citizen)
        for title, buttons in self._groups():
            layout.addWidget(self._group(title, buttons))
        layout.addWidget(QLabel("最后一张小票 Last receipt"))
        layout.addWidget(self.receipt_view)
        layout.addWidget(self.status)

    def _id(self) -> str:
        return str(self.citizen.currentData())

    def _groups(self) -> list[tuple[str, list[tuple[str, Callable[[], object]]]]]:
        env = self.env
        return [
            ("身份证读卡器 ID card reader", [
                ("放卡 Place card", lambda: env.place_card(self._id())), ("取卡 Remove card", env.remove_card),
                ("拔出 Unplug", lambda: env.idcard_sim().unplug()), ("插回 Plug in", lambda: env.idcard_sim().plug()),
            ]),
            ("摄像头 Camera", [
                ("站到镜头前 Present face", lambda: env.present_face(self._id())), ("离开 Leave", env.leave_camera),
                ("两个人 Two faces", lambda: env.camera_scenario("two_faces")),
                ("太暗 Too dark", lambda: env.camera_scenario("too_dark")),
                ("太远 Too far", lambda: env.camera_scenario("face_too_small")),
                ("拔出 Unplug", lambda: env.camera_sim().unplug()), ("插回 Plug in", lambda: env.camera_sim().replug()),
            ]),
            ("手机支付 Phone payment", [
                ("支付 Pay", lambda: env.settle_payment("pay")), ("支付失败 Fail", lambda: env.settle_payment("fail")),
            ]),
            ("小票打印机 Receipt printer", [
                ("缺纸 Paper out", lambda: env.receipt_sim().set_paper("out")),
                ("纸将尽 Near end", lambda: env.receipt_sim().set_paper("near_end")),
                ("装纸 Refill", lambda: env.receipt_sim().refill()),
                ("开盖 Cover open", lambda: env.receipt_sim().open_cover()),
                ("合盖 Cover closed", lambda: env.receipt_sim().close_cover()),
                ("显示小票 Show receipt", self.show_last_receipt),
            ]),
            ("制证机 Card printer", [
                ("卡盒空 Hopper empty", lambda: env.card_printer_sim().empty_hopper()),
                ("装卡 Load 100 cards", lambda: env.card_printer_sim().load_cards(100)),
                ("卡纸 Jam next card", lambda: env.card_printer_sim().jam_next_card()),
                ("清除卡纸 Clear jam", lambda: env.card_printer_sim().clear_jam()),
            ]),
            ("A4打印机 A4 printer", [
                ("缺纸 Paper out", lambda: env.a4_spool().set_scenario("media_empty")),
                ("装纸 Load paper", lambda: env.a4_spool().load_paper()),
                ("离线 Offline", lambda: env.a4_spool().set_online(False)),
                ("在线 Online", lambda: env.a4_spool().set_online(True)),
            ]),
            ("公安后台 Police backend", [
                ("故障 Down (503)", lambda: env.set_backend_down(True)), ("恢复 Up", lambda: env.set_backend_down(False)),
            ]),
        ]  # fmt: skip

    def _group(self, title: str, buttons: list[tuple[str, Callable[[], object]]]) -> QGroupBox:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        for index, (label, action) in enumerate(buttons):
            button = QPushButton(label)
            button.clicked.connect(self._runner(label, action))
            grid.addWidget(button, index // 3, index % 3)
        return box

    def _runner(self, label: str, action: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            self.status.setText(f"{label} …")
            self._worker.start(label, 0, action)

        return run

    def _finished(self, result: CallResult) -> None:
        outcome = f"{type(result.error).__name__}: {result.error}" if result.error else (result.value or "OK")
        self.status.setText(f"{result.tag}: {outcome}")
        if result.tag.startswith("显示小票") and result.error is None:
            self._fill_receipt()

    def show_last_receipt(self) -> str:
        return f"{len(self.env.receipt_sim().receipts)} receipt(s)"

    def _fill_receipt(self) -> None:
        receipts = self.env.receipt_sim().receipts
        text = "\n".join(receipts[-1].text_lines()) if receipts else "(还没有小票 no receipt yet)"
        self.receipt_view.setPlainText(text)

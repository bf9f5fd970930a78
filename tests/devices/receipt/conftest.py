"""Fixtures for the receipt printer tests: printers wired to fresh in-process simulators."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pytest

from devices.receipt.device import ReceiptPrinter
from devices.receipt.sim import ReceiptPrinterSimulator
from devices.sim import registry
from devices.transport import Transport, TransportSettings

_numbers = itertools.count()

PrinterFactory = Callable[..., tuple[ReceiptPrinter, ReceiptPrinterSimulator]]


@pytest.fixture(autouse=True)
def _fresh_simulators() -> Iterator[None]:
    yield
    registry.forget_all()


@pytest.fixture
def make_printer() -> Iterator[PrinterFactory]:
    """make_printer(scenario="ok", **printer_options, query=...) -> (opened printer, its simulator)."""
    opened: list[ReceiptPrinter] = []

    def factory(
        scenario: str = "ok", query: str = "", **options: object
    ) -> tuple[ReceiptPrinter, ReceiptPrinterSimulator]:
        instance = f"receipt-test-{next(_numbers)}"
        url = f"sim://receipt?instance={instance}&scenario={scenario}{'&' + query if query else ''}"
        printer = ReceiptPrinter("receipt", Transport(TransportSettings(url=url)), **options)
        printer.open()
        opened.append(printer)
        engine = registry.get_instance(instance)
        assert isinstance(engine, ReceiptPrinterSimulator)
        return printer, engine

    yield factory
    for printer in opened:
        printer.transport.close()

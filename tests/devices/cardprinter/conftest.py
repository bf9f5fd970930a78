"""Fixtures for the card-printer tests: a real two-sided card PDF and devices on simulators."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from devices.cardprinter.device import CardPrinter
from devices.sim import registry
from devices.transport import Reconnector, Transport, TransportSettings

CARD = (85.6 * mm, 54.0 * mm)


def card_pdf(cards: int = 1) -> bytes:
    """Front: a black square in the lower-left quarter; back: a black bar along the bottom edge (the top left
    of the back is the emblem's, which the printer keeps clear)."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=CARD)
    for _ in range(cards):
        page.rect(5 * mm, 5 * mm, 20 * mm, 20 * mm, fill=1, stroke=0)
        page.showPage()
        page.rect(0, 0, CARD[0], 8 * mm, fill=1, stroke=0)
        page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.fixture
def card_pdf_factory():
    return card_pdf


@pytest.fixture
def make_printer():
    """A CardPrinter on sim://cardprinter?instance=card&...; returns (printer, simulator)."""
    opened: list[CardPrinter] = []

    def make(query: str = "scenario=ok", **options) -> tuple[CardPrinter, object]:
        url = f"sim://cardprinter?instance=card&{query}"
        transport = Transport(TransportSettings(url=url))
        options.setdefault("command_timeout", 0.3)
        printer = CardPrinter("card", transport, reconnector=Reconnector(transport, initial_delay=0.0), **options)
        printer.open()
        opened.append(printer)
        return printer, registry.get_instance("card")

    yield make
    for printer in opened:
        printer.close()

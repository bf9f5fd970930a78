"""The technician screen (PySide6) over kiosk.technician.TechnicianService."""

from ui.technician.pinpad import PinPad
from ui.technician.screen import TechnicianScreen

__all__ = ["PinPad", "TechnicianScreen"]

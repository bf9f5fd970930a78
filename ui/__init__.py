"""PySide6 touchscreen app: screens and widgets only; the flows live in kiosk/."""

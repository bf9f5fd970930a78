"""80 mm ESC/POS receipt printer: job model, protocol, device and simulator."""

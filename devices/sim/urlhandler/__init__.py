"""pyserial protocol handlers (serial.protocol_handler_packages) for simulator URLs."""

"""Device-abstraction layer: transports, protocols, devices and their simulators. Never Qt, never kiosk/."""

"""Exit codes shared by every `kiosk` command (technicians' scripts depend on them)."""

OK = 0
FAILURE = 1
USAGE = 2
NO_CARD = 3
DEVICE_ERROR = 4
REJECTED = 5

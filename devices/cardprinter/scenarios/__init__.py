"""Card-printer simulator scenarios, one JSON file each (loaded by devices.cardprinter.sim)."""

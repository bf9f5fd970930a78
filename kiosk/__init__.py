"""The kiosk's application core: configuration, sessions, service flows, journal, backend client, CLI."""

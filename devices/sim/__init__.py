"""Simulators: engines that speak each device's real wire protocol, reachable in-process (sim:// URL),
over a pty and over TCP."""

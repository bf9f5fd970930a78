"""The kiosk as an appliance on its PC: systemd's notify protocol and watchdog, STATUS= lines, the journal,
the disk and clock guards, crash loops, the nightly restart, and the software update agent's thread.

  kiosk.appliance.watchdog   WatchdogPinger: what ui/ calls on its GUI thread (first frame, QTimer pings)
  kiosk.appliance.service    ApplianceService: the appliance thread the composition root starts
  kiosk.appliance.notify     SystemdNotifier: the sd_notify socket protocol
Nothing here imports Qt; nothing runs unless the appliance launcher (kiosk.update.boot) started the app.
"""

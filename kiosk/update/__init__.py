"""Software updates of the kiosk appliance: signed releases from the fleet, A/B slots, a boot chooser with a
trial counter, a health window, commit or rollback (after Mender, RAUC and TUF).

Kept import-free: `python -m kiosk.update.schema` and the launcher must start without the rest of the core.
  kiosk.update.boot     the launcher's slot choice (standard library only; installed as /usr/lib/police-kiosk/boot.py)
  kiosk.update.release  the signed "kiosk-software" document
  kiosk.update.agent    the state machine the appliance thread steps
  kiosk.update.schema   the databases across a switch (downgrade with the newer code)
"""

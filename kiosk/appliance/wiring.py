"""How the update agent is bound to the running kiosk: the fleet credentials, the health window's checks
(READY, the core, devices and their self-tests without printing, crash count) and the quiet moment."""

from __future__ import annotations

import logging
from typing import Any

from kiosk.appliance.service import ApplianceService
from kiosk.fleet.service import required_kinds
from kiosk.fleet.state import NotEnrolled, load_credentials
from kiosk.flows.context import device_usable
from kiosk.update import boot
from kiosk.update.agent import UpdatePorts
from kiosk.update.channel import ReleaseChannel
from kiosk.update.health import TrialHealth, trial_crashes

log = logging.getLogger(__name__)


def _self_test(appliance: ApplianceService, kind: str, device: Any) -> bool:
    from kiosk.technician.selftest import self_test_device  # the technician stack loads only when asked

    config = appliance.ports.config()
    name = next((s.name for s in config.device_settings() if s.kind == kind), kind)
    result = self_test_device(device, name, kind, config.kiosk_id, with_print=False)
    if not result.passed:
        log.warning("trial health: self-test of %s failed: %s", kind, result.error_code)
    return result.passed


def trial_health(appliance: ApplianceService) -> TrialHealth:
    ports = appliance.ports
    return TrialHealth(
        ready=appliance.signals.ready,
        core_up=lambda: True,  # this runs inside the opened runtime: journal, audit log and devices are up
        devices=ports.devices,
        required_kinds=lambda: required_kinds(ports.config()),
        self_test=lambda kind, device: _self_test(appliance, kind, device),
        trial_crashes=lambda: trial_crashes(boot.read_boot_state(appliance.layout).trying, boot.TRIAL_ATTEMPTS),
    )


def build_update_ports(appliance: ApplianceService) -> UpdatePorts | None:
    ports = appliance.ports
    try:
        credentials = load_credentials(ports.home)
    except NotEnrolled:
        log.info("software updates off: this kiosk is not enrolled in a fleet")
        return None
    return UpdatePorts(
        layout=appliance.layout,
        home=ports.home,
        running_slot=appliance.slot,
        channel=ReleaseChannel(credentials),
        config_schema=lambda: ports.config().schema_version,
        quiet_moment=appliance.quiet_moment,
        health=trial_health(appliance),
        usable_kinds=lambda: [kind for kind, device in ports.devices().items() if device_usable(device)],
        request_exit=appliance.request_exit,
    )

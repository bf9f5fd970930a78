"""The registry of the kiosk's services: one line per service. Everything else that lists services (the
configuration's sections, availability, the home screen, `kiosk flow`, the technician's out-of-service switches,
start-up recovery, the fleet's health rule) derives from SERVICES.

A service is one package here: its declaration (__init__.py), its flow, the documents it prints, its recovery
after a crash and its texts.
"""

from __future__ import annotations

from kiosk.services import certificate, endorsement, temp_id, traffic
from kiosk.services.spec import ServiceSettings, ServiceSpec

SERVICES: tuple[ServiceSpec, ...] = (
    temp_id.SERVICE,
    certificate.SERVICE,
    traffic.SERVICE,
    endorsement.SERVICE,
)


def service_names() -> tuple[str, ...]:
    return tuple(spec.name for spec in SERVICES)


def spec_of(name: str) -> ServiceSpec:
    for spec in SERVICES:
        if spec.name == name or spec.cli_name == name:
            return spec
    raise KeyError(f"no service {name!r}; known: {', '.join(service_names())}")


__all__ = ["SERVICES", "ServiceSettings", "ServiceSpec", "service_names", "spec_of"]

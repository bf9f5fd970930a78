"""交通违法处理: camera-recorded traffic violations looked up, handled and their fines paid."""

from pydantic import Field

from contracts import DocumentKind, PaymentPurpose
from contracts.services import Service
from kiosk.services.spec import ServiceSettings, ServiceSpec


class TrafficSettings(ServiceSettings):
    max_single_fine_cents: int | None = Field(default=None, ge=0)  # some terminals cap a single fine [unconfirmed]


SERVICE = ServiceSpec(
    service=Service.TRAFFIC, cli_name="traffic", display_name="交通违法处理缴款",
    devices=("receipt_printer", "camera"), settings=TrafficSettings,
    document_kinds=(DocumentKind.TRAFFIC_DECISION,),
    texts="kiosk.services.traffic.texts:TEXTS",
    flow="kiosk.services.traffic.flow:TrafficFlow",
    recovery="kiosk.services.traffic.recovery:TrafficRecovery", payment_purpose=PaymentPurpose.TRAFFIC_FINE,
)  # fmt: skip

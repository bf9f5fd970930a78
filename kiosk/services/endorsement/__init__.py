"""港澳签注: re-endorsement of the Mainland travel permit for Hong Kong and Macao, written to the permit's chip
and printed on its rewritable back."""

from contracts import DocumentKind, PaymentPurpose
from contracts.services import Service
from kiosk.services.spec import ServiceSettings, ServiceSpec


class EndorsementSettings(ServiceSettings):
    pass  # the backend decides the options and fees; the kiosk only offers the service


SERVICE = ServiceSpec(
    service=Service.ENDORSEMENT, cli_name="endorsement", display_name="往来港澳通行证签注",
    devices=("permit_reader", "rewritable_printer", "camera"), settings=EndorsementSettings,
    document_kinds=(DocumentKind.ENDORSEMENT,),
    texts="kiosk.services.endorsement.texts:TEXTS",
    flow="kiosk.services.endorsement.flow:EndorsementFlow",
    recovery="kiosk.services.endorsement.recovery:EndorsementRecovery", payment_purpose=PaymentPurpose.ENDORSEMENT,
)  # fmt: skip

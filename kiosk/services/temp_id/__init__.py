"""临时居民身份证: the temporary resident ID card, for a citizen whose ID card is lost or being replaced."""

from pydantic import Field

from contracts import DocumentKind, PaymentPurpose
from contracts.services import Service
from kiosk.services.spec import ServiceSettings, ServiceSpec


class TempIdSettings(ServiceSettings):
    fee_cents: int = Field(default=1000, ge=0)  # for display: the backend's eligibility answer is charged
    validity_months: int = Field(default=3, ge=1, le=12)


SERVICE = ServiceSpec(
    service=Service.TEMP_ID, cli_name="temp-id", display_name="临时居民身份证",
    devices=("card_printer", "camera"), settings=TempIdSettings, document_kinds=(DocumentKind.TEMP_ID,),
    texts="kiosk.services.temp_id.texts:TEXTS",
    flow="kiosk.services.temp_id.flow:TemporaryIdFlow",
    recovery="kiosk.services.temp_id.recovery:TempIdRecovery",
    payment_purpose=PaymentPurpose.TEMP_ID,
)  # fmt: skip

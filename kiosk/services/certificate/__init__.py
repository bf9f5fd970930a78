"""无犯罪记录证明: the no-criminal-record certificate, free, printed on A4 with a verifiable number and QR."""

from pydantic import Field

from contracts import DocumentKind
from contracts.services import Service
from kiosk.services.spec import ServiceSettings, ServiceSpec

PURPOSES = ["就业", "出国（境）", "入学", "收养", "其他"]


class CertificateSettings(ServiceSettings):
    yearly_cap: int = Field(default=3, ge=0)  # 0 = no cap
    purposes: list[str] = Field(default_factory=lambda: list(PURPOSES), min_length=1, max_length=20)
    validity_days: int = Field(default=90, ge=1)


SERVICE = ServiceSpec(
    service=Service.CERTIFICATE, cli_name="certificate", display_name="无犯罪记录证明",
    devices=("document_printer", "camera"), settings=CertificateSettings,
    document_kinds=(DocumentKind.CERTIFICATE,),
    texts="kiosk.services.certificate.texts:TEXTS",
    flow="kiosk.services.certificate.flow:CertificateFlow",
    recovery="kiosk.services.certificate.recovery:CertificateRecovery",
)  # fmt: skip

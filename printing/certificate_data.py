"""What a no-criminal-record certificate says, and the check that its signed payload says the same.

Everything that makes the paper checkable comes from the issuer (the backend): the QR's URL with the
signed payload, the verification code, the address where number + code are typed in, and the unit's
electronic seal. A certificate whose signed payload disagrees with the printed fields is refused before
anything is drawn: such a paper could never verify.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contracts.certificate_payload import CertificateClaims, parse_payload, split_qr_text
from contracts.idnumber import mask_id_number
from printing.layout import chinese_date

TITLE = "无犯罪记录证明"


class CertificateMismatchError(ValueError):
    """The issuer's signed payload does not say what the paper would say: such a paper never verifies."""


@dataclass(frozen=True)
class CertificateData:
    certificate_number: str  # 编号
    name: str
    sex: str  # 男 / 女
    id_type: str  # 证件名称, e.g. 居民身份证
    id_number: str
    checked_until: date  # 截至 date of the query
    purpose: str  # 用途: 就业, 出国（境）, 入学, 收养, 其他...
    issuing_unit: str
    issue_date: date
    valid_until: date
    verification_url: str  # the QR's content: the issuer's verify page with the signed payload
    verification_code: str  # 验证码, printed as issued
    lookup_url: str  # where number + code are typed in by hand
    seal_png: bytes | None = None  # the unit's electronic seal from the backend
    seal_diameter_mm: float = 40.0


def finding_sentence(data: CertificateData) -> str:
    return (
        f"经查询，截至{chinese_date(data.checked_until)}，未发现{data.name}"
        f"（{data.sex}、{data.id_type}、{data.id_number}）有犯罪记录。"
    )


VERIFICATION_HINT = "核验方式：用手机扫描左侧二维码，或登录上述核验网址输入证明编号和验证码，核验本证明的真伪。"


def printed_claims(data: CertificateData) -> CertificateClaims:
    """What the paper says, in the form the issuer signs it."""
    return CertificateClaims(
        certificate_number=data.certificate_number, name=data.name, masked_id_number=mask_id_number(data.id_number),
        sex=data.sex, purpose=data.purpose, issuing_unit=data.issuing_unit, checked_until=data.checked_until,
        issue_date=data.issue_date, valid_until=data.valid_until,
    )  # fmt: skip


def check_signed_fields(data: CertificateData) -> None:
    """Refuse a paper whose QR would contradict it (the signature itself is the verifier's business)."""
    try:
        base, payload = split_qr_text(data.verification_url)
        signed = parse_payload(payload)
        printed = printed_claims(data)
    except ValueError as error:
        raise CertificateMismatchError(f"the issuer's verification data is unusable: {error}") from error
    if base is None:
        raise CertificateMismatchError("the verification URL is not an absolute URL")
    if signed.claims != printed:
        differing = [name for name in printed.__dataclass_fields__
                     if getattr(printed, name) != getattr(signed.claims, name)]  # fmt: skip
        raise CertificateMismatchError(f"the signed payload disagrees with the paper on {', '.join(differing)}")

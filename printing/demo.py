"""Demo documents with a fictional person, for `kiosk diag print-sample`, tests and benchmarks.

The demo issuer key is derived from a public string: anything it signs is worthless outside a demo. Its
verify address is on example.org (RFC 2606), so a demo QR never leads anywhere real.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import cv2
import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contracts.certificate_payload import sign_certificate, verify_url
from contracts.issuer_keys import IssuerKey, IssuerKeySet, encode_public_key
from printing.certificate import CertificateData
from printing.certificate_data import printed_claims
from printing.layout import CHINA_TZ
from printing.receipts import AcceptanceReceiptData, PaymentReceiptData, TrafficDecisionReceiptData
from printing.temp_id import TempIdCardData

DEMO_KEY_ID = "DEMO-1"
DEMO_VERIFY_BASE_URL = "https://verify.example.org"
DEMO_ISSUER = "北京市公安局朝阳分局（演示）"
DEMO_NAME = "张三"
DEMO_ID_NUMBER = "11010519491231002X"
DEMO_ISSUE_DATE = date(2024, 5, 6)


def demo_signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"police-kiosk demo issuer key").digest())


def demo_key_set() -> IssuerKeySet:
    """The published key set a verifier of demo certificates would fetch."""
    key = IssuerKey(kid=DEMO_KEY_ID, x=encode_public_key(demo_signing_key().public_key()),
                    valid_from=date(2024, 1, 1))  # fmt: skip
    return IssuerKeySet(issuer=DEMO_ISSUER, verify_base_url=DEMO_VERIFY_BASE_URL, keys=[key])


def demo_certificate(**overrides: object) -> CertificateData:
    """A certificate signed with the demo key; `verification_url` etc. may be overridden to test refusal."""
    fields: dict[str, object] = {
        "certificate_number": "110105202400000123",
        "name": DEMO_NAME,
        "sex": "男",
        "id_type": "居民身份证",
        "id_number": DEMO_ID_NUMBER,
        "checked_until": DEMO_ISSUE_DATE,
        "purpose": "就业",
        "issuing_unit": DEMO_ISSUER,
        "issue_date": DEMO_ISSUE_DATE,
        "valid_until": date(2024, 8, 5),
        "verification_code": "DEMO2345",
        "lookup_url": f"{DEMO_VERIFY_BASE_URL}/verify",
        "verification_url": "",
    }
    fields.update({key: value for key, value in overrides.items() if key != "verification_url"})
    unsigned = CertificateData(**fields)  # type: ignore[arg-type]
    payload = sign_certificate(demo_signing_key(), DEMO_KEY_ID, printed_claims(unsigned))
    url = str(overrides.get("verification_url", verify_url(DEMO_VERIFY_BASE_URL, payload)))
    return CertificateData(**{**fields, "verification_url": url})  # type: ignore[arg-type]


def demo_photo_png() -> bytes:
    """A drawn silhouette (no real face), in colour so the grayscale conversion has work to do."""
    image = np.full((441, 358, 3), (235, 225, 210), dtype=np.uint8)
    cv2.ellipse(image, (179, 430), (150, 110), 0, 180, 360, (90, 60, 40), thickness=-1)
    cv2.ellipse(image, (179, 190), (80, 100), 0, 0, 360, (150, 180, 215), thickness=-1)
    cv2.ellipse(image, (179, 120), (85, 45), 0, 180, 360, (30, 30, 30), thickness=-1)
    ok, encoded = cv2.imencode(".png", image)
    if not ok:
        raise RuntimeError("OpenCV could not encode the demo photo")
    return encoded.tobytes()


def demo_temp_id(**overrides: object) -> TempIdCardData:
    fields: dict[str, object] = {
        "name": DEMO_NAME,
        "sex": "男",
        "ethnicity": "汉",
        "birth_date": date(1949, 12, 31),
        "address": "北京市朝阳区建国路88号院3号楼2单元501室",
        "id_number": DEMO_ID_NUMBER,
        "photo": demo_photo_png(),
        "issuing_authority": "北京市公安局朝阳分局",
        "valid_from": DEMO_ISSUE_DATE,
        "valid_until": date(2024, 8, 6),
        "card_number": "110105240506001",
    }
    fields.update(overrides)
    return TempIdCardData(**fields)  # type: ignore[arg-type]


DEMO_PAID_AT = datetime(2024, 5, 6, 10, 30, 15, tzinfo=CHINA_TZ)


def demo_payment_receipt() -> PaymentReceiptData:
    return PaymentReceiptData(
        order_id="KO20240506103015001",
        service_name="临时居民身份证工本费",
        amount_fen=1000,
        paid_at=DEMO_PAID_AT,
        channel="微信支付",
        kiosk_id="BJ-CY-0001",
    )


def demo_traffic_receipt() -> TrafficDecisionReceiptData:
    return TrafficDecisionReceiptData(
        decision_number="1101051234567890",
        plate_number="京A12345",
        violation="机动车违反禁令标志指示的",
        points=3,
        fine_fen=20000,
        late_fee_fen=0,
        paid_at=DEMO_PAID_AT,
        channel="支付宝",
        order_id="KO20240506103015002",
        kiosk_id="BJ-CY-0001",
    )


def demo_acceptance_receipt() -> AcceptanceReceiptData:
    return AcceptanceReceiptData(
        reference_number="SL1101052024050600123",
        service_name="无犯罪记录证明",
        accepted_at=DEMO_PAID_AT,
        kiosk_id="BJ-CY-0001",
        result_url=f"{DEMO_VERIFY_BASE_URL}/a/SL1101052024050600123",
        settle_by=date(2024, 5, 9),
    )

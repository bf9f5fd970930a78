"""Printable documents built with reportlab (no Qt): certificate, temporary ID card, receipts.

Public API:
- printing.fonts: register_cjk_fonts() -> CjkFonts, FontNotFoundError
- printing.verification: sign_certificate_payload, verify_certificate_payload, VerifiedCertificate,
  VerificationError (+ Malformed/UnknownKey/BadSignature/ExpiredCertificate), hash_id_number,
  matches_id_number, verification_code, format_verification_code
- printing.certificate: CertificateData, build_certificate_pdf, finding_sentence
- printing.temp_id: TempIdCardData, build_temp_id_pdf, validity_period, layout_address
- printing.receipts: PaymentReceiptData, TrafficDecisionReceiptData, AcceptanceReceiptData, payment_receipt,
  traffic_decision_receipt, certificate_acceptance_receipt, as_reprint, apply_reprint_marking, label_value,
  wrap_columns, format_yuan
- printing.receipt_pdf: render_receipt_pdf
"""

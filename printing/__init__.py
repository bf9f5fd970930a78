"""Printable documents built with reportlab (no Qt): certificate, temporary ID card, receipts.

Public API:
- printing.fonts: register_cjk_fonts() -> CjkFonts, FontNotFoundError
- printing.certificate: CertificateData, build_certificate_pdf, finding_sentence, CertificateMismatchError
  (the signed payload format and its verification are in contracts.certificate_payload / issuer_keys:
  the backend signs, printing only checks that the payload agrees with the paper)
- printing.certificate_layout: layout_certificate (the geometry the PDF is drawn from)
- printing.temp_id: TempIdCardData, CardPrintSpec, build_temp_id_pdf, validity_period, layout_address
- printing.receipts: PaymentReceiptData, TrafficDecisionReceiptData, AcceptanceReceiptData, payment_receipt,
  traffic_decision_receipt, certificate_acceptance_receipt, as_reprint, label_value, format_yuan
  (laid out per printer profile by devices.receipt.layout)
- printing.receipt_pdf: render_receipt_pdf
"""

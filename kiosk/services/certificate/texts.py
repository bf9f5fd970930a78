"""The texts of the keys only the certificate flow shows (无犯罪记录证明), Chinese and English."""

TEXTS: dict[str, dict[str, str]] = {
    "prompt.choose_purpose": {"zh": "请选择证明的用途", "en": "What is the certificate for?"},
    "doc.certificate": {"zh": "无犯罪记录证明", "en": "Certificate of No Criminal Record"},
    "doc.acceptance_receipt": {"zh": "受理回执", "en": "Acceptance receipt"},
    "take.certificate": {"zh": "无犯罪记录证明", "en": "certificate"},
    "take.acceptance_receipt": {"zh": "受理回执", "en": "acceptance receipt"},
    "field.purpose": {"zh": "用途", "en": "Purpose"},
    "error.certificate.yearly_cap": {"zh": "本年度自助申请次数已达上限", "en": "This year's self-service limit is reached"},
    "error.certificate.refer_to_counter": {"zh": "需要工作人员为您办理", "en": "A member of staff needs to handle this"},
    "error.certificate.bad_purpose": {"zh": "请从列表中选择用途", "en": "Please choose a purpose from the list"},
}  # fmt: skip

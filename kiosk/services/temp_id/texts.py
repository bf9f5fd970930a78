"""The texts of the keys only the temp_id flow shows (临时居民身份证), Chinese and English."""

TEXTS: dict[str, dict[str, str]] = {
    "doc.temp_id": {"zh": "临时居民身份证", "en": "Temporary resident ID card"},
    "take.temp_id_card": {"zh": "临时居民身份证", "en": "temporary resident ID card"},
    "error.temp_id.no_pending_application": {"zh": "没有查到您正在办理的身份证申领", "en": "No ID card application of yours is in progress"},
    "error.temp_id.active_temp_id_exists": {"zh": "您已有一张有效的临时居民身份证", "en": "You already have a valid temporary resident ID card"},
}  # fmt: skip

"""The kiosk's services as both sides name them (journal rows, payment purposes, fleet reports)."""

from __future__ import annotations

from enum import StrEnum


class Service(StrEnum):
    TEMP_ID = "temp_id"  # 临时居民身份证
    CERTIFICATE = "certificate"  # 无犯罪记录证明
    TRAFFIC = "traffic"  # 交通违法处理
    ENDORSEMENT = "endorsement"  # 港澳签注

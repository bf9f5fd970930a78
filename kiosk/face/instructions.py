"""What the citizen is told when a live picture is not good enough (Chinese first, English switchable).

Keys are stable: the UI speaks and shows them, config `ui.texts` may override a text under "face.<key>".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Instruction:
    key: str
    zh: str
    en: str

    def text(self, language: str = "zh", overrides: Mapping[str, str] | None = None) -> str:
        if overrides and f"face.{self.key}" in overrides:
            return overrides[f"face.{self.key}"]
        return self.en if language == "en" else self.zh


READY = Instruction("ready", "很好，请保持姿势", "Good, hold that position")
FACE_CAMERA = Instruction("face_camera", "请正对摄像头", "Please look straight at the camera")
TOO_DARK = Instruction("too_dark", "光线太暗", "It is too dark, please step into the light")
TOO_BRIGHT = Instruction("too_bright", "光线太强，请避开强光", "Too bright, please avoid strong light")
COME_CLOSER = Instruction("come_closer", "请靠近一点", "Please come a little closer")
STEP_BACK = Instruction("step_back", "请稍微后退", "Please step back a little")
ONE_PERSON = Instruction("one_person_only", "请只保留一人在画面中", "Only one person in view, please")
HOLD_STILL = Instruction("hold_still", "请保持不动", "Please hold still")
MOVE_TO_CENTRE = Instruction("move_to_centre", "请移到画面中央", "Please move to the middle of the picture")

# After the last failed comparison: never a dead end, the counter always helps.
REFER_TO_STAFF = Instruction(
    "refer_to_staff", "人脸核验未通过，请到人工窗口办理", "Face check failed, please go to the service counter"
)
NO_MATCH_RETRY = Instruction(
    "no_match_retry", "核验未通过，请摘下帽子眼镜后重试", "No match, please remove hat or glasses and try again"
)

ALL: dict[str, Instruction] = {
    item.key: item
    for item in (
        READY,
        FACE_CAMERA,
        TOO_DARK,
        TOO_BRIGHT,
        COME_CLOSER,
        STEP_BACK,
        ONE_PERSON,
        HOLD_STILL,
        MOVE_TO_CENTRE,
        REFER_TO_STAFF,
        NO_MATCH_RETRY,
    )
}

"""Every key liveness can emit, in one place: the UI's text catalogue is checked against ALL_KEYS.

Instruction keys say what the citizen should do now (screen text and voice prompt); reason keys say why a
session was refused. Both are stable identifiers, never shown raw.
"""

from __future__ import annotations

LOOK_AT_CAMERA = "liveness.look_at_camera"  # the first frames: a frontal baseline before any challenge
BLINK = "liveness.blink"
TURN_LEFT = "liveness.turn_left"
TURN_RIGHT = "liveness.turn_right"
RETRY = "liveness.retry"  # an attempt ran out of time; new challenges follow
DONE = "liveness.done"
REFER_TO_STAFF = "liveness.refer_to_staff"  # "please go to the counter"

NO_FACE = "guidance.no_face"
ONE_PERSON = "guidance.one_person"
FACE_TOO_FAR = "guidance.face_too_far"
FACE_TOO_CLOSE = "guidance.face_too_close"
TOO_DARK = "guidance.too_dark"

INSTRUCTION_KEYS: tuple[str, ...] = (
    LOOK_AT_CAMERA, BLINK, TURN_LEFT, TURN_RIGHT, RETRY, DONE, REFER_TO_STAFF,
    NO_FACE, ONE_PERSON, FACE_TOO_FAR, FACE_TOO_CLOSE, TOO_DARK,
)  # fmt: skip

REASON_PLANAR = "liveness.planar"  # the face moved as one flat plane: a photo
REASON_SCREEN = "liveness.screen"  # moire or glare of a display: a phone or tablet replay
REASON_TIMEOUT = "liveness.timeout"  # the challenges were not done in time, in every attempt
REASON_NO_FACE = "liveness.no_face"  # no usable face was seen in any attempt
REASON_KEYS: tuple[str, ...] = (REASON_PLANAR, REASON_SCREEN, REASON_TIMEOUT, REASON_NO_FACE)

ALL_KEYS: tuple[str, ...] = INSTRUCTION_KEYS + REASON_KEYS

# Challenges, and the instruction that asks for each.
CHALLENGES: tuple[str, ...] = ("blink", "turn_left", "turn_right")
CHALLENGE_INSTRUCTIONS = {"blink": BLINK, "turn_left": TURN_LEFT, "turn_right": TURN_RIGHT}

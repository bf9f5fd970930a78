"""Typed errors of the face engine: each says what is wrong with which picture, never what it shows."""

from __future__ import annotations


class FaceEngineError(ValueError):
    """A picture the engine cannot use. `code` is stable for programs; the message is for people."""

    code = "face_error"


class UnreadableImage(FaceEngineError):
    """The bytes or the array are not a picture (not JPEG/PNG, empty, wrong shape or type)."""

    code = "unreadable_image"


class NoFace(FaceEngineError):
    """No face was found in the picture."""

    code = "no_face"


class SeveralFaces(FaceEngineError):
    """More than one face where exactly one is needed."""

    code = "several_faces"


class FaceTooSmall(FaceEngineError):
    """A face was found, but too few pixels wide for a reliable comparison."""

    code = "face_too_small"


class ModelUnavailable(RuntimeError):
    """The dlib models cannot be loaded (a broken installation, not a picture problem)."""

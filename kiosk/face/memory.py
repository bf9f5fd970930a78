"""Live pictures live only in memory and are zeroed when done: at session end, time-out and restart."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


def wipe_array(array: np.ndarray | None) -> None:
    """Overwrite an image buffer with zeros (a writeable view of someone else's buffer is wiped too)."""
    if array is not None and array.size and array.flags.writeable:
        array.fill(0)


class LiveFrames:
    """The frames a face step keeps (the accepted picture, maybe a few candidates), wiped together."""

    def __init__(self) -> None:
        self._frames: list[np.ndarray] = []

    def keep(self, frame: np.ndarray) -> np.ndarray:
        """Take ownership of a frame; returns it for convenience."""
        self._frames.append(frame)
        return frame

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter(list(self._frames))

    def __len__(self) -> int:
        return len(self._frames)

    @property
    def latest(self) -> np.ndarray | None:
        return self._frames[-1] if self._frames else None

    def wipe(self) -> None:
        for frame in self._frames:
            wipe_array(frame)
        self._frames.clear()

"""A cursor theme in which every cursor is one transparent pixel (Xcursor format), so neither cage nor the
Qt app ever shows a pointer on the kiosk's touchscreen. XCURSOR_THEME=police-kiosk-blank selects it."""

from __future__ import annotations

import struct
from pathlib import Path

IMAGE = 0xFFFD0002
NAMES = ("left_ptr", "default", "arrow", "top_left_arrow", "pointer", "hand1", "hand2", "pointing_hand", "text",
         "xterm", "ibeam", "wait", "watch", "progress", "left_ptr_watch", "crosshair", "cross", "grab", "grabbing",
         "openhand", "closedhand", "fleur", "move", "all-scroll", "not-allowed", "forbidden", "no-drop", "help",
         "question_arrow", "copy", "alias", "context-menu", "cell", "col-resize", "row-resize", "e-resize",
         "w-resize", "n-resize", "s-resize", "ne-resize", "nw-resize", "se-resize", "sw-resize", "ew-resize",
         "ns-resize", "nesw-resize", "nwse-resize", "size_hor", "size_ver", "size_bdiag", "size_fdiag",
         "sb_h_double_arrow", "sb_v_double_arrow", "split_h", "split_v", "zoom-in", "zoom-out",
         "vertical-text")  # fmt: skip


def blank_cursor() -> bytes:
    """Header (magic, size, version, one table entry), then one 1x1 image chunk with a transparent pixel."""
    header = struct.pack("<4sIII", b"Xcur", 16, 0x10000, 1)
    toc = struct.pack("<III", IMAGE, 1, 16 + 12)
    chunk = struct.pack("<IIIIIIIII", 36, IMAGE, 1, 1, 1, 1, 0, 0, 0) + struct.pack("<I", 0)
    return header + toc + chunk


def write_blank_theme(directory: Path) -> None:
    cursors = directory / "cursors"
    cursors.mkdir(parents=True, exist_ok=True)
    (cursors / NAMES[0]).write_bytes(blank_cursor())
    for name in NAMES[1:]:
        link = cursors / name
        if not link.is_symlink():
            link.symlink_to(NAMES[0])
    (directory / "index.theme").write_text("[Icon Theme]\nName=police-kiosk-blank\nComment=no visible cursor\n")

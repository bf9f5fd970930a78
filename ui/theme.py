"""Sizes from the screen's physical DPI, colours, and the style sheet for normal, large-text and contrast modes.

Touch targets are at least 15 mm and text at least 4.8 mm high (capital letters; a Chinese glyph is taller),
whatever the panel's pixel density: px = mm / 25.4 * dpi.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

POLICE_BLUE = "#0b3d91"
MIN_TOUCH_MM = 15.0
MIN_TEXT_MM = 4.8
CAP_HEIGHT_RATIO = 0.68  # capital height / font pixel size for WenQuanYi Zen Hei (0.69) and DejaVu (0.73)
LARGE_TEXT_SCALE = 1.3
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "DejaVu Sans")


def mm_to_px(mm: float, dpi: float) -> int:
    return math.ceil(mm / 25.4 * dpi)


@dataclass(frozen=True)
class Palette:
    background: str
    text: str
    muted: str
    header: str
    header_text: str
    primary: str
    primary_text: str
    secondary_border: str
    key_background: str
    disabled_background: str
    disabled_text: str
    error: str
    ok: str
    accent: str  # painted animations, face box, spinner


NORMAL = Palette(
    background="#ffffff",
    text="#1a1a1a",
    muted="#4a4a4a",
    header=POLICE_BLUE,
    header_text="#ffffff",
    primary=POLICE_BLUE,
    primary_text="#ffffff",
    secondary_border=POLICE_BLUE,
    key_background="#eef3fb",
    disabled_background="#e4e4e4",
    disabled_text="#555555",
    error="#b00020",
    ok="#1b6e34",
    accent="#1f6fd6",
)
HIGH_CONTRAST = Palette(
    background="#000000",
    text="#ffffff",
    muted="#ffffff",
    header="#000000",
    header_text="#ffff00",
    primary="#ffff00",
    primary_text="#000000",
    secondary_border="#ffffff",
    key_background="#000000",
    disabled_background="#333333",
    disabled_text="#d0d0d0",
    error="#ff8080",
    ok="#80ff80",
    accent="#ffff00",
)


@dataclass
class Theme:
    dpi: float
    large_text: bool = False
    high_contrast: bool = False

    def px(self, mm: float) -> int:
        return mm_to_px(mm, self.dpi)

    @property
    def palette(self) -> Palette:
        return HIGH_CONTRAST if self.high_contrast else NORMAL

    @property
    def touch_px(self) -> int:
        return self.px(MIN_TOUCH_MM)

    def font_px(self, level: str = "body") -> int:
        """Pixel size for a text level; "small" is the smallest text anywhere and still 4.8 mm high."""
        minimum = math.ceil(self.px(MIN_TEXT_MM) / CAP_HEIGHT_RATIO)
        factor = {"small": 1.0, "body": 1.2, "large": 1.5, "title": 1.8, "huge": 2.6}[level]
        scale = LARGE_TEXT_SCALE if self.large_text else 1.0
        return math.ceil(minimum * factor * scale)

    def stylesheet(self) -> str:
        p, t = self.palette, self.touch_px
        radius, border = self.px(3), max(2, self.px(0.6))
        return f"""
QWidget {{ background: {p.background}; color: {p.text}; font-size: {self.font_px("body")}px; }}
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: {self.font_px("title")}px; font-weight: bold; }}
QLabel[role="huge"] {{ font-size: {self.font_px("huge")}px; font-weight: bold; color: {p.primary if not self.high_contrast else p.accent}; }}
QLabel[role="mark"] {{ font-size: {self.px(22)}px; font-weight: bold; color: {p.ok}; }}
QLabel[role="mark"][tone="error"] {{ color: {p.error}; }}
QFrame#itemRow {{ border: {border}px solid {p.disabled_background}; border-radius: {radius}px; }}
QFrame#itemRow QLabel {{ border: none; }}
QPushButton[role="item"] {{ font-size: {self.font_px("title")}px; }}
QLabel[role="prompt"] {{ font-size: {self.font_px("large")}px; font-weight: bold; }}
QLabel[role="hint"], QLabel[role="small"] {{ font-size: {self.font_px("small")}px; color: {p.muted}; }}
QLabel[role="error"] {{ font-size: {self.font_px("body")}px; color: {p.error}; font-weight: bold; }}
QLabel[role="ok"] {{ font-size: {self.font_px("body")}px; color: {p.ok}; font-weight: bold; }}
QLabel[role="banner"] {{ background: {p.error}; color: #ffffff; padding: {self.px(2)}px; font-weight: bold; }}
QWidget#header, QWidget#header QLabel {{ background: {p.header}; color: {p.header_text}; }}
QWidget#header QLabel#siteName {{ font-size: {self.font_px("large")}px; font-weight: bold; }}
QPushButton {{
    min-height: {t}px; min-width: {t}px; border-radius: {radius}px; padding: {self.px(1.5)}px {self.px(3)}px;
    background: {p.background}; color: {p.primary if not self.high_contrast else p.text};
    border: {border}px solid {p.secondary_border}; font-weight: bold;
}}
QPushButton[role="primary"], QPushButton[role="danger"] {{ min-height: {self.px(18)}px; }}
QPushButton[role="key"] {{ min-height: {self.px(19)}px; }}
QPushButton[role="tile"] {{ min-height: {self.px(58)}px; }}
QPushButton[role="primary"] {{ background: {p.primary}; color: {p.primary_text}; border-color: {p.primary}; font-size: {self.font_px("large")}px; }}
QPushButton[scale="big"] {{ min-height: {self.px(24)}px; font-size: {self.font_px("title")}px; }}
QPushButton[role="danger"] {{ color: {p.error}; border-color: {p.error}; }}
QPushButton[role="key"] {{ background: {p.key_background}; font-size: {self.font_px("large")}px; padding: 0px; }}
QPushButton[role="header"] {{ background: transparent; color: {p.header_text}; border-color: {p.header_text}; }}
QPushButton[role="header"]:checked {{ background: {p.header_text}; color: {p.header}; }}
QPushButton[role="tile"] {{ text-align: left; padding: {self.px(4)}px; }}
QPushButton[role="choice"]:checked, QPushButton[role="item"]:checked {{ background: {p.primary}; color: {p.primary_text}; }}
QPushButton[role="item"] {{ padding: 0px; }}
QPushButton:disabled {{ background: {p.disabled_background}; color: {p.disabled_text}; border-color: {p.disabled_background}; }}
QPushButton:pressed {{ background: {p.accent}; color: #ffffff; }}
QLineEdit {{
    min-height: {t}px; font-size: {self.font_px("title")}px; border: {border}px solid {p.secondary_border};
    border-radius: {radius}px; padding: 0px {self.px(2)}px; background: {p.background}; color: {p.text};
}}
QLineEdit[active="true"] {{ border: {2 * border}px solid {p.accent}; }}
QProgressBar {{ min-height: {self.px(3)}px; max-height: {self.px(3)}px; border: none; background: {p.disabled_background}; }}
QProgressBar::chunk {{ background: {p.primary if not self.high_contrast else p.accent}; }}
QScrollArea {{ border: none; }}
QWidget#overlayPanel {{ border: {2 * border}px solid {p.primary}; border-radius: {radius}px; }}
"""

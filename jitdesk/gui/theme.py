"""The look: one high-contrast QSS theme (resources/themes/) with sizes scaled by ui.font_scale, and
touch targets of at least 15 mm on the station's screen (jitdesk/gui/touch.py)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from jitdesk.gui import touch
from jitdesk.resources import resource

BASE_PX = 22  # body text at font_scale 1.0: readable from a couple of metres
# Colours used by painted widgets (bars, swatches), matching the QSS.
TEXT = "#F4F6F8"
MUTED = "#B9C4D0"
ACCENT = "#FFD400"
HEADER_MAX_SCALE = 1.25  # the header (plant, station, clock) grows up to this, so the station name keeps room
# What a screen is assumed to need before one is known (about 15 mm at 96 dpi).
DEFAULT_TOUCH_PX = 57
NAV_PADDING_PX = 8  # a nav button's padding (floor.qss): its min-height is the rest of the touch target

_current: dict[str, float] = {"font_scale": 1.0, "touch": DEFAULT_TOUCH_PX}


def sizes(font_scale: float = 1.0, touch_px: int | None = None) -> dict[str, int]:
    base = round(BASE_PX * font_scale)
    head = round(BASE_PX * min(font_scale, HEADER_MAX_SCALE))
    finger = touch_px if touch_px is not None else int(_current["touch"])
    return {
        "hbase": head, "hsmall": round(head * 0.8), "hhuge": round(head * 1.9),
        "htarget": max(finger, round(head * 2.8)),
        "base": base, "small": round(base * 0.8), "large": round(base * 1.3),
        "huge": round(base * 1.9), "giant": round(base * 3.2),
        "target": max(finger, round(base * 2.8)), "nav": max(finger, round(base * 2.4)) - NAV_PADDING_PX,
        "input": max(44, round(base * 2.0)), "check": round(base * 1.4),
        "scrollbar": max(28, round(finger * 0.7)),  # a finger drags it; the whole list flicks as well
    }


def touch_target() -> int:
    """The smallest touch target in pixels for the theme applied last (15 mm on this screen)."""
    return int(_current["touch"])


def font_scale() -> float:
    return float(_current["font_scale"])


def stylesheet(name: str = "floor", font_scale: float = 1.0, touch_px: int | None = None) -> str:
    text = resource("themes", f"{name}.qss").read_text(encoding="utf-8")
    for token, px in sizes(font_scale, touch_px).items():
        text = text.replace(f"@{token}@", str(px))
    return text.replace("@themes@", resource("themes").as_posix())


def apply(app: QApplication, font_scale: float = 1.0, name: str = "floor", *,
          screen_diagonal_inches: float = 0.0) -> None:
    finger = touch.touch_px(app.primaryScreen(), screen_diagonal_inches)
    _current.update(font_scale=font_scale, touch=finger)
    font = QFont(app.font())
    font.setPixelSize(sizes(font_scale, finger)["base"])
    app.setFont(font)
    app.setStyleSheet(stylesheet(name, font_scale, finger))
    touch.install(app, finger)

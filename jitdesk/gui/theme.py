"""The look: one high-contrast QSS theme (resources/themes/) with sizes scaled by ui.font_scale."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from jitdesk.resources import resource

BASE_PX = 22  # body text at font_scale 1.0: readable from a couple of metres
# Colours used by painted widgets (bars, swatches), matching the QSS.
TEXT = "#F4F6F8"
MUTED = "#B9C4D0"
ACCENT = "#FFD400"


def sizes(font_scale: float = 1.0) -> dict[str, int]:
    base = round(BASE_PX * font_scale)
    return {
        "base": base, "small": round(base * 0.8), "large": round(base * 1.3),
        "huge": round(base * 1.9), "giant": round(base * 3.2),
        "target": max(56, round(base * 2.8)), "nav": max(52, round(base * 2.4)), "input": max(44, round(base * 2.0)),
        "check": round(base * 1.4),
    }


def stylesheet(name: str = "floor", font_scale: float = 1.0) -> str:
    text = resource("themes", f"{name}.qss").read_text(encoding="utf-8")
    for token, px in sizes(font_scale).items():
        text = text.replace(f"@{token}@", str(px))
    return text.replace("@themes@", resource("themes").as_posix())


def apply(app: QApplication, font_scale: float = 1.0, name: str = "floor") -> None:
    font = QFont(app.font())
    font.setPixelSize(sizes(font_scale)["base"])
    app.setFont(font)
    app.setStyleSheet(stylesheet(name, font_scale))

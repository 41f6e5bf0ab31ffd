"""Screens under test: the main window at a screen's size with the theme at a font scale, and what a
test checks on it (the window stays that size; a grab is exactly that size)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

SIZES = ((1280, 800), (1920, 1080))
WAIT_MS = 15_000


@contextmanager
def themed(app: Any, font_scale: float = 1.0) -> Iterator[None]:
    """The theme at `font_scale` for one test; back to 1.0 after it (the QApplication is shared)."""
    from jitdesk.gui import theme

    theme.apply(app, font_scale)
    try:
        yield
    finally:
        theme.apply(app, 1.0)


def settle(qtbot: QtBot, ctx: Any, ms: int = 150) -> None:
    """Wait for the loads, then the loads a resize or a first answer starts (debounced), then those."""
    for _ in range(2):
        qtbot.waitUntil(lambda: not ctx.busy, timeout=WAIT_MS)
        qtbot.wait(ms)
    qtbot.waitUntil(lambda: not ctx.busy, timeout=WAIT_MS)
    QApplication.processEvents()


def grab_size(widget: QWidget) -> tuple[int, int]:
    image = widget.grab().toImage()
    return image.width(), image.height()


def size_of(widget: QWidget) -> tuple[int, int]:
    size: QSize = widget.size()
    return size.width(), size.height()


def save_shot(widget: QWidget, tmp_path: Any, name: str) -> tuple[int, int]:
    """Grab `widget` to a PNG (in $JITDESK_SHOTS_DIR when set, for a person to look at; else tmp_path);
    returns the picture's size."""
    import os
    from pathlib import Path

    folder = Path(os.environ.get("JITDESK_SHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    image = widget.grab().toImage()
    assert image.save(str(folder / f"{name}.png"))
    return image.width(), image.height()

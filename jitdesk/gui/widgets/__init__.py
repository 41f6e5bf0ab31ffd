"""Shared widgets: big touch buttons, page titles, the clock, the message bar, the sync-status pill."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QWidget


def big_button(text: str, *, primary: bool = False, danger: bool = False,
               parent: QWidget | None = None) -> QPushButton:
    """A glove-sized button; `primary` is the one action a page is about (yellow)."""
    button = QPushButton(text, parent)
    button.setProperty("primary", primary)
    button.setProperty("danger", danger)
    return button


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageHint")
    label.setWordWrap(True)
    return label


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def restyle(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property used by a QSS selector changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)

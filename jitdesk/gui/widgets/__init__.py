"""Shared widgets: big touch buttons, page titles, the clock, the message bar, the sync-status pill."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget

from jitdesk.gui import theme
from jitdesk.gui.widgets.fit import ElidedLabel, FitTitle


def big_button(text: str, *, primary: bool = False, danger: bool = False,
               parent: QWidget | None = None) -> QPushButton:
    """A glove-sized button; `primary` is the one action a page is about (yellow)."""
    button = QPushButton(text, parent)
    button.setProperty("primary", primary)
    button.setProperty("danger", danger)
    return button


def page_title(text: str) -> QLabel:
    """A page's title on one line: too long for the screen, it ends in "…" (the tooltip has it all)."""
    size = theme.sizes(theme.font_scale())
    label = FitTitle(text, size["huge"], size["base"])  # a large ui.font_scale: smaller type before "…"
    label.setObjectName("pageTitle")
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageHint")
    label.setWordWrap(True)
    return label


def section_title(text: str) -> QLabel:
    label = ElidedLabel(text)
    label.setObjectName("sectionTitle")
    return label


def restyle(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property used by a QSS selector changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


COMBO_CHARS = 10  # a filter box shows at least this many letters, and more when there is room


def shrinkable(combo: QComboBox, chars: int = COMBO_CHARS) -> QComboBox:
    """A combo box whose longest item does not set the page's minimum width (the pop-up shows it whole)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo

"""Qt's side of the message renderer: the plant's `Words` with every template and word passed
through Qt's translation (context "messages") at display time.

Until a translation is installed, `QCoreApplication.translate` gives the English back unchanged. The
templates are data (jitdesk/services/words.py), so a later issue makes the .ts file from that
catalog rather than from tr() calls in the source.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication

from jitdesk.domain.messages import Message
from jitdesk.services.words import Words

CONTEXT = "messages"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def qt_words(words: Words | None = None) -> Words:
    """`words` (default: UTC, no station codes) rendering through Qt's translation."""
    return (words or Words()).translated(tr)


def answer(words: Words, note: Message | None, fallback: str) -> str:
    """A scan answer's words: its message rendered here, or the words the service gave when it has none."""
    return fallback if note is None else words.render(note)


def stamp_words(words: Words, stamp: object) -> str:
    """A stored ISO time ("2026-12-02T00:55:04.894Z", UTC) in the plant's zone, as `Words.time` writes
    it; text that is not a time is shown as it is."""
    text = str(stamp)
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return words.time(int(moment.timestamp() * 1000))

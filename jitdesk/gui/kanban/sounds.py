"""Scan sounds through Qt Multimedia's QSoundEffect, loaded from resources/sounds/ (see scripts/make_sounds.py).

Sound is a help, never a requirement: with no screen (offscreen, minimal), no audio device, no Qt
Multimedia (a machine without libpulse), or JITDESK_NO_SOUND set, `ScanSounds` stays silent and says
so once in the log. It never raises.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

from jitdesk.resources import resource

log = logging.getLogger("jitdesk.gui")

FILES = {"success": "success.wav", "refused": "refused.wav", "info": "info.wav"}
_SILENT_PLATFORMS = ("offscreen", "minimal")


def sound_possible() -> str | None:
    """None when sound may be tried, else why not (plain words for the log)."""
    if os.environ.get("JITDESK_NO_SOUND"):
        return "JITDESK_NO_SOUND is set"
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform in _SILENT_PLATFORMS:
        return f"the {platform} platform has no sound"
    return None


class ScanSounds(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[str, QSoundEffect] = {}
        self.silent_reason = sound_possible()
        if self.silent_reason is None:
            self._load()
        if self.silent_reason is not None:
            log.info("scan sounds off: %s", self.silent_reason)

    @property
    def enabled(self) -> bool:
        return bool(self._effects)

    def _load(self) -> None:
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as error:  # Qt Multimedia or its system libraries are missing
            self.silent_reason = f"Qt Multimedia is not available ({error})"
            return
        if not QMediaDevices.audioOutputs():
            self.silent_reason = "no audio output device"
            return
        for tone, name in FILES.items():
            path = resource("sounds", name)
            if not path.is_file():
                log.warning("scan sound %s is missing", path)
                continue
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.setVolume(1.0)
            self._effects[tone] = effect
        if not self._effects:
            self.silent_reason = "no sound files"

    def play(self, tone: str) -> None:
        effect = self._effects.get(tone)
        if effect is not None:
            effect.play()

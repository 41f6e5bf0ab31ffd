"""Andon sounds through Qt Multimedia's QSoundEffect: one per call type (`CallType.sound` names
resources/sounds/andon_<sound>.wav) and an escalation alarm; mutable per station.

Sound helps, it is never required: with no audio device (or no Qt Multimedia, or an offscreen screen)
`AndonSound` stays silent and `state_words` says so, which the screen shows ("♪✕ Sound off: no audio
device"). It never raises.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl

from jitdesk.gui.kanban.sounds import sound_possible
from jitdesk.resources import resource

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

log = logging.getLogger("jitdesk.gui")

ESCALATION = "escalation"
FALLBACK = "chime"


class AndonSound(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.muted = False
        self._effects: dict[str, QSoundEffect] = {}
        self.played: list[str] = []  # what was asked for, newest last (what a test or the log can check)
        self.silent_reason = sound_possible()
        if self.silent_reason is None:
            self._check_device()
        if self.silent_reason is not None:
            log.info("andon sounds off: %s", self.silent_reason)

    def _check_device(self) -> None:
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError as error:
            self.silent_reason = f"Qt Multimedia is not available ({error})"
            return
        if not QMediaDevices.audioOutputs():
            self.silent_reason = "no audio device"

    @property
    def available(self) -> bool:
        return self.silent_reason is None

    @property
    def state_words(self) -> str:
        if not self.available:
            return f"♪✕ Sound off: {self.silent_reason}"
        return "♪✕ Sound muted here" if self.muted else "♪ Sound on"

    def _effect(self, name: str) -> QSoundEffect | None:
        effect = self._effects.get(name)
        if effect is None:
            path = resource("sounds", f"andon_{name}.wav")
            if not path.is_file():
                if name == FALLBACK:
                    return None
                return self._effect(FALLBACK)
            from PySide6.QtMultimedia import QSoundEffect

            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.setVolume(1.0)
            self._effects[name] = effect
        return effect

    def play(self, name: str) -> None:
        self.played.append(name)
        del self.played[:-20]
        if self.muted or not self.available:
            return
        effect = self._effect(name)
        if effect is not None:
            effect.play()

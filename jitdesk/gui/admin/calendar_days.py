"""Editors for a calendar's special days: holidays ("2026-12-24, 2026-12-25") and one-off overrides,
one line each:

    2026-12-05 Extra 06:00-12:00 09:00-09:15          an extra Saturday shift with a break
    2026-12-05 Extra2 12:00-18:00 stop 15:00-15:30    a planned stop is marked "stop"
    2026-12-08 none Maintenance day                   no shifts that day, with the reason

The first range after the shift name is the shift, the others its breaks. Times and dates are
checked by the service (master.check_calendar), which names what is wrong in plain words.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from jitdesk.domain.errors import BadInput
from jitdesk.gui.admin.fields import Editor

_RANGE = re.compile(r"^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$")


def parse_dates(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in re.split(r"[,\s]+", text) if part.strip())


def parse_overrides(text: str) -> tuple[dict[str, Any], ...]:
    days: dict[str, dict[str, Any]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        words = line.split()
        if len(words) < 2:
            raise BadInput(f"Special day line {number}: write a date and a shift (or 'none'), "
                           "like 2026-12-05 Extra 06:00-12:00.")
        day = days.setdefault(words[0], {"date": words[0], "shifts": [], "reason": ""})
        if words[1].lower() == "none":
            day["reason"] = " ".join(words[2:])
            continue
        ranges: list[tuple[str, str, str]] = []
        kind = "break"
        for word in words[2:]:
            if word.lower() == "stop":
                kind = "stop"
                continue
            found = _RANGE.match(word)
            if found is None:
                raise BadInput(f"Special day line {number}: '{word}' is not a time range like 06:00-14:00.")
            ranges.append((found.group(1).zfill(5), found.group(2).zfill(5), kind))
            kind = "break"
        if not ranges:
            raise BadInput(f"Special day line {number}: the shift {words[1]} needs its times, like 06:00-14:00.")
        (start, end, _k), pauses = ranges[0], ranges[1:]
        day["shifts"].append({"name": words[1], "start": start, "end": end,
                              "breaks": [{"start": a, "end": b, "kind": k} for a, b, k in pauses]})
    return tuple(days.values())


def overrides_text(overrides: Any) -> str:
    lines = []
    for o in overrides or ():
        if not o["shifts"]:
            lines.append(f"{o['date']} none {o.get('reason', '')}".rstrip())
        for s in o["shifts"]:
            pauses = " ".join(("stop " if b.get("kind") == "stop" else "") + f"{b['start']}-{b['end']}"
                              for b in s["breaks"])
            lines.append(f"{o['date']} {s['name']} {s['start']}-{s['end']} {pauses}".rstrip())
    return "\n".join(lines)


class DatesEditor(Editor):
    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("e.g. 2026-12-24, 2026-12-25")
        self.widget = self.edit

    def get(self) -> tuple[str, ...]:
        return parse_dates(self.edit.text())

    def set(self, value: Any) -> None:
        self.edit.setText(", ".join(value or ()))


class OverridesEditor(Editor):
    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText("2026-12-05 Extra 06:00-12:00 09:00-09:15\n2026-12-08 none Maintenance day")
        self.edit.setMinimumHeight(110)
        self.widget = self.edit

    def get(self) -> tuple[dict[str, Any], ...]:
        return parse_overrides(self.edit.toPlainText())

    def set(self, value: Any) -> None:
        self.edit.setPlainText(overrides_text(value))

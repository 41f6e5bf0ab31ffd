"""The header clock tells the plant's time, as every other time on screen does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from jitdesk.gui.widgets.clock import Clock


def _hour(clock: Clock) -> int:
    return int(clock.time.text().split(":")[0])


def test_the_clock_follows_the_plant_time_zone(qtbot: QtBot) -> None:
    clock = Clock()
    qtbot.addWidget(clock)
    clock.set_zone(UTC)
    utc_hour = _hour(clock)
    clock.set_zone(ZoneInfo("Asia/Kolkata"))  # UTC+5:30 all year
    expected = (datetime.now(UTC) + timedelta(hours=5, minutes=30)).hour
    assert _hour(clock) in (expected, (expected + 1) % 24)  # the hour may turn between the reads
    assert _hour(clock) != utc_hour  # 5 or 6 hours ahead, never the same hour

"""The KPI page's days are the plant's days: UTC hours added up into the plant's calendar days."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from jitdesk.services.overview import days_of


def test_hours_fold_into_the_plants_days() -> None:
    hours = [("2026-12-01T22", 3), ("2026-12-01T23", 4), ("2026-12-02T00", 5), ("2026-12-01T10", 1)]
    # Berlin is UTC+1 in December: 23:00 UTC is already the next day there.
    assert days_of(hours, ZoneInfo("Europe/Berlin"), 14) == (("2026-12-02", 9), ("2026-12-01", 4))
    assert days_of(hours, ZoneInfo("UTC"), 14) == (("2026-12-02", 5), ("2026-12-01", 8))
    assert days_of(hours, ZoneInfo("America/Chicago"), 1) == (("2026-12-01", 13),)

"""Stored UTC times (the sync view's "received at", "refused at") show in the plant's time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from jitdesk.gui.words import stamp_words
from jitdesk.services.words import Words


def test_iso_utc_stamps_show_in_the_plants_zone() -> None:
    berlin = Words(ZoneInfo("Europe/Berlin"))
    shown = stamp_words(berlin, "2026-12-02T00:55:04.894Z")
    assert shown == berlin.time(1_796_172_904_894)
    assert "01:55:04" in shown  # UTC+1 in December
    assert "00:55:04" in stamp_words(Words(ZoneInfo("UTC")), "2026-12-02T00:55:04Z")
    assert "01:55:04" in stamp_words(berlin, "2026-12-02 00:55:04")  # no zone written: UTC
    assert stamp_words(berlin, "not a time") == "not a time"

"""The per-station andon state that drives the stack light and the board."""

from __future__ import annotations

from jitdesk.domain.andon.derived import AMBER, RED, station_state


def test_light_follows_the_open_calls() -> None:
    one = station_state({"c1": ["medium", False, False, 100]})
    assert (one.light, one.flash, one.buzzer, one.open_calls, one.unclaimed) == (AMBER, True, False, 1, 1)
    claimed = station_state({"c1": ["medium", False, True, 100]})
    assert (claimed.light, claimed.flash, claimed.buzzer) == (AMBER, False, False)
    stop = station_state({"c1": ["medium", False, True, 100], "c2": ["low", True, False, 50]})
    assert (stop.light, stop.flash, stop.buzzer, stop.oldest_ms, stop.stops_line) == (RED, True, True, 50, True)
    critical = station_state({"c1": ["critical", False, True, 100]})
    assert (critical.light, critical.buzzer, critical.top_severity) == (RED, False, "critical")

"""A remote clock running fast pulls this hybrid clock at most MAX_AHEAD_MS ahead of the wall clock."""

from __future__ import annotations

from jitdesk.domain.clock import MAX_AHEAD_MS, HybridClock, ahead_ms, pack, physical_ms


def test_a_remote_stamp_hours_ahead_is_bounded() -> None:
    wall = 1_800_000_000_000
    clock = HybridClock(pack(wall, 0))
    five_hours = pack(wall + 5 * 3600_000, 0)
    local = clock.observe(five_hours, wall)
    assert physical_ms(local) <= wall + MAX_AHEAD_MS + 1
    assert ahead_ms(five_hours, wall) == 5 * 3600_000
    assert clock.now(wall + 1) > local  # still never backwards


def test_a_remote_stamp_within_the_bound_is_followed() -> None:
    wall = 1_800_000_000_000
    clock = HybridClock(pack(wall, 0))
    near = pack(wall + 5_000, 3)
    assert clock.observe(near, wall) > near

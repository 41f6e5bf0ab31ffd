"""The hybrid logical clock never goes backwards and moves past what it observes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jitdesk.domain.clock import COUNTER_MAX, MAX_AHEAD_MS, HybridClock, pack, physical_ms, unpack

WALL = st.integers(min_value=0, max_value=2**44)


@given(st.lists(st.tuples(st.booleans(), WALL, WALL), min_size=1, max_size=200))
def test_stamps_strictly_increase_whatever_the_wall_clock_does(steps: list[tuple[bool, int, int]]) -> None:
    clock = HybridClock()
    previous = -1
    for is_receive, wall, remote in steps:
        stamp = clock.observe(pack(remote, 0), wall) if is_receive else clock.now(wall)
        assert stamp > previous
        previous = stamp


@given(WALL, WALL)
def test_a_backward_jump_keeps_the_physical_part(first: int, second: int) -> None:
    clock = HybridClock()
    a = clock.now(first)
    b = clock.now(second)
    assert physical_ms(b) == max(first, second) or (physical_ms(b) == physical_ms(a) and b > a)


@given(WALL, WALL)
def test_observe_moves_past_the_remote_stamp(local: int, remote: int) -> None:
    clock = HybridClock()
    clock.now(local)
    remote_stamp = pack(remote, 5)
    if remote <= local + MAX_AHEAD_MS:
        assert clock.observe(remote_stamp, local) > remote_stamp
    else:  # a clock running fast pulls this one only up to the bound
        assert physical_ms(clock.observe(remote_stamp, local)) <= local + MAX_AHEAD_MS + 1


def test_counter_overflow_borrows_the_next_millisecond() -> None:
    clock = HybridClock(pack(1000, COUNTER_MAX))
    stamp = clock.now(900)
    assert unpack(stamp) == (1001, 0)

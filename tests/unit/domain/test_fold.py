"""The fold gives the same projection for any arrival order and for duplicates."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

import jitdesk.domain.catalog  # noqa: F401
from jitdesk.domain.events import Event
from jitdesk.domain.fold import PROJECTORS, Projector, fold, needs_refold
from jitdesk.domain.master import Part


@dataclass(frozen=True)
class Tally:
    total: int
    history: tuple[int, ...]


def _apply(state: Tally | None, event: Event) -> Tally:
    before = state or Tally(0, ())
    return Tally(before.total + event.payload["n"], (*before.history, event.payload["n"]))


TALLY = Projector("tally", Tally, frozenset({"t.add"}), _apply)


def make_event(i: int, hlc: int, device: str, n: int, kind: str = "t.add", payload: dict | None = None) -> Event:
    return Event(f"e{i}", "p", device, i + 1, hlc, "2026-11-22T00:00:00.000Z", kind, "x", None,
                 payload if payload is not None else {"n": n}, 1)


EVENTS = st.lists(
    st.tuples(st.integers(0, 50), st.sampled_from(["a", "b", "c"]), st.integers(-5, 5)), min_size=1, max_size=30
).map(lambda items: [make_event(i, hlc, dev, n) for i, (hlc, dev, n) in enumerate(items)])


@given(EVENTS, st.randoms(use_true_random=False), st.integers(0, 5))
def test_any_order_and_duplicates_give_the_same_state(events: list[Event], rnd, dup: int) -> None:  # type: ignore[no-untyped-def]
    expected = fold(TALLY, events)
    shuffled = events + [rnd.choice(events) for _ in range(dup)]
    rnd.shuffle(shuffled)
    assert fold(TALLY, shuffled) == expected


@given(EVENTS)
def test_folding_in_two_steps_equals_one_when_order_is_kept(events: list[Event]) -> None:
    ordered = sorted(events, key=lambda e: e.order_key)
    half = len(ordered) // 2
    assert fold(TALLY, ordered[half:], fold(TALLY, ordered[:half])) == fold(TALLY, ordered)


def test_needs_refold_only_for_older_events() -> None:
    late = make_event(0, 5, "a", 1)
    assert needs_refold((10, "a", 1), late)
    assert not needs_refold((1, "a", 1), late)
    assert not needs_refold(None, late)


@given(st.permutations(range(6)))
def test_master_records_latest_wins_in_any_order(order: list[int]) -> None:
    projector = PROJECTORS.for_kind("master.part.upserted")
    assert projector is not None
    events = [make_event(i, 100 + i, "d", 0, "master.part.upserted", {"number": "P-1", "name": f"rev {i}"})
              for i in range(6)]
    state = fold(projector, [events[i] for i in order])
    assert state == Part(number="P-1", name="rev 5")

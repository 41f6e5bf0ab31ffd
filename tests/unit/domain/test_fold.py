"""The fold gives the same projection for any arrival order and for duplicates."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

import jitdesk.domain.catalog  # noqa: F401
from jitdesk.domain.events import Event
from jitdesk.domain.fold import PROJECTORS, Projector, fold, fold_one, needs_refold
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


def _incremental(projector: Projector[Tally], arrivals: list[Event]) -> Tally | None:
    """What a station's unit of work does: each arriving event is stored (once), then applied on top
    or, when it sorts before the head, the entity is folded again from what is stored."""
    log: dict[str, Event] = {}
    current: tuple[Tally, tuple[int, str, int]] | None = None
    for event in arrivals:
        if event.event_id in log:
            continue
        log[event.event_id] = event
        current = fold_one(projector, current, event, lambda: list(log.values()))
    return None if current is None else current[0]


@given(EVENTS, st.randoms(use_true_random=False), st.integers(0, 5))
def test_incremental_arrival_in_any_order_with_duplicates_equals_the_fold(events: list[Event], rnd, dup: int
                                                                          ) -> None:  # type: ignore[no-untyped-def]
    arrivals = events + [rnd.choice(events) for _ in range(dup)]
    rnd.shuffle(arrivals)
    assert _incremental(TALLY, arrivals) == fold(TALLY, events)


def test_a_late_event_is_folded_in_order_not_on_top() -> None:
    late, early = make_event(0, 5, "a", 1), make_event(1, 10, "a", 2)
    assert _incremental(TALLY, [early, late]) == Tally(3, (1, 2))  # not (2, 1): re-folded in hlc order


def test_needs_refold_only_for_older_events() -> None:
    late = make_event(0, 5, "a", 1)
    assert needs_refold((10, "a", 1), late)
    assert not needs_refold((1, "a", 1), late)
    assert not needs_refold(None, late)


@given(st.permutations(range(6)))
def test_master_records_latest_wins_in_any_order(order: list[int]) -> None:
    (projector,) = PROJECTORS.for_kind("master.part.upserted")
    events = [make_event(i, 100 + i, "d", 0, "master.part.upserted", {"number": "P-1", "name": f"rev {i}"})
              for i in range(6)]
    state = fold(projector, [events[i] for i in order])
    assert state == Part(number="P-1", name="rev 5")

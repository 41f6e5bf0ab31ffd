"""The change bus: every subscriber hears each non-empty Changes once, in order; one broken subscriber
does not keep the change from the others; unsubscribing stops it."""

from __future__ import annotations

import logging

import pytest

from jitdesk.runtime.bus import ChangeBus, changes_in
from jitdesk.services.changes import NO_CHANGES, Changes

CARD = Changes(frozenset({("card", "c1")}))
USER = Changes(frozenset({("user", "u1")}))


def test_subscribers_hear_changes_in_order_and_empty_changes_are_not_news() -> None:
    errors: list[BaseException] = []
    bus = ChangeBus(on_error=errors.append)
    heard: list[tuple[str, Changes]] = []
    stop_a = bus.subscribe(lambda c: heard.append(("a", c)))
    bus.subscribe(lambda c: heard.append(("b", c)))
    bus.publish(CARD)
    bus.publish(NO_CHANGES)
    bus.publish(None)
    stop_a()
    stop_a()
    bus.publish(USER)
    assert heard == [("a", CARD), ("b", CARD), ("b", USER)]
    assert bus.published == 2 and errors == []


def test_a_broken_subscriber_is_logged_and_the_others_still_hear(caplog: pytest.LogCaptureFixture) -> None:
    errors: list[BaseException] = []
    bus = ChangeBus(on_error=errors.append)
    heard: list[Changes] = []
    bus.subscribe(lambda c: 1 / 0)
    bus.subscribe(heard.append)
    with caplog.at_level(logging.ERROR, "jitdesk.runtime"):
        bus.publish(CARD)
    assert heard == [CARD]
    assert len(errors) == 1 and isinstance(errors[0], ZeroDivisionError)
    assert "change listener" in caplog.text


def test_results_are_published_with_the_changes_inside_them() -> None:
    bus = ChangeBus()
    heard: list[Changes] = []
    bus.subscribe(heard.append)
    assert bus.publish_result(("id-1", CARD)) is CARD
    assert bus.publish_result("nothing") is None
    assert heard == [CARD] and changes_in(USER) is USER

import logging

import pytest

from jitdesk.runtime.listeners import Listeners


def test_each_listener_hears_in_turn_and_unsubscribes() -> None:
    heard: list[tuple[str, int]] = []
    listeners: Listeners[int] = Listeners("number")
    off_a = listeners.subscribe(lambda n: heard.append(("a", n)))
    listeners.subscribe(lambda n: heard.append(("b", n)))
    listeners.tell(1)
    off_a()
    off_a()  # twice is harmless
    listeners.tell(2)
    assert heard == [("a", 1), ("b", 1), ("b", 2)]
    assert len(listeners) == 1


def test_a_broken_listener_is_logged_and_the_others_still_hear(caplog: pytest.LogCaptureFixture,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    reported: list[type] = []
    monkeypatch.setattr("sys.excepthook", lambda kind, value, tb: reported.append(kind))
    heard: list[int] = []
    listeners: Listeners[int] = Listeners("answer", report=True)

    def broken(_: int) -> None:
        raise ValueError("boom")

    listeners.subscribe(broken)
    listeners.subscribe(heard.append)
    with caplog.at_level(logging.ERROR):
        listeners.tell(7)
    assert heard == [7]
    assert reported == [ValueError]
    assert "answer listener" in caplog.text


def test_a_listener_may_unsubscribe_while_being_told() -> None:
    listeners: Listeners[int] = Listeners("number")
    heard: list[int] = []
    offs = []
    offs.append(listeners.subscribe(lambda n: offs[0]()))
    listeners.subscribe(heard.append)
    listeners.tell(3)
    listeners.tell(4)
    assert heard == [3, 4] and len(listeners) == 1

"""The scan router alone: claims (newest first, passing on, released when the owner closes), dispatch by
code form in registration order, and a plain answer for every code nobody takes, even when a handler fails."""

from __future__ import annotations

import logging

import pytest

from jitdesk.runtime.scan_router import Scan, ScanRouter, unknown_answer
from jitdesk.runtime.scan_routes import is_kanban_code


class Rig:
    def __init__(self) -> None:
        self.got: list[tuple[str, str, str]] = []  # (who, code, source)
        self.answers: list[tuple[str, str]] = []  # fallback: (code, answer)
        self.router = ScanRouter(fallback=lambda scan, answer: self.answers.append((scan.code, answer)))
        self.router.register("kanban", is_kanban_code, self.taker("kanban"))
        self.router.register("badge", lambda code: code in {"B-OP-7", "B-SUP-2"}, self.taker("badge"))

    def taker(self, who: str, result: object = None):  # type: ignore[no-untyped-def]
        def take(scan: Scan) -> object:
            self.got.append((who, scan.code, scan.source))
            return result
        return take


@pytest.fixture
def rig() -> Rig:
    return Rig()


def test_codes_go_by_their_form(rig: Rig) -> None:
    assert rig.router.route("K000001W", "serial").to == "kanban"
    assert rig.router.route("SP000001P", "wedge").to == "kanban"  # a status code is kanban's too
    assert rig.router.route("K000001X", "wedge").to == "kanban"  # card form, bad check: kanban answers it
    assert rig.router.route("B-OP-7", "wedge").to == "badge"
    assert rig.got == [("kanban", "K000001W", "serial"), ("kanban", "SP000001P", "wedge"),
                       ("kanban", "K000001X", "wedge"), ("badge", "B-OP-7", "wedge")]
    assert rig.answers == []


def test_an_unknown_code_gets_a_plain_answer_and_is_never_lost(rig: Rig) -> None:
    routed = rig.router.route("HELLO-42", "wedge")
    assert (routed.kind, routed.answer) == ("unknown", "not a code jitdesk knows: HELLO-42")
    assert rig.answers == [("HELLO-42", "not a code jitdesk knows: HELLO-42")]
    assert rig.got == []
    assert unknown_answer("A\x1dB" + "x" * 80).startswith("not a code jitdesk knows: A\\x1dB")
    assert unknown_answer("x" * 80).endswith("…")


def test_the_newest_live_claim_gets_every_code_first_and_release_gives_them_back(rig: Rig) -> None:
    older = rig.router.claim("print field", rig.taker("print"))
    newer = rig.router.claim("sign-in badge field", rig.taker("sign-in"))
    assert rig.router.claims == ["sign-in badge field", "print field"]
    for code in ("K000001W", "B-OP-7", "HELLO"):  # whatever its form
        assert rig.router.route(code, "wedge").kind == "claim"
    assert [who for who, _c, _s in rig.got] == ["sign-in"] * 3
    newer.release()
    newer.release()  # twice is harmless
    assert rig.router.route("B-OP-7", "wedge").to == "print field"
    older.release()
    assert rig.router.claims == []
    assert rig.router.route("B-OP-7", "wedge").to == "badge"
    assert rig.answers == []


def test_a_claim_held_in_a_with_block_is_released_when_the_block_ends(rig: Rig) -> None:
    with rig.router.claim("dialog", rig.taker("dialog")) as claim:
        assert rig.router.route("K000001W").to == "dialog"
    assert not claim.live and rig.router.route("K000001W").to == "kanban"


def test_a_claim_may_pass_a_code_on(rig: Rig) -> None:
    rig.router.claim("print field", rig.taker("print"))
    rig.router.claim("picky field", lambda scan: False if scan.code.startswith("B-") else None)
    assert rig.router.route("B-OP-7").to == "print field"
    assert rig.router.route("K000001W").to == "picky field"


def test_routes_are_tried_in_the_order_registered_and_names_are_unique(rig: Rig) -> None:
    unregister = rig.router.register("andon", lambda code: code.startswith("A") and len(code) == 6,
                                     rig.taker("andon"))
    rig.router.register("takt", lambda code: code.startswith("T-"), rig.taker("takt"))
    assert rig.router.routes == ["kanban", "badge", "andon", "takt"]
    assert rig.router.route("A12345").to == "andon"
    assert rig.router.route("T-9").to == "takt"
    with pytest.raises(ValueError, match="already registered"):
        rig.router.register("takt", lambda code: True, rig.taker("again"))
    unregister()
    assert rig.router.route("A12345").kind == "unknown"


def test_a_failing_handler_is_logged_and_the_code_still_gets_an_answer(rig: Rig,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    def broken(scan: Scan) -> None:
        raise RuntimeError("bug in a route")

    rig.router.register("broken", lambda code: code == "BROKEN", broken)
    rig.router.register("bad matcher", lambda code: 1 / 0 > 0, rig.taker("never"))
    with caplog.at_level(logging.ERROR, "jitdesk.scan"):
        routed = rig.router.route("BROKEN", "serial")
        assert rig.router.route("NOBODY").kind == "unknown"  # the broken matcher counts as "not mine"
    assert routed.kind == "failed" and "could not be handled" in routed.answer
    assert rig.answers[0] == ("BROKEN", routed.answer)
    assert "route broken failed" in caplog.text and "matcher failed" in caplog.text


def test_listeners_hear_where_each_scan_went(rig: Rig) -> None:
    heard: list[tuple[str, str]] = []
    stop = rig.router.subscribe(lambda routed: heard.append((routed.kind, routed.to)))
    rig.router.route("K000001W")
    rig.router.route("???")
    stop()
    rig.router.route("B-OP-7")
    assert heard == [("route", "kanban"), ("unknown", "")]

"""The sign-in dialog driven by real X key events and clicks (xdotool) in the real app under Xvfb.

A person types the badge and PIN slowly (the wedge lets typing through), Enter submits, a wrong PIN
is said inside the dialog (Enter never presses Cancel), the right one signs in; a badge sent at a
scanner's speed while the dialog is open lands in the badge field and asks for the PIN. The
on-screen PIN pad is clicked like a touch screen, at the normal type and at large type (ui.font_scale
1.5, where the fields scroll): every tap counts, two fast taps on one key as well (the second comes as
a double click), and a key is only clicked where it can be seen (`where` refuses a hidden centre).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.helpers.xapp import XApp, demo_app
from tests.helpers.xvfb import XScreen, key_names, xscreen  # noqa: F401 (fixture)

WAIT_S = 60.0  # how long to wait for the app, never a speed claim
HUMAN_MS = 150  # a person's pace between keys
FAST_TAP_MS = 60  # two taps closer than any double-click interval: Qt makes the second a double click
PAD = "123456789⌫0✔"  # pinKeyN is PAD[N]
SETTINGS = {"type1.0": "", "type1.5": "[ui]\nfont_scale = 1.5\n"}


@pytest.fixture(scope="module", params=list(SETTINGS))
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
        xscreen: XScreen) -> Iterator[XApp]:  # noqa: F811
    # One app at a time on the screen: pytest closes one setting's app before it starts the next.
    settings = SETTINGS[request.param]
    running, _db = demo_app(tmp_path_factory.mktemp("xsignin"), xscreen.env(), settings)
    try:
        yield running
    finally:
        assert running.close() == 0
        assert "Traceback" not in running.stderr()


def until(app: XApp, check: object) -> dict[str, object]:
    deadline = time.monotonic() + WAIT_S
    state = app.signin()
    while time.monotonic() < deadline:
        state = app.signin()
        if check(state) and not state.get("busy"):  # type: ignore[operator]
            return state
        time.sleep(0.1)
    raise AssertionError(f"the sign-in dialog never got there: {state}")


def click(app: XApp, xscreen: XScreen, name: str) -> None:  # noqa: F811
    x, y = app.where(name)
    xscreen.xdotool("mousemove", str(x), str(y), "click", "1")


def sign_out(app: XApp, xscreen: XScreen) -> None:  # noqa: F811
    if app.signin()["user"] is not None:
        click(app, xscreen, "signButton")
        until(app, lambda s: s["user"] is None)


def test_typed_badge_and_pin_with_enter(app: XApp, xscreen: XScreen) -> None:  # noqa: F811
    sign_out(app, xscreen)
    click(app, xscreen, "signButton")
    until(app, lambda s: s["open"] and s["focus"] == "badge")
    xscreen.type_keys(key_names("B-5001", end="Tab"), delay_ms=HUMAN_MS)
    until(app, lambda s: s["badge"] == "B-5001" and s["focus"] == "pin")
    xscreen.type_keys(key_names("1234"), delay_ms=HUMAN_MS)  # a wrong PIN, then Enter
    state = until(app, lambda s: bool(s["message"]))
    assert state["open"] and state["user"] is None  # still open: Enter did not press Cancel
    assert "PIN" in str(state["message"])
    xscreen.type_keys(key_names("5001"), delay_ms=HUMAN_MS)
    state = until(app, lambda s: s["user"] is not None)
    assert state["role"] == "supervisor" and not state["open"]


def test_badge_scanned_while_the_dialog_is_open_then_pin_on_the_pad(app: XApp, xscreen: XScreen) -> None:  # noqa: F811
    sign_out(app, xscreen)
    click(app, xscreen, "signButton")
    state = until(app, lambda s: s["open"])
    assert state["badge"] == "" and state["pin"] == 0  # fresh every time it opens
    xscreen.type_keys(key_names("B-9001"), delay_ms=5)  # a wedge scanner's burst
    state = until(app, lambda s: s["badge"] == "B-9001" and bool(s["message"]))
    assert "PIN" in str(state["message"]) and state["open"]
    for key in "9001":  # 0 twice: the same key again, at a person's pace
        click(app, xscreen, f"pinKey{PAD.index(key)}")
    until(app, lambda s: s["pin"] == 4)
    click(app, xscreen, f"pinKey{PAD.index('✔')}")
    state = until(app, lambda s: s["user"] is not None)
    assert state["role"] == "admin"


def test_two_fast_taps_on_one_key_both_count(app: XApp, xscreen: XScreen) -> None:  # noqa: F811
    sign_out(app, xscreen)
    click(app, xscreen, "signButton")
    until(app, lambda s: s["open"] and s["pin"] == 0)
    for key, pins in (("5", 2), ("0", 4)):
        x, y = app.where(f"pinKey{PAD.index(key)}")
        xscreen.xdotool("mousemove", str(x), str(y), "click", "--repeat", "2", "--delay", str(FAST_TAP_MS), "1")
        until(app, lambda s, pins=pins: s["pin"] == pins)
    click(app, xscreen, f"pinKey{PAD.index('⌫')}")
    state = until(app, lambda s: s["pin"] == 3)
    assert state["open"] and state["focus"] == "pin"
    click(app, xscreen, "signInCancel")
    until(app, lambda s: not s["open"])

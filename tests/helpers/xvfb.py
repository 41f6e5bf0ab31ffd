"""A real X screen for tests that need real key events: Xvfb on a free display, and xdotool to type.

`Xvfb -displayfd` picks a free display number itself and writes it to a pipe, so parallel test runs
never collide. xdotool sends real X key events through XTEST: Shift is pressed for every capital,
exactly as a USB keyboard-wedge scanner does (Qt-synthesised key events do not do that).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest

WIDTH, HEIGHT = 1280, 800


def missing_tools() -> str:
    """Why a real-X test cannot run here ('' when it can)."""
    for tool, package in (("Xvfb", "xvfb"), ("xdotool", "xdotool")):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian package {package}; scripts/setup.sh installs it)"
    return ""


class XScreen:
    def __init__(self, display: str, process: subprocess.Popen[bytes]) -> None:
        self.display = display
        self.process = process

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["DISPLAY"] = self.display
        env["QT_QPA_PLATFORM"] = "xcb"
        return env

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(["xdotool", *args], env=self.env(), capture_output=True, text=True,
                              timeout=60, check=True)
        return done.stdout

    def type_keys(self, keys: list[str], delay_ms: int = 5) -> None:
        """Press each xdotool key name (e.g. "Shift+k", "0", "Return") as real key events."""
        self.xdotool("key", "--delay", str(delay_ms), *keys)


def key_names(code: str, end: str = "Return") -> list[str]:
    """The xdotool key presses a wedge scanner makes for `code`: Shift+letter for each capital."""
    names = []
    for ch in code:
        if ch.isupper():
            names.append(f"Shift+{ch.lower()}")
        elif ch == "-":
            names.append("minus")
        else:
            names.append(ch)
    return [*names, end]


@pytest.fixture(scope="module")
def xscreen() -> Iterator[XScreen]:
    reason = missing_tools()
    if reason:
        pytest.skip(reason)
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{WIDTH}x{HEIGHT}x24",
                                "-nolisten", "tcp"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        process.kill()
        pytest.skip("Xvfb did not start (no display number came back)")
    try:
        yield XScreen(f":{number}", process)
    finally:
        process.terminate()
        process.wait(timeout=30)

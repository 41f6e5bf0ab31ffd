"""The real jitdesk app in a real X window, with a line-based control channel for tests.

Run as ``python -m tests.helpers.xapp DB [jitdesk args...]`` under a real X display: it makes the
QApplication, listens on stdin, then starts the app exactly as the ``jitdesk demo`` command does
(``jitdesk.cli.main``): same window, same app-wide wedge filter, same scan router and database.
The channel only moves the keyboard focus and reads widgets back; the keys themselves come from
outside as real X events (xdotool). Commands, one a line; each answer is one line ``XAPP ...``:

    focus VIEW WHERE   show VIEW, focus its nav button / first table / first text box
                       -> "XAPP focused VIEW WHERE ClassName" (or "XAPP none VIEW WHERE")
    text               -> "XAPP text <repr of the focused text box's text>"
    where NAME         -> "XAPP where X Y": the screen centre of the visible widget named NAME
                          ("XAPP none ..." when that centre is scrolled away or clipped)
    signin             -> "XAPP signin {json}": the sign-in dialog's state and who is signed in
    shot PATH          -> "XAPP shot saved": a PNG of the whole screen
    close              close the window like a person would

``XApp`` is the test side: it starts the process and speaks the channel.
"""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers.paths import REPO_ROOT

READY = "XAPP ready"
WAIT_S = 120.0  # how long to wait for the app, never a speed claim


def _driver(argv: list[str]) -> int:
    from PySide6.QtCore import QSocketNotifier, QTimer
    from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QPushButton, QWidget

    app = QApplication([sys.argv[0]])

    def say(text: str) -> None:
        print(f"XAPP {text}", flush=True)

    def window() -> QWidget | None:
        from jitdesk.gui.main_window import MainWindow

        return next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)

    def command(line: str) -> None:
        main = window()
        parts = line.split()
        if main is None or not parts:
            say("error no window")
            return
        if parts[0] == "focus":
            view, where = parts[1], parts[2]
            page = main.show_view(view)  # type: ignore[attr-defined]
            target: QWidget | None
            if where == "nav":
                target = main.nav_buttons[view]  # type: ignore[attr-defined]
            elif where == "table":
                target = next((w for w in page.findChildren(QAbstractItemView) if w.isVisible()), None)
            elif where == "button":  # a scan's Enter must not press it
                target = next((w for w in page.findChildren(QPushButton) if w.isVisible() and w.isEnabled()), None)
            else:
                target = next((w for w in page.findChildren(QLineEdit) if w.isVisible() and w.isEnabled()), None)
            if target is None:
                say(f"none {view} {where}")
                return
            main.activateWindow()
            target.setFocus()

            def report() -> None:
                focused = app.focusWidget()
                say(f"focused {view} {where} {type(focused).__name__ if focused else 'nothing'}")

            QTimer.singleShot(300, report)
        elif parts[0] == "text":
            focused = app.focusWidget()
            say(f"text {focused.text()!r}" if isinstance(focused, QLineEdit) else "text None")
        elif parts[0] == "where":
            found = [w for top in app.topLevelWidgets() for w in top.findChildren(QWidget, parts[1])
                     if w.isVisible()]
            if not found:
                say("none where")
                return
            middle = found[0].rect().center()
            if not found[0].visibleRegion().contains(middle):  # scrolled away or under another widget
                say(f"none where {parts[1]} is hidden")
                return
            centre = found[0].mapToGlobal(middle)
            say(f"where {centre.x()} {centre.y()}")
        elif parts[0] == "signin":
            import json

            dialog = getattr(main, "sign_in_dialog", None)
            user = main.ctx.user  # type: ignore[attr-defined]
            state = {"user": user.name if user else None, "role": user.role.label if user else None,
                     "open": bool(dialog and dialog.isVisible())}
            if dialog is not None:
                focused = app.focusWidget()
                state.update(badge=dialog.badge.text(), pin=len(dialog.badge_pin.text()),
                             message=dialog.message.text() if dialog.message.isVisible() else "",
                             busy=dialog.busy,
                             focus="pin" if focused is dialog.badge_pin else "badge" if focused is dialog.badge
                             else type(focused).__name__)
            say("signin " + json.dumps(state))
        elif parts[0] == "shot":
            screen = app.primaryScreen()
            saved = screen is not None and screen.grabWindow(0).save(parts[1])
            say(f"shot {'saved' if saved else 'failed'}")
        elif parts[0] == "close":
            main.close()

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)

    def readable() -> None:
        line = sys.stdin.readline()
        if not line:
            notifier.setEnabled(False)
            return
        command(line.strip())

    notifier.activated.connect(readable)

    def wait_for_window() -> None:
        main = window()
        if main is None:
            QTimer.singleShot(100, wait_for_window)
            return
        main.activateWindow()
        QTimer.singleShot(500, lambda: say("ready"))

    QTimer.singleShot(100, wait_for_window)
    from jitdesk.cli import main as cli

    return cli(argv)


def demo_app(base: Path, env: dict[str, str], settings: str = "") -> tuple[XApp, Path]:
    """A fresh demo plant in `base` and the app on it (private user dirs, `settings` as its TOML)."""
    db = base / "demo.db"
    env = dict(env)
    for name in ("data", "config", "log"):
        (base / name).mkdir(exist_ok=True)
        env[f"JITDESK_{name.upper()}_DIR"] = str(base / name)
    (base / "config" / "settings.toml").write_text(settings, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "jitdesk", "demo", "--db", str(db), "--setup-only"], cwd=REPO_ROOT,
                   env=env, check=True, capture_output=True, timeout=300)
    return XApp(["demo", "--db", str(db)], env, base / "stderr.txt"), db


class XApp:
    """The app process under test, on the X screen `env` names."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        env = dict(env)
        env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        env["PYTHONUNBUFFERED"] = "1"
        self.stderr_path = log
        self._stderr = log.open("wb")
        self.process = subprocess.Popen([sys.executable, "-m", "tests.helpers.xapp", *args], cwd=REPO_ROOT,
                                        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self._stderr, text=True, bufsize=1)
        self.expect("ready")

    def expect(self, prefix: str, timeout_s: float = WAIT_S) -> str:
        """The next answer line starting with `prefix` (other lines are skipped)."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.5)
            if not ready:
                if self.process.poll() is not None:
                    raise AssertionError(f"the app exited ({self.process.returncode}): {self.stderr()}")
                continue
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(f"the app closed its output: {self.stderr()}")
            if line.startswith(f"XAPP {prefix}") or line.startswith("XAPP error") or line.startswith("XAPP none"):
                return line[len("XAPP "):].rstrip("\n")
        raise AssertionError(f"no answer {prefix!r} from the app in {timeout_s} s: {self.stderr()}")

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def focus(self, view: str, where: str) -> str:
        self.send(f"focus {view} {where}")
        return self.expect("focused")

    def text(self) -> str:
        self.send("text")
        return self.expect("text")

    def where(self, name: str) -> tuple[int, int]:
        self.send(f"where {name}")
        answer = self.expect("where").split()
        assert answer[0] == "where", answer
        return int(answer[1]), int(answer[2])

    def signin(self) -> dict[str, object]:
        import json

        self.send("signin")
        state: dict[str, object] = json.loads(self.expect("signin")[len("signin "):])
        return state

    def shot(self, path: Path) -> None:
        """A picture of the whole X screen, as the person in front of it sees it."""
        self.send(f"shot {path}")
        assert self.expect("shot") == "shot saved"

    def stderr(self) -> str:
        if not self._stderr.closed:
            self._stderr.flush()
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def close(self) -> int:
        if self.process.poll() is None:
            with contextlib.suppress(BrokenPipeError, OSError):
                self.send("close")
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self._stderr.close()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        return self.process.returncode


if __name__ == "__main__":
    sys.exit(_driver(sys.argv[1:]))

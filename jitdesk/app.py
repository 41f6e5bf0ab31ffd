"""Composition root: settings, logging, database, service hub, QApplication + qasync loop,
excepthook, and the main window. Also the `--screenshot` mode and the start-up probe.

Heavy modules (Qt, SQLAlchemy, the views) are imported inside functions, so `jitdesk --help`
stays instant and the first window paints as early as it can.

Environment: JITDESK_STARTUP_PROBE=FILE appends "first_paint <unix time>" to FILE when the main
window first paints, then quits (bench/startup.py measures start-up with it).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from jitdesk.domain.errors import BadInput, KnownError, StorageProblem

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    from jitdesk.config import LoadedSettings
    from jitdesk.gui.context import AppContext
    from jitdesk.gui.main_window import MainWindow
    from jitdesk.services.changes import Changes
    from jitdesk.services.hub import ServiceHub
    from jitdesk.sync.client import SyncClient

log = logging.getLogger("jitdesk.app")
PROBE_ENV = "JITDESK_STARTUP_PROBE"
HEADLESS_PLATFORMS = ("offscreen", "minimal")


def run_app(args: argparse.Namespace) -> int:
    from jitdesk.paths import database_path

    return run_gui(args, database_path(args.db))


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise BadInput(f"--size '{text}' is not like 1920x1080") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise BadInput(f"--size '{text}': width and height must be 200 to 8000 pixels")
    return width, height


def run_gui(args: argparse.Namespace, db_path: Path, *, demo: bool = False) -> int:
    """Open the app on the database at `db_path`; returns the exit status."""
    from jitdesk import config, logsetup, paths
    from jitdesk.runtime.crash_trace import enable_crash_trace

    loaded = config.load_settings(paths.settings_path(getattr(args, "settings", None)))
    log_file = logsetup.setup_logging(paths.log_dir())
    for problem in loaded.problems:
        log.warning("%s", problem)
    # Native crashes (inside Qt or a C library) leave their trace in the log dir; the last run's is reported.
    crash_trace = enable_crash_trace(log_file.parent if log_file is not None else None)
    try:
        return _run_gui(args, db_path, loaded, log_file, crash_trace.message, demo=demo)
    finally:
        crash_trace.close()


def _run_gui(args: argparse.Namespace, db_path: Path, loaded: LoadedSettings, log_file: Path | None,
             crashed: str | None, *, demo: bool) -> int:
    screenshot = getattr(args, "screenshot", None)
    view = getattr(args, "view", None) or loaded.settings.ui.start_view
    size = parse_size(args.size) if screenshot else None
    if screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # render without a screen
    from jitdesk.storage.database import open_database

    try:
        db = open_database(db_path)
    except StorageProblem as error:
        log.error("cannot open the database: %s", error)
        return fatal(str(error))
    from jitdesk.services.hub import ServiceHub

    hub = ServiceHub(db)
    problems = ([crashed] if crashed else []) + list(loaded.problems)
    try:
        from jitdesk.services.rebuild import refold_if_changed

        if hub.call(refold_if_changed):
            log.info("projections rebuilt: this version folds event kinds the log already held")
        if demo:
            from jitdesk.services.demo import ensure_demo

            if hub.call(ensure_demo):
                log.info("demo plant created in %s", db_path)
        if loaded.settings.station.code:
            from jitdesk.services.station_identity import assign_code

            try:
                hub.call(assign_code, loaded.settings.station.code)
            except KnownError as error:
                problems.append(str(error))
        return _run_qt(args, hub, loaded, problems, log_file, demo=demo, view=view,
                       screenshot=Path(screenshot) if screenshot else None, size=size)
    finally:
        hub.close()


def _run_qt(args: argparse.Namespace, hub: ServiceHub, loaded: LoadedSettings, problems: list[str],
            log_file: Path | None, *, demo: bool, view: str, screenshot: Path | None,
            size: tuple[int, int] | None) -> int:
    import qasync
    from PySide6.QtWidgets import QApplication

    from jitdesk.gui import theme
    from jitdesk.gui.context import AppContext
    from jitdesk.gui.crash import CrashHandler
    from jitdesk.gui.main_window import MainWindow
    from jitdesk.gui.views import spec

    spec(view)  # an unknown --view is a plain error before any window opens
    _route_qt_messages()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("jitdesk")
    app.setQuitOnLastWindowClosed(False)
    theme.apply(app, loaded.settings.ui.font_scale,
                screen_diagonal_inches=loaded.settings.ui.screen_diagonal_inches)
    ctx = AppContext(hub, loaded.settings, demo=demo, log_file=str(log_file) if log_file else None)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    crash = CrashHandler(ctx.log_file, known=ctx.notify)
    crash.install(loop)
    if screenshot is None:
        from jitdesk.gui.scanning import install_scanning

        install_scanning(ctx, app)  # serial scanner (if configured) and keyboard wedge -> record_scan
        from jitdesk.gui.andon.outputs import install_andon_outputs

        app.aboutToQuit.connect(install_andon_outputs(ctx).stop)  # andon button, stack light, MQTT
        from jitdesk.gui.takt.pedal import install_pedal

        install_pedal(ctx)  # a serial foot pedal or line sensor (if configured) -> complete_cycle
        from jitdesk.runtime.takt_routes import follow_andon_link

        ctx.runtime.start_task("takt andon link", lambda: follow_andon_link(ctx.hub, ctx.bus))
    window = MainWindow(ctx, view)
    sync = _start_sync(ctx, loaded) if screenshot is None else None
    for problem in problems:
        ctx.notify(problem)
    try:
        with loop:
            if screenshot is not None:
                assert size is not None
                window.resize(*size)
                window.show()
                return loop.run_until_complete(_screenshot(window, ctx, screenshot, view,
                                                           board=getattr(args, "board", None)))
            done: asyncio.Future[int] = loop.create_future()

            stopping: list[asyncio.Task[None]] = []

            def finish() -> None:
                if stopping or done.done():
                    return  # the window's close and aboutToQuit both ask
                if sync is not None:
                    sync.stop()
                # Scanners first: their reader threads stop and are joined, so no frame comes after.
                ctx.runtime.close()
                stopping.append(loop.create_task(wind_down()))

            async def wind_down() -> None:
                # Every frame already read is recorded before anything is cancelled.
                await ctx.runtime.drain()
                # Cancel what is still running (simulation, loads) so nothing is left pending at exit.
                for task in asyncio.all_tasks(loop):
                    if task is not asyncio.current_task():
                        task.cancel()
                loop.call_soon(settle)

            def settle() -> None:
                if not done.done():
                    done.set_result(0)

            window.closed.connect(finish)
            app.aboutToQuit.connect(finish)
            _startup_probe(window)
            _close_on_signals(window)
            if getattr(args, "simulate", False):
                _start_simulation(ctx)
            if loaded.settings.ui.fullscreen:
                window.showFullScreen()
            else:
                # A station's screen is the station's: use all of it (even with no window manager).
                window.setGeometry(app.primaryScreen().availableGeometry())
                window.showMaximized()
            if getattr(args, "board", None):
                from jitdesk.gui.board.boards import open_board

                window.board = open_board(args.board, ctx, parent=window)
            return loop.run_until_complete(done)
    finally:
        crash.uninstall()
        asyncio.set_event_loop(None)
        _tear_down(app, window, ctx, crash)


def _tear_down(app: QApplication, *objects: QObject) -> None:
    """Delete Qt objects while the QApplication still exists (else a crash at interpreter exit)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    for obj in objects:
        obj.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


SETTLE_S = 0.3  # longer than the views' resize debounce (a resize re-pages the kanban board)


async def _screenshot(window: MainWindow, ctx: AppContext, path: Path, view: str, *, board: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QWidget

    window.show_view(view)
    shot: QWidget = window
    if board:
        from jitdesk.gui.board.boards import open_board

        shot = open_board(board, ctx, parent=window, full_screen=False)
        shot.resize(window.size())
    # Loads, then the loads a resize or a first answer starts: all done before the picture.
    for _ in range(2):
        await ctx.settle()
        await asyncio.sleep(SETTLE_S)
    await ctx.settle()
    QApplication.processEvents()
    image = shot.grab().toImage()
    shot.close()
    window.close()  # hidden views load nothing more (ReloadingPage)
    await _finish_pending()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path)):
        raise KnownError(f"Cannot write the screenshot {path} (check the folder and the .png name).")
    what = f"board {board}" if board else f"view {view}"
    print(f"{path}: {image.width()}x{image.height()} {what}")
    return 0


async def _finish_pending() -> None:
    """Cancel what still runs (timers may have started a load) and let it end inside the loop, so
    nothing is stepped after the loop stops (that printed "no running event loop")."""
    pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


def _route_qt_messages() -> None:
    """Qt's own warnings go to the `jitdesk.qt` logger (and so to the log file), not to a bare stderr."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("jitdesk.qt")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if message.startswith("This plugin does not support"):  # offscreen platform chatter
            return
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def _close_on_signals(window: MainWindow) -> None:
    """Ctrl+C in a terminal, or a service manager's SIGTERM, closes the window like a person would,
    so running work is finished or cancelled cleanly (committed data is safe either way)."""
    import signal

    from PySide6.QtCore import QTimer

    def close(_signo: int, _frame: object) -> None:
        QTimer.singleShot(0, window.close)

    for signo in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signo, close)
    # Python runs signal handlers only between bytecodes: a light timer makes sure some run.
    tick = QTimer(window)
    tick.setInterval(250)
    tick.timeout.connect(lambda: None)
    tick.start()
    log.info("window up: SIGINT and SIGTERM close it")


def _startup_probe(window: MainWindow) -> None:
    probe = os.environ.get(PROBE_ENV)
    if not probe:
        return

    def painted() -> None:
        with open(probe, "a", encoding="utf-8") as out:
            out.write(f"first_paint {time.time():.6f}\n")
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window.close)

    window.first_painted.connect(painted)


def _start_sync(ctx: AppContext, loaded: LoadedSettings) -> SyncClient | None:
    """Sync with the server in the settings' [sync] section; none configured: standalone."""
    settings = loaded.settings.sync
    if not (settings.server_url and settings.token):
        return None
    from jitdesk.runtime.syncwatch import SYNC_TASK, SyncWatch
    from jitdesk.sync.client import SyncClient

    hub = ctx.hub
    # The pill shows the client's report joined with its task's state: a failed or stopped sync
    # task reads RESTARTING or STOPPED with the reason, never ONLINE.
    watch = SyncWatch(ctx.supervisor, ctx.set_sync_status)
    client = SyncClient(hub.db, settings.server_url, settings.token, worker=hub.worker,
                        on_status=watch.client_status, on_changes=ctx.bus.publish)
    _supervise(ctx, SYNC_TASK, client.run)

    def push_soon(changes: Changes) -> None:
        # Events made here go up at once; pulled ones (other devices' ids) need nothing.
        if any(event.device_id == hub.db.device_id for event in changes.events):
            client.kick()

    ctx.bus.subscribe(push_soon)
    log.info("syncing with %s", settings.server_url)
    return client


def _supervise(ctx: AppContext, name: str, factory: Callable[[], Awaitable[None]]) -> None:
    """Run `factory()` under the context's supervisor (now, or as soon as the loop runs); its end is
    awaitable in `ctx.background`."""
    from jitdesk.runtime.syncwatch import until_stopped

    ctx.runtime.start_task(name, factory)
    ctx.background.append(asyncio.get_event_loop().create_task(until_stopped(ctx.supervisor, name)))


def _start_simulation(ctx: AppContext) -> None:
    """The demo's live activity, under the supervisor (restarted with backoff if it fails)."""
    from jitdesk.services.demo.simulate import run_simulation

    def stepped(_name: str, result: object) -> None:
        ctx.bus.publish_result(result)

    _supervise(ctx, "simulation", lambda: run_simulation(ctx.hub, on_step=stepped))


def can_show_dialogs() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.split(":")[0] in HEADLESS_PLATFORMS:
        return False
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    return True


def fatal(message: str) -> int:
    """A problem that stops start-up: plain words on stderr, and in a dialog when there is a screen."""
    print(f"jitdesk: {message}", file=sys.stderr)
    if can_show_dialogs():
        from PySide6.QtWidgets import QApplication, QMessageBox

        app = QApplication.instance() or QApplication([sys.argv[0]])
        # Before the event loop exists, so a blocking dialog is fine here (no coroutine is running).
        QMessageBox.critical(None, "jitdesk cannot start", message)
        del app
    return 2

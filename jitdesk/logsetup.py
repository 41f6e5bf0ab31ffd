"""Logging: every named `jitdesk.*` logger writes to one rotating file in the user log dir.

Warnings and worse also go to stderr, so a command-line user sees them. Calling `setup_logging`
again replaces the handlers it installed before (tests and the demo start the app repeatedly).
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

LOG_NAME = "jitdesk.log"
MAX_BYTES = 2_000_000
BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"
_MARK = "_jitdesk_handler"


def setup_logging(directory: Path | None, level: int = logging.INFO, *, stderr: bool = True) -> Path | None:
    """Install the handlers on the `jitdesk` logger; returns the log file, or None if it cannot be written."""
    root = logging.getLogger("jitdesk")
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    root.propagate = False
    handlers: list[logging.Handler] = []
    log_file: Path | None = None
    problem = ""
    if directory is not None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            log_file = directory / LOG_NAME
            handlers.append(logging.handlers.RotatingFileHandler(
                log_file, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"))
        except OSError as error:
            problem = f"cannot write the log file in {directory}: {error.strerror}"
            log_file = None
    if stderr or log_file is None:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        handlers.append(console)
    for handler in handlers:
        handler.setFormatter(logging.Formatter(_FORMAT))
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    if problem:
        root.warning("%s; logging to stderr only", problem)
    return log_file

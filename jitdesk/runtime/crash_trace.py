"""Native crash traces: ``faulthandler`` writes to a file in the log dir; the next start reports it.

A segfault in Qt or a C extension kills the process before any Python excepthook runs. While jitdesk
runs, ``faulthandler`` is pointed at ``native-crash.log`` in the log dir: on a fatal signal it writes
every thread's Python stack there. On a clean exit the (empty) file is removed. So at the next start
a non-empty file means the last run died: it is kept as ``crash-<time of the crash>.txt`` and
``CrashTrace.previous`` names it, for the window's message bar and the log.

One station app per log dir is assumed (as for the log file itself).
"""

from __future__ import annotations

import faulthandler
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

log = logging.getLogger("jitdesk.app")

TRACE_NAME = "native-crash.log"


@dataclass
class CrashTrace:
    path: Path | None  # where this run's trace goes (None: faulthandler could not be pointed at a file)
    previous: Path | None = None  # the last run's crash report, if it crashed
    _file: TextIO | None = field(default=None, repr=False)
    _was_enabled: bool = field(default=False, repr=False)  # someone (a test runner) traced before us

    @property
    def message(self) -> str | None:
        """Plain words about the last run's crash, or None."""
        if self.previous is None:
            return None
        return (f"jitdesk stopped unexpectedly last time (a crash inside Qt or a library). "
                f"The report is in {self.previous}: please give it to IT.")

    def close(self) -> None:
        """At a clean exit: stop tracing and remove this run's (empty) trace file."""
        if self._file is None:
            return
        faulthandler.disable()
        if self._was_enabled:
            faulthandler.enable()  # give the tracing back to stderr, as it was
        self._file.close()
        self._file = None
        if self.path is not None:
            try:
                if self.path.stat().st_size == 0:
                    self.path.unlink()
            except OSError as error:  # gone already, or the disk went away: nothing to tidy
                log.debug("crash trace %s: %s", self.path, error)


def _keep_previous(trace: Path) -> Path | None:
    try:
        size = trace.stat().st_size
    except FileNotFoundError:
        return None
    if size == 0:
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(trace.stat().st_mtime))
    kept = trace.with_name(f"crash-{stamp}.txt")
    n = 1
    while kept.exists():
        n += 1
        kept = trace.with_name(f"crash-{stamp}-{n}.txt")
    os.replace(trace, kept)
    return kept


def enable_crash_trace(directory: Path | None) -> CrashTrace:
    """Keep the last run's report (if any) and trace this run into ``directory``; never raises for I/O."""
    if directory is None:
        faulthandler.enable()  # to stderr at least
        return CrashTrace(None)
    was_enabled = faulthandler.is_enabled()
    trace = directory / TRACE_NAME
    previous: Path | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        previous = _keep_previous(trace)
        out = open(trace, "a", encoding="utf-8")  # noqa: SIM115 - held open for the whole run, closed in close()
    except OSError as error:
        log.warning("cannot write native crash traces in %s: %s; they go to stderr", directory, error.strerror)
        faulthandler.enable()
        return CrashTrace(None, previous)
    faulthandler.enable(file=out, all_threads=True)
    result = CrashTrace(trace, previous, out, was_enabled)
    if result.message:
        log.warning("%s", result.message)
    return result

"""Scans no feature took: written to the station's scan log with their plain answer, never lost.

The scan router (``jitdesk.runtime.scan_router``) hands every code that no claim and no route took to
``record_unknown``: one transaction writes a scan-log row (result "unknown", tone "refused") with the
answer and its message code, so the station's scan list shows it and the log keeps it. No event is written.
"""

from __future__ import annotations

from jitdesk.domain.messages import define, message
from jitdesk.services.kanban.scanning import ScanOutcome, log_refused, printable
from jitdesk.storage.database import Database

UNKNOWN = "unknown"
NOT_OURS = define("scan.not_ours", "text")


def record_unknown(db: Database, code_text: str, answer: str, *, source: str = "manual",
                   now_ms: int | None = None) -> ScanOutcome:
    """Log a code nothing here takes, with the plain ``answer`` the station shows for it."""
    shown = printable(code_text)
    return log_refused(db, shown, UNKNOWN, message(NOT_OURS, text=shown), answer, source=source, now_ms=now_ms)

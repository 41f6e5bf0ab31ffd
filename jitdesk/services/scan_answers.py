"""Scans no feature took: written to the station's scan log with their plain answer, never lost.

The scan router (``jitdesk.runtime.scan_router``) hands every code that no claim and no route took to
``record_unknown``: one transaction writes a scan-log row (result "unknown", tone "refused") with the
answer, so the station's scan list shows it and the log keeps it. No event is written.
"""

from __future__ import annotations

import logging

from jitdesk.domain.messages import define, message
from jitdesk.services.kanban import SCAN_LOG
from jitdesk.services.kanban.scanning import ScanOutcome, printable
from jitdesk.services.uow import transaction, wall_clock_ms
from jitdesk.storage import identity, kanban_repo
from jitdesk.storage.database import STATION_ID, Database

log = logging.getLogger("jitdesk.scan")

UNKNOWN = "unknown"
NOT_OURS = define("scan.not_ours", "text")


def record_unknown(db: Database, code_text: str, answer: str, *, source: str = "manual",
                   now_ms: int | None = None) -> ScanOutcome:
    """Log a code nothing here takes, with the plain ``answer`` the station shows for it."""
    now = wall_clock_ms() if now_ms is None else now_ms
    shown = printable(code_text)
    note = message(NOT_OURS, text=shown)
    with transaction(db, now_ms=lambda: now) as tx:
        station = identity.get_setting(tx.session, STATION_ID)
        log_id = kanban_repo.add_scan_log(tx.session, at_ms=now, station_id=station, source=source, text=shown,
                                          result=UNKNOWN, tone="refused", message=answer, card_id=None,
                                          event_id=None, note=note)
        tx.touch(SCAN_LOG, str(log_id))
    log.warning("scan %r at station %s (%s): %s", shown, station, source, answer)
    return ScanOutcome(UNKNOWN, "refused", answer, shown, now, station, source, log_id=log_id, changes=tx.changes,
                       note=note)

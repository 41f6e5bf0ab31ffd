"""The quarantine view shows refused events with the server's reason (real widgets, offscreen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jitdesk.domain.master import Part
from jitdesk.services import master, sync_apply


def test_refused_events_and_their_reasons_are_listed(qtbot: Any, qloop: Any, tmp_path: Path) -> None:
    from jitdesk.config import Settings
    from jitdesk.gui.context import AppContext
    from jitdesk.gui.views.quarantine import create_view
    from jitdesk.services.hub import ServiceHub
    from jitdesk.storage.database import open_database

    db = open_database(tmp_path / "a.db")
    part_id, _ = master.save(db, Part("P-1", "Bolt"), actor=None)
    sync_apply.join_plant(db, "P1")
    _, ids, _ = sync_apply.outbox(db, 10, 100_000)
    sync_apply.record_push(db, ids, [{"status": "rejected", "reason": "only admin devices may write master data"}])
    hub = ServiceHub(db)
    ctx = AppContext(hub, Settings())
    view = create_view(ctx)
    qtbot.addWidget(view)
    try:
        qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
        assert view.table.item(0, 4).text() == "only admin devices may write master data"
        assert view.table.item(0, 1).text() == "master.part.upserted"
        assert view.table.item(0, 2).text() == part_id
        assert "1 event(s)" in view.summary.text()
        assert not view.retry.isEnabled()  # nobody signed in
    finally:
        hub.close()


def test_the_link_is_described_in_plain_words() -> None:
    from jitdesk.gui.views.quarantine import describe_link
    from jitdesk.services.syncstatus import OFFLINE, SyncStatus

    assert describe_link(SyncStatus()).startswith("Standalone")
    text = describe_link(SyncStatus(state=OFFLINE, last_success="2026-11-22T05:00:00Z", pending=12, quarantined=1,
                                    skew_ms=-7_250, message="server unreachable"))
    assert "Server: OFFLINE" in text and "last successful sync 2026-11-22T05:00:00Z" in text
    assert "12 event(s) waiting to go up" in text and "1 refused" in text
    assert "7.2 s behind the server's" in text or "7.3 s behind the server's" in text
    assert "Last problem: server unreachable" in text

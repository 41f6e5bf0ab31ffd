"""The Sync view and the header pill show pulled items the station could not read, in plain words, and
a sync task that is restarting (real widgets, offscreen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jitdesk.runtime.supervise import TaskState, TaskStatus
from jitdesk.runtime.syncwatch import joined
from jitdesk.services import sync_apply
from jitdesk.services.syncstatus import ONLINE, RESTARTING, STOPPED, SyncStatus


def test_unreadable_items_are_listed_with_their_text_and_reason(qtbot: Any, qloop: Any, tmp_path: Path) -> None:
    from jitdesk.config import Settings
    from jitdesk.gui.context import AppContext
    from jitdesk.gui.views.quarantine import create_view
    from jitdesk.services.hub import ServiceHub
    from jitdesk.storage.database import open_database

    db = open_database(tmp_path / "a.db")
    raw = '{"event_id":12345,"kind":"kanban.card.emptied"}'
    sync_apply.apply_page(db, [], 7, "server-1", [
        sync_apply.Unreadable(raw, "not a readable event: event field 'event_id' has the wrong type", None, 7)])
    assert sync_apply.peer(db).cursor == 7
    assert sync_apply.unreadable_count(db) == 1
    hub = ServiceHub(db)
    ctx = AppContext(hub, Settings())
    view = create_view(ctx)
    qtbot.addWidget(view)
    view.show()
    try:
        qtbot.waitUntil(lambda: view.unreadable_table.rowCount() == 1, timeout=10_000)
        assert view.unreadable_table.isVisible() and view.unreadable_summary.isVisible()
        assert view.unreadable_table.item(0, 1).text() == "(none usable)"
        assert "'event_id' has the wrong type" in view.unreadable_table.item(0, 2).text()
        assert view.unreadable_table.item(0, 3).text() == raw
        assert "1 item(s) from the server this station could not read" in view.unreadable_summary.text()
        assert view.table.rowCount() == 0  # nothing refused: the two lists are apart
    finally:
        hub.close()


def test_the_pill_never_says_online_for_a_task_that_is_not_running(qtbot: Any) -> None:
    from jitdesk.gui.views.quarantine import describe_link
    from jitdesk.gui.widgets.sync_status import SyncStatusLabel

    pill = SyncStatusLabel()
    qtbot.addWidget(pill)
    online = SyncStatus(state=ONLINE, pending=2, unreadable=1, last_success="2026-12-01T20:00:00Z")
    crashed = TaskStatus("sync", TaskState.RESTARTING, "unexpected error (KeyError: 'x'); see the log", 1, 0, 4.0)
    shown = joined(online, crashed)
    pill.show_status(shown)
    assert shown.state == RESTARTING and "RESTARTING" in pill.text() and "ONLINE" not in pill.text()
    assert "1 unreadable" in pill.text() and "2 to send" in pill.text()
    assert "sync stopped: unexpected error (KeyError: 'x'); see the log; trying again in 4 s" in pill.toolTip()
    text = describe_link(shown)
    assert "Server: RESTARTING" in text and "Sync is not running now" in text
    assert "1 unreadable from the server" in text

    stopped = joined(online, TaskStatus("sync", TaskState.STOPPED, "finished", 0, 0))
    assert (stopped.state, stopped.message) == (STOPPED, "sync is stopped")
    starting = joined(online, TaskStatus("sync", TaskState.STARTING, None, 2, 0))
    assert starting.state != ONLINE
    assert joined(online, TaskStatus("sync", TaskState.RUNNING, "online", 0, 0)) == online
    assert joined(online, None) == online


def test_a_pulled_event_that_clashes_on_device_number_is_quarantined_not_dropped(tmp_path: Path) -> None:
    from jitdesk.domain.events import Event
    from jitdesk.services import quarantine
    from jitdesk.storage.database import open_database

    db = open_database(tmp_path / "a.db")
    try:
        def note(event_id: str, text: str, seq: int) -> Event:
            return Event(event_id, "P1", "dev-x", 1, 1000 + seq, "2026-12-01T20:00:00.000Z", "test.unknown.kind",
                         "e-1", None, {"text": text}, 1, server_seq=seq, received_at="2026-12-01T20:00:00.000Z")

        first = note("0190aaaa-0000-7000-8000-000000000001", "first", 1)
        sync_apply.apply_page(db, [(first, False)], 1, "server-1")
        sync_apply.apply_page(db, [(first, False)], 1, "server-1")  # a plain duplicate: nothing to say
        assert sync_apply.unreadable_count(db) == 0
        other = note("0190aaaa-0000-7000-8000-000000000002", "other", 2)
        sync_apply.apply_page(db, [(other, False)], 2, "server-1")
        held = quarantine.unreadable(db)
        assert len(held) == 1 and held[0].event_id == other.event_id and held[0].server_seq == 2
        assert f"already used here by event {first.event_id}" in held[0].reason
        assert '"other"' in held[0].raw
        assert sync_apply.peer(db).cursor == 2
    finally:
        db.close()

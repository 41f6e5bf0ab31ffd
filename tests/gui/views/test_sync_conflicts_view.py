"""The Sync view lists each master conflict's two versions with a Keep this version button: disabled
unless an admin is signed in; an admin's click makes the record that version and settles the
conflict (real widgets, offscreen; a real event log)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from jitdesk.domain.auth import Role
from jitdesk.domain.errors import NotAllowed
from jitdesk.domain.events import Event
from jitdesk.domain.master import Part
from jitdesk.services import master, master_conflicts, sync_apply
from jitdesk.services.signin import SignedIn
from jitdesk.services.uow import transaction
from jitdesk.storage import eventlog


def _made_apart(db: Any) -> str:
    """A part edited here, and edited elsewhere from the same first version (a conflict)."""
    part_id, _ = master.save(db, Part("P-1", "Bolt"), actor=None)
    master.save(db, Part("P-1", "Bolt M8"), actor=None, entity_id=part_id)
    with db.reading() as session:
        first, mine = eventlog.entity_events(session, part_id, ["master.part.upserted"])
    other = Event("other-edit", first.plant_id, "office-2", 1, mine.hlc + 1, mine.wall_time, first.kind, part_id,
                  None, {**first.payload, "name": "Bolt M10", "replaces": first.event_id}, first.schema_version)
    with transaction(db) as tx:
        tx.ingest(other)
    return part_id


def test_keep_this_version_is_for_admins_and_settles_the_conflict(qtbot: Any, qloop: Any, tmp_path: Path) -> None:
    from jitdesk.config import Settings
    from jitdesk.gui.context import AppContext
    from jitdesk.gui.views.quarantine import create_view
    from jitdesk.gui.views.sync_conflicts import KEEP
    from jitdesk.services.hub import ServiceHub
    from jitdesk.storage.database import open_database

    db = open_database(tmp_path / "a.db")
    sync_apply.join_plant(db, "P1")
    part_id = _made_apart(db)
    admin_id, _ = master.save_user(db, actor=None, name="Ada", badge="B-9001", role="admin", pin="9001")
    boss_id, _ = master.save_user(db, actor=admin_id, name="Sam", badge="B-5001", role="supervisor", pin="5001")
    (conflict,) = master_conflicts.conflicts(db)
    with pytest.raises(NotAllowed):  # the service itself refuses anyone but an admin
        master_conflicts.keep_version(db, conflict, conflict.overwrote_id, actor=boss_id)
    hub = ServiceHub(db)
    ctx = AppContext(hub, Settings())
    view = create_view(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    try:
        panel = view.conflicts
        qtbot.waitUntil(lambda: len(panel.buttons) == 2, timeout=10_000)
        assert "1 master-data conflict(s)" in panel.summary.text()
        assert panel.table.item(0, 0).text() == "part P-1"
        assert panel.table.item(0, 1).text() == "in force now"
        assert panel.table.item(1, 1).text() == "overwritten"
        assert all(b.text() == KEEP and not b.isEnabled() for b in panel.buttons)  # nobody signed in
        ctx.sign_in(SignedIn(admin_id, "Ada", Role.SUPERVISOR))
        assert not any(b.isEnabled() for b in panel.buttons)
        ctx.sign_in(SignedIn(admin_id, "Ada", Role.ADMIN))
        assert all(b.isEnabled() for b in panel.buttons)
        qtbot.mouseClick(panel.buttons[1], Qt.MouseButton.LeftButton)  # keep the overwritten one
        qtbot.waitUntil(lambda: master.get(db, Part, part_id).name == "Bolt M8", timeout=10_000)
        qtbot.waitUntil(lambda: not panel.buttons and panel.isHidden(), timeout=10_000)
        assert master_conflicts.conflicts(db) == []
    finally:
        hub.close()

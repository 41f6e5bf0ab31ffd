"""A station whose clock is hours off sees its sync pill turn to a warning with plain words."""

from __future__ import annotations

from typing import Any

from jitdesk.services.syncstatus import ONLINE, SyncStatus


def test_a_skewed_station_gets_a_clock_warning(qtbot: Any) -> None:
    from jitdesk.gui.views.quarantine import describe_link
    from jitdesk.gui.widgets.sync_status import SyncStatusLabel

    pill = SyncStatusLabel()
    qtbot.addWidget(pill)
    pill.show_status(SyncStatus(state=ONLINE, skew_ms=5 * 3600_000))
    assert "CLOCK WRONG" in pill.text() and pill.property("state") == "clock"
    assert "5 h 0 min ahead of the server's" in pill.toolTip() and "set the clock right" in pill.toolTip()
    assert "Warning: This station's clock is 5 h 0 min ahead" in describe_link(SyncStatus(state=ONLINE,
                                                                                         skew_ms=5 * 3600_000))
    pill.show_status(SyncStatus(state=ONLINE, skew_ms=800))
    assert "CLOCK" not in pill.text() and pill.property("state") == "online"

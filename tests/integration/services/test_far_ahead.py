"""Events from a device whose clock ran more than the bound ahead of the server's receipt time are
listed (derived from the log, read incrementally), in plain words; honest ones are not."""

from __future__ import annotations

from pathlib import Path

from jitdesk.domain.clock import pack
from jitdesk.domain.events import Event
from jitdesk.services import far_ahead, sync_apply
from jitdesk.services.uow import iso_utc
from jitdesk.storage.database import open_database

T0 = 1_795_000_000_000


def pulled(seq: int, device: str, stamp_ms: int, received_ms: int) -> Event:
    return Event(f"e-{device}-{seq}", "P1", device, seq, pack(stamp_ms, 0), iso_utc(stamp_ms), "kanban.card.emptied",
                 f"card-{seq}", None, {"station_id": "st-1"}, 1, seq, iso_utc(received_ms))


def test_events_stamped_beyond_the_bound_are_flagged(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a.db")
    try:
        sync_apply.join_plant(db, "P1")
        page = [pulled(1, "honest", T0, T0 + 200), pulled(2, "honest", T0 + 59_000, T0),
                pulled(1, "fast", T0 + 5 * 3_600_000, T0 + 1000)]
        sync_apply.apply_page(db, [(e, False) for e in page], 3, "server-1")
        count, items = far_ahead.far_ahead(db)
        assert count == 1 and [i.device_id for i in items] == ["fast"]
        assert items[0].ahead_ms == 5 * 3_600_000 - 1000
        words = far_ahead.describe(count, items)
        assert "1 event(s) from other devices" in words and "4 h 59 min ahead" in words
        # Read again: only new rows are looked at, and the count goes on from there.
        sync_apply.apply_page(db, [(pulled(2, "fast", T0 + 3_600_000, T0 + 2000), False)], 4, "server-1")
        count, items = far_ahead.far_ahead(db)
        assert count == 2 and items[0].event_id == "e-fast-2"
        assert far_ahead.describe(0, []) == ""
    finally:
        db.close()

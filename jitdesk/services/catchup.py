"""A long catch-up folds once at its end: pages are stored unfolded, then folded in one go.

Folding page by page re-loads and re-saves the same entities many times over a backlog; storing the
pages and folding afterwards costs about what a rebuild costs. While a catch-up runs, the local
setting `UNFOLDED_AFTER` holds the last events row id before the first unfolded page (written in
that page's transaction). `finish` then folds everything after it: a full rebuild when the unfolded
events are a large share of the log (a new station), else each entity they touch again from its
history. Either way, the events made here meanwhile are part of that fold, so what the projections
hold afterwards equals a rebuild (see `note_unfolded` for the one index a new station makes at the
end). The note is cleared only once the fold has committed: after a
kill -9 the next start (or the next catch-up) folds again, and nothing is lost or counted twice.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from jitdesk.domain.fold import PROJECTORS
from jitdesk.services.changes import NO_CHANGES, Changes
from jitdesk.services.uow import transaction
from jitdesk.storage import identity, projections
from jitdesk.storage.database import Database
from jitdesk.storage.schema import EventRow, table

UNFOLDED_AFTER = "catchup_unfolded_after"
_ENTITY_ORDER = next(ix for ix in table(EventRow).indexes if ix.name == "ix_events_entity_order")
REBUILD_SHARE = 0.25  # unfolded share of the log from which a full rebuild is the cheaper fold


def note_unfolded(session: Session) -> None:
    """Inside a page's transaction, before its events are stored unfolded. A brand-new station (an
    empty log) also drops the entity-order index until `finish`: kept up row by row it is half the
    cost of storing a page, made once at the end it is a sort. Nothing here reads by entity yet."""
    if identity.get_setting(session, UNFOLDED_AFTER) is None:
        top = projections.raw(session).execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
        identity.set_setting(session, UNFOLDED_AFTER, str(top))
        if top == 0:
            _ENTITY_ORDER.drop(session.connection(), checkfirst=True)


def pending(db: Database) -> bool:
    return db.setting(UNFOLDED_AFTER) is not None


def finish(db: Database) -> Changes:
    """Fold what a catch-up stored unfolded (nothing when nothing is); the changes for the views."""
    from jitdesk.services.rebuild import rebuild_all  # rebuild imports the unit of work too

    with db.writing() as session:
        mark = identity.get_setting(session, UNFOLDED_AFTER)
        if mark is None:
            return NO_CHANGES
        _ENTITY_ORDER.create(session.connection(), checkfirst=True)  # before any read by entity
        conn = projections.raw(session)
        after = int(mark)
        total, unfolded = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE id > ?) FROM events", (after,)).fetchone()
    if unfolded >= REBUILD_SHARE * total:
        rebuild_all(db)
        with db.writing() as session:
            identity.delete_setting(session, UNFOLDED_AFTER)
            return Changes(frozenset(_every_row(session)))
    with transaction(db) as tx:
        touched = [row[0] for row in projections.raw(tx.session).execute(
            "SELECT DISTINCT entity_id FROM events WHERE id > ?", (after,))]
        tx.refold(touched)
        identity.delete_setting(tx.session, UNFOLDED_AFTER)
    return tx.changes


def _every_row(session: Session) -> set[tuple[str, str]]:
    conn = projections.raw(session)
    out: set[tuple[str, str]] = set()
    for p in [*PROJECTORS.all(), *PROJECTORS.derived()]:
        name = projections.table_for(p).name
        out.update((p.name, row[0]) for row in conn.execute(f'SELECT id FROM "{name}"'))
    return out

"""Who may do what: role checks for use cases, with a bootstrap rule for a plant without an admin."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jitdesk.domain.auth import Role
from jitdesk.domain.errors import NotAllowed
from jitdesk.services.uow import Tx
from jitdesk.storage.database import Database
from jitdesk.storage.schema import UserRow, table

USERS = table(UserRow)


def anyone_may(db: Database) -> bool:
    """A plant with no active admin yet is being set up: every action is allowed (see require_role)."""
    with db.reading() as session:
        return _no_admin(session)


def _no_admin(session: Session) -> bool:
    users = USERS
    return session.execute(
        select(users.c.id).where(users.c.role == "admin", users.c.active.is_(True)).limit(1)
    ).first() is None


def require_role(tx: Tx, actor: str | None, needed: Role) -> None:
    """Raise NotAllowed unless `actor` is an active user with at least `needed`.

    A database with no active admin yet is being set up: anything is allowed so the first
    admin can be created (the demo generator and `jitdesk` first run rely on this).
    """
    users = USERS
    if _no_admin(tx.session):
        return
    if actor is None:
        raise NotAllowed(f"Sign in as {needed.label} or higher to do this.")
    row = tx.session.execute(select(users.c.role, users.c.active).where(users.c.id == actor)).first()
    if row is None or not row.active:
        raise NotAllowed("The signed-in user is not known on this station (or was deactivated).")
    if Role.parse(row.role) < needed:
        raise NotAllowed(f"Only a {needed.label} or higher may do this; you are signed in as {row.role}.")

"""Who may do what: role checks for use cases, with a bootstrap rule for a plant without an admin."""

from __future__ import annotations

from sqlalchemy import select

from jitdesk.domain.auth import Role
from jitdesk.domain.errors import NotAllowed
from jitdesk.services.uow import Tx
from jitdesk.storage.schema import UserRow, table

USERS = table(UserRow)


def require_role(tx: Tx, actor: str | None, needed: Role) -> None:
    """Raise NotAllowed unless `actor` is an active user with at least `needed`.

    A database with no active admin yet is being set up: anything is allowed so the first
    admin can be created (the demo generator and `jitdesk` first run rely on this).
    """
    users = USERS
    if tx.session.execute(
        select(users.c.id).where(users.c.role == "admin", users.c.active.is_(True)).limit(1)
    ).first() is None:
        return
    if actor is None:
        raise NotAllowed(f"Sign in as {needed.label} or higher to do this.")
    row = tx.session.execute(select(users.c.role, users.c.active).where(users.c.id == actor)).first()
    if row is None or not row.active:
        raise NotAllowed("The signed-in user is not known on this station (or was deactivated).")
    if Role.parse(row.role) < needed:
        raise NotAllowed(f"Only a {needed.label} or higher may do this; you are signed in as {row.role}.")

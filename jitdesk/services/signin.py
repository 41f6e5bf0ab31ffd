"""Sign-in by badge scan or by name and PIN; the signed-in user is the actor of their events."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from jitdesk.domain.auth import Role, verify_pin
from jitdesk.domain.errors import NotAllowed
from jitdesk.storage.database import Database
from jitdesk.storage.schema import UserRow, table

USERS = table(UserRow)


@dataclass(frozen=True)
class SignedIn:
    user_id: str
    name: str
    role: Role


def by_badge(db: Database, badge: str, pin: str | None = None) -> SignedIn:
    """An operator signs in with the badge alone; supervisors and admins also give their PIN."""
    with db.reading() as session:
        row = session.execute(
            select(USERS.c.id, USERS.c.name, USERS.c.role, USERS.c.pin_hash)
            .where(USERS.c.badge == badge.strip(), USERS.c.active.is_(True))
        ).first()
    if row is None:
        raise NotAllowed("This badge is not known here. Ask a supervisor to register it.")
    role = Role.parse(row.role)
    if role > Role.OPERATOR and (pin is None or not verify_pin(pin, row.pin_hash)):
        article = "an" if role.label[:1] in "aeiou" else "a"
        raise NotAllowed(f"{row.name} is {article} {role.label}: enter the PIN too.")
    return SignedIn(row.id, row.name, role)


def by_name(db: Database, name: str, pin: str) -> SignedIn:
    with db.reading() as session:
        rows = session.execute(
            select(USERS.c.id, USERS.c.name, USERS.c.role, USERS.c.pin_hash)
            .where(USERS.c.name == name.strip(), USERS.c.active.is_(True))
        ).all()
    for row in rows:
        if verify_pin(pin, row.pin_hash):
            return SignedIn(row.id, row.name, Role.parse(row.role))
    raise NotAllowed("Name or PIN is wrong.")


def known_badges(db: Database) -> frozenset[str]:
    """The badges of active users: the scan router tells a badge scan from other codes by them."""
    with db.reading() as session:
        rows = session.execute(select(USERS.c.badge).where(USERS.c.active.is_(True))).scalars().all()
    return frozenset(badge.strip() for badge in rows if badge and badge.strip())

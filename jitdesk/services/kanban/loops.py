"""Loop and card administration: define and edit loops, resize them (add or retire cards), hold and release.

Loops and card additions or retirements are master data: admins only. Holding and releasing a card is
a supervisor's call. Every change is an event like any other, so it syncs and shows in the history.
Card serials are unique per plant: a new card takes the highest serial in use plus one, inside the
same write transaction (SQLite has one writer, so two additions on this station never clash).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jitdesk.domain.auth import Role
from jitdesk.domain.errors import BadInput, NotFound, PayloadError
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.ids import new_id
from jitdesk.domain.kanban.card import (
    CARD_ADDED,
    CARD_HELD,
    CARD_PROJECTOR,
    CARD_RELEASED,
    CARD_RETIRED,
    Card,
)
from jitdesk.domain.kanban.codes import MAX_SERIAL, card_code, serial_of
from jitdesk.domain.kanban.loop import LOOP_PROJECTOR, LOOP_UPSERTED, Loop, check_loop, loop_to_payload
from jitdesk.domain.kanban.status import Admin, Supply
from jitdesk.services.access import require_role
from jitdesk.services.changes import Changes
from jitdesk.services.uow import Tx, transaction
from jitdesk.storage import kanban_repo, projections
from jitdesk.storage.database import Database

MAX_CARDS_PER_LOOP = 500


@dataclass(frozen=True)
class LoopDetail:
    loop_id: str
    loop: Loop
    part_label: str
    consumer_label: str
    supplier_label: str
    cards: tuple[Card, ...]  # every card ever added, by number

    @property
    def in_use(self) -> int:
        return sum(1 for c in self.cards if c.admin is not Admin.RETIRED)


@dataclass(frozen=True)
class LoopSummary:
    loop_id: str
    code: str
    part_label: str
    supplier_location: str
    consumer_label: str
    active: bool


def save_loop(db: Database, loop: Loop, *, actor: str | None, loop_id: str | None = None) -> tuple[str, Changes]:
    """Create (no `loop_id`) or replace a loop's record; admins only."""
    with transaction(db) as tx:
        loop_id = save_loop_in(tx, loop, actor=actor, loop_id=loop_id)
    return loop_id, tx.changes


def save_loop_in(tx: Tx, loop: Loop, *, actor: str | None, loop_id: str | None = None) -> str:
    require_role(tx, actor, Role.ADMIN)
    loop = Loop(**{**loop.__dict__, "code": loop.code.strip(), "supplier_location": loop.supplier_location.strip()})
    if not loop.code:
        raise BadInput("Loop: the code may not be empty.")
    problem = check_loop(loop)
    if problem:
        raise BadInput(problem[0].upper() + problem[1:] + ".")
    clash = kanban_repo.loop_by_code(tx.session, loop.code)
    if clash is not None and clash != loop_id:
        raise BadInput(f"Loop: the code '{loop.code}' is already used by another loop.")
    if loop_id is not None and projections.load(tx.session, LOOP_PROJECTOR, loop_id) is None:
        raise NotFound(f"Loop {loop_id} does not exist.")
    _need(tx, "part", loop.part_id, "its part")
    consumer = _need(tx, "station", loop.consumer_station_id, "its consumer station")
    if consumer.role not in ("line", "supermarket"):
        raise BadInput(f"Loop {loop.code}: the consumer must be a line station (or a supermarket), "
                       f"not a {consumer.role} station.")
    if loop.supplier_station_id:
        supplier = _need(tx, "station", loop.supplier_station_id, "its supplier station")
        if supplier.role != "supermarket":
            raise BadInput(f"Loop {loop.code}: the supplier station must be a supermarket station.")
    loop_id = loop_id or new_id()
    try:
        tx.append(LOOP_UPSERTED, loop_id, loop_to_payload(loop), actor)
    except PayloadError as error:
        raise BadInput(f"Loop {loop.code}: {error.field.replace('_', ' ')} {error.problem}.") from error
    return loop_id


def _need(tx: Tx, kind: str, entity_id: str, what: str) -> Any:
    found = projections.load(tx.session, PROJECTORS.get(kind), entity_id) if entity_id else None
    if found is None:
        raise NotFound(f"Loop: {what} does not exist.")
    return found[0]


def add_cards(db: Database, loop_id: str, count: int, *, actor: str | None,
              status: Supply = Supply.FULL) -> tuple[list[str], Changes]:
    """Add `count` cards to a loop (admins only); returns the new card ids."""
    with transaction(db) as tx:
        ids = add_cards_in(tx, loop_id, count, actor=actor, status=status)
    return ids, tx.changes


def add_cards_in(tx: Tx, loop_id: str, count: int, *, actor: str | None, status: Supply = Supply.FULL) -> list[str]:
    require_role(tx, actor, Role.ADMIN)
    loop = _loop(tx, loop_id)
    if not 1 <= count <= MAX_CARDS_PER_LOOP:
        raise BadInput(f"Loop {loop.code}: add 1 to {MAX_CARDS_PER_LOOP} cards at a time, not {count}.")
    top = kanban_repo.max_card_code(tx.session)
    serial = (serial_of(top) or 0) if top else 0
    number = kanban_repo.max_card_number(tx.session, loop_id)
    ids = []
    for _ in range(count):
        serial += 1
        number += 1
        if serial > MAX_SERIAL:
            raise BadInput("This plant has used every card serial; no more cards can be added.")
        card_id = new_id()
        tx.append(CARD_ADDED, card_id, {"loop_id": loop_id, "number": number, "code": card_code(serial),
                                        "status": status.value}, actor)
        ids.append(card_id)
    return ids


def retire_cards(db: Database, card_ids: Iterable[str], *, actor: str | None, reason: str | None = None) -> Changes:
    """Take cards out of their loop for good (admins only)."""
    with transaction(db) as tx:
        require_role(tx, actor, Role.ADMIN)
        for card in _cards(tx, card_ids):
            if card.admin is not Admin.RETIRED:
                tx.append(CARD_RETIRED, card.card_id, _reason(reason), actor)
    return tx.changes


def hold_cards(db: Database, card_ids: Iterable[str], *, actor: str | None, reason: str | None = None) -> Changes:
    """Put cards on hold (supervisors and admins): scans of them are refused until released."""
    return _set_hold(db, card_ids, actor, reason, hold=True)


def release_cards(db: Database, card_ids: Iterable[str], *, actor: str | None, reason: str | None = None) -> Changes:
    return _set_hold(db, card_ids, actor, reason, hold=False)


def _set_hold(db: Database, card_ids: Iterable[str], actor: str | None, reason: str | None, *, hold: bool) -> Changes:
    with transaction(db) as tx:
        require_role(tx, actor, Role.SUPERVISOR)
        for card in _cards(tx, card_ids):
            if card.admin is Admin.RETIRED:
                raise BadInput(f"Card {card.code} is retired: it cannot be held or released.")
            if hold and card.admin is Admin.ACTIVE:
                tx.append(CARD_HELD, card.card_id, _reason(reason), actor)
            elif not hold and card.admin is Admin.ON_HOLD:
                tx.append(CARD_RELEASED, card.card_id, _reason(reason), actor)
    return tx.changes


def resize_loop(db: Database, loop_id: str, cards: int, *, actor: str | None) -> Changes:
    """Bring a loop to `cards` cards in circulation: add new ones, or retire the highest-numbered ones,
    FULL cards first (they are at hand at the line, not somewhere in the supply chain)."""
    with transaction(db) as tx:
        require_role(tx, actor, Role.ADMIN)
        loop = _loop(tx, loop_id)
        if not 1 <= cards <= MAX_CARDS_PER_LOOP:
            raise BadInput(f"Loop {loop.code}: a loop has 1 to {MAX_CARDS_PER_LOOP} cards, not {cards}.")
        current = [c for c in kanban_repo.cards_of_loops(tx.session, [loop_id])[loop_id]
                   if c.admin is not Admin.RETIRED]
        if cards > len(current):
            add_cards_in(tx, loop_id, cards - len(current), actor=actor)
        elif cards < len(current):
            order = sorted(current, key=lambda c: (c.supply is not Supply.FULL, -c.number))
            for card in order[: len(current) - cards]:
                tx.append(CARD_RETIRED, card.card_id, {"reason": f"loop resized to {cards} cards"}, actor)
    return tx.changes


def loop_detail(db: Database, loop_id: str) -> LoopDetail:
    with db.reading() as session:
        found = projections.load(session, LOOP_PROJECTOR, loop_id)
        if found is None:
            raise NotFound(f"Loop {loop_id} does not exist.")
        loop = found[0]
        cards = kanban_repo.cards_of_loops(session, [loop_id])[loop_id]
        part = projections.load(session, PROJECTORS.get("part"), loop.part_id)
        consumer = projections.load(session, PROJECTORS.get("station"), loop.consumer_station_id)
        supplier = (projections.load(session, PROJECTORS.get("station"), loop.supplier_station_id)
                    if loop.supplier_station_id else None)
    return LoopDetail(
        loop_id, loop,
        f"{part[0].number}  {part[0].name}" if part else "(unknown part)",
        f"{consumer[0].code}  {consumer[0].name}" if consumer else "(unknown station)",
        f"{supplier[0].code}  {supplier[0].name}" if supplier else "",
        tuple(cards))


def loop_list(db: Database, search: str = "", limit: int = 500) -> list[LoopSummary]:
    """Loops for the admin list, by code (every loop, in use or not), at most `limit`."""
    with db.reading() as session:
        rows, _total = kanban_repo.admin_loops(session, search, limit)
    return [LoopSummary(*row) for row in rows]


def _loop(tx: Tx, loop_id: str) -> Loop:
    found = projections.load(tx.session, LOOP_PROJECTOR, loop_id)
    if found is None:
        raise NotFound(f"Loop {loop_id} does not exist.")
    loop: Loop = found[0]
    return loop


def _cards(tx: Tx, card_ids: Iterable[str]) -> list[Card]:
    out = []
    for card_id in card_ids:
        found = projections.load(tx.session, CARD_PROJECTOR, card_id)
        if found is None:
            raise NotFound(f"Card {card_id} does not exist.")
        out.append(found[0])
    return out


def _reason(reason: str | None) -> dict[str, str]:
    text = (reason or "").strip()[:200]
    return {"reason": text} if text else {}

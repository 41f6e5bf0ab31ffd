"""Material calls from kanban: when a loop has no full card left, a material call is raised for the station
that uses it; when a full card arrives, that call is resolved ("material delivered").

Runs inside the kanban scan's transaction (`follow_card` after the card event), so the call and the card
move commit together. Each loop has the switch `material_call` (on by default). The call type is the
plant's material type (code `MAT`); a plant without one gets no automatic calls. The station's "one open
call per type" rule holds: if someone already pressed Material there, no second call is raised.
"""

from __future__ import annotations

import logging

from jitdesk.domain.andon.call import CALL_RAISED
from jitdesk.domain.andon.rules import decide_raise
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.ids import uuid7
from jitdesk.domain.kanban.card import CARD_PROJECTOR
from jitdesk.domain.kanban.loop import LOOP_PROJECTOR
from jitdesk.domain.master import CallType
from jitdesk.services.andon.calls import resolve_by_system
from jitdesk.services.uow import Tx
from jitdesk.storage import andon_repo, projections
from jitdesk.storage.projections import raw

log = logging.getLogger("jitdesk.andon")

MATERIAL_CODE = "MAT"


def _material_type(tx: Tx) -> tuple[str, CallType] | None:
    types: dict[str, CallType] = projections.all_states(tx.session, PROJECTORS.get("call_type"))
    found = sorted((cid, t) for cid, t in types.items() if t.code.upper() == MATERIAL_CODE and t.active)
    return found[0] if found else None


def _counts(tx: Tx, loop_id: str) -> tuple[int, int]:
    """(cards in use, of them full) in the loop, from the card projection as this transaction left it."""
    row = raw(tx.session).execute(
        "SELECT count(*), coalesce(sum(supply = 'FULL'), 0) FROM card WHERE loop_id = ? AND added AND admin = 'ACTIVE'",
        (loop_id,)).fetchone()
    return (int(row[0]), int(row[1])) if row is not None else (0, 0)


def follow_card(tx: Tx, card_id: str) -> None:
    """After a card event in `tx`: raise or resolve its loop's material call."""
    found = projections.load(tx.session, CARD_PROJECTOR, card_id)
    if found is None or not found[0].loop_id:
        return
    loop_id = found[0].loop_id
    loop_found = projections.load(tx.session, LOOP_PROJECTOR, loop_id)
    if loop_found is None:
        return
    loop = loop_found[0]
    in_use, full = _counts(tx, loop_id)
    open_call = andon_repo.open_call_of_loop(tx.session, loop_id)
    if full and open_call is not None:
        resolve_by_system(tx, open_call, "material_delivered", f"a full card of loop {loop.code} arrived")
        log.info("material call %s of loop %s resolved: a full card arrived", open_call.call_id, loop.code)
        return
    if full or not in_use or open_call is not None or not loop.material_call or not loop.active:
        return
    material = _material_type(tx)
    if material is None:
        return
    type_id, call_type = material
    station = loop.consumer_station_id
    if decide_raise(call_type, station, andon_repo.open_calls_at(tx.session, station), type_id) is not None:
        return  # the station has its own material call open already
    call_id = uuid7(tx.now_ms())
    tx.append(CALL_RAISED, call_id, {"station_id": station, "call_type_id": type_id, "source": "kanban",
                                     "severity": call_type.severity, "stops_line": call_type.stops_line,
                                     "note": f"loop {loop.code}: no full card left", "loop_id": loop_id}, None)
    log.info("material call %s raised for loop %s at station %s: no full card left", call_id, loop.code, station)

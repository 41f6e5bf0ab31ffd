"""`record_scan`: the one service call every scanner (serial, keyboard wedge, a typed code) feeds.

One transaction: read the station and the card, let the domain decide (`decide_scan`), append the
card event when the decision is a move, and write the scan to the local scan log either way. What
the scanner sent is only ever read through the domain's parser, which never raises, so no input can
crash the station or write an event the rules do not allow. Each scan is also logged to the
`jitdesk.scan` logger with its result.

The answer is a message code with parameters (`ScanOutcome.note`, stored in the scan log's `code`
and `params`); `ScanOutcome.message` and the log's `message` column hold its English words with times
in the plant's time zone, for logs and readers of older versions. Screens render `note` themselves.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.kanban.card import CARD_PROJECTOR, Card
from jitdesk.domain.kanban.codes import ParsedCode, parse_scan
from jitdesk.domain.kanban.loop import LOOP_PROJECTOR
from jitdesk.domain.kanban.scan import ScanDecision, ScanResult, ScanStation, decide_scan
from jitdesk.domain.kanban.status import Admin
from jitdesk.domain.messages import Message, define, message
from jitdesk.services.andon import material
from jitdesk.services.changes import NO_CHANGES, Changes
from jitdesk.services.kanban import SCAN_LOG
from jitdesk.services.uow import Tx, transaction, wall_clock_ms
from jitdesk.services.words import words_in
from jitdesk.storage import identity, kanban_repo, projections
from jitdesk.storage.database import STATION_ID, Database

log = logging.getLogger("jitdesk.scan")

MAX_LOGGED = 60  # characters of what the scanner sent kept in the scan log
DEFAULT_DOUBLE_SCAN_SECONDS = 3.0

NO_STATION = define("scan.no_station")
STATION_UNKNOWN = define("scan.station_unknown")
DUPLICATE_CODE = define("scan.duplicate_code", "code")
UNREADABLE = define("scan.unreadable", "reason")  # the scanner layer's own words (devices/framing.py)
# The domain's answer with the part named (the domain knows the loop, not the part's name): `part` is
# the part's name, `number` and `of` the card's number and the loop's card count, `where` the code of
# the station the card belongs at.
NAMED_MOVE = {result: define(f"scan.{result.value}.named", "code", "part", "number", "of", "status", "loop")
              for result in (ScanResult.EMPTIED, ScanResult.BATCHED, ScanResult.PICKED, ScanResult.SHIPPED,
                             ScanResult.FILLED)}
NAMED_WRONG_STATION = define("scan.wrong_station.named", "code", "part", "loop", "where")


@dataclass(frozen=True)
class ScanOutcome:
    """What one scan did, for the station's flash, sound and scan list."""

    result: str  # a ScanResult value, or "no_station"
    tone: str  # success, info or refused
    message: str  # plain words (English, plant time): `note` rendered by the service
    text: str  # what was read, printable
    at_ms: int
    station_id: str | None
    source: str
    card_id: str | None = None
    card_code: str | None = None
    event_id: str | None = None
    log_id: int = 0
    changes: Changes = NO_CHANGES
    note: Message | None = None  # the answer as a code with parameters (None: only `message` is known)

    @property
    def ok(self) -> bool:
        return self.event_id is not None


def printable(text: object) -> str:
    """What a scanner sent, safe to show and store: control and odd characters as escapes, cut short."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("latin-1")
    if not isinstance(text, str):
        text = repr(text)
    shown = "".join(ch if ch.isprintable() and ord(ch) < 0x10000 else f"\\x{ord(ch):02x}"[:8] for ch in text)
    return shown if len(shown) <= MAX_LOGGED else shown[: MAX_LOGGED - 1] + "…"


def record_scan(
    db: Database,
    code_text: str,
    station_id: str | None = None,
    *,
    now_ms: int | None = None,
    double_scan_seconds: float = DEFAULT_DOUBLE_SCAN_SECONDS,
    source: str = "manual",
    actor: str | None = None,
) -> ScanOutcome:
    """Record one scan at `station_id` (default: the station this device acts as)."""
    now = wall_clock_ms() if now_ms is None else now_ms
    shown = printable(code_text)
    with transaction(db, now_ms=lambda: now) as tx:
        station = station_id if station_id is not None else identity.get_setting(tx.session, STATION_ID)
        decision, code = _decide(tx, code_text, station, now, int(double_scan_seconds * 1000))
        decision = _named(tx, decision, station)
        event_id = None
        if decision.ok:
            assert decision.kind is not None and decision.payload is not None and decision.card_id is not None
            event_id = tx.append(decision.kind, decision.card_id, decision.payload, actor).event_id
            material.follow_card(tx, decision.card_id)  # a loop out of full cards calls for material
        result = decision.result.value if isinstance(decision.result, ScanResult) else str(decision.result)
        words = words_in(tx.session).render(decision.message)
        log_id = kanban_repo.add_scan_log(
            tx.session, at_ms=now, station_id=station, source=source, text=shown, result=result,
            tone=decision.tone, message=words, card_id=decision.card_id, event_id=event_id,
            note=decision.message)
        tx.touch(SCAN_LOG, str(log_id))
    level = logging.INFO if decision.ok or decision.tone == "info" else logging.WARNING
    log.log(level, "scan %r at station %s (%s): %s: %s", shown, station, source, result, words)
    return ScanOutcome(result, decision.tone, words, shown, now, station, source, decision.card_id,
                       code, event_id, log_id, tx.changes, decision.message)


def _decide(tx: Tx, code_text: str, station_id: str | None, now: int, window_ms: int
            ) -> tuple[ScanDecision, str | None]:
    """The decision, and the code of the card it is about (None when no card was found)."""
    if not station_id:
        return ScanDecision(ScanResult.WRONG_STATION, message(NO_STATION)), None
    found = projections.load(tx.session, PROJECTORS.get("station"), station_id)
    if found is None or not found[0].active:
        return ScanDecision(ScanResult.WRONG_STATION, message(STATION_UNKNOWN)), None
    station = ScanStation(station_id, found[0].role)
    parsed = parse_scan(code_text if isinstance(code_text, str) else "")
    card: Card | None = None
    loop = None
    last: int | None = None
    if isinstance(parsed, ParsedCode):
        cards = [c for c in (projections.load(tx.session, CARD_PROJECTOR, i)
                             for i in kanban_repo.card_ids_by_code(tx.session, parsed.code)) if c is not None]
        in_use = [c[0] for c in cards if c[0].admin is not Admin.RETIRED]
        if len(in_use) > 1:
            return ScanDecision(ScanResult.DUPLICATE_CODE, message(DUPLICATE_CODE, code=parsed.code)), parsed.code
        candidates = in_use or [c[0] for c in cards]
        card = candidates[0] if candidates else None
        if card is not None:
            loop_found = projections.load(tx.session, LOOP_PROJECTOR, card.loop_id)
            loop = None if loop_found is None else loop_found[0]
            last = kanban_repo.last_written_scan_ms(tx.session, card.card_id, station_id)
    decision = decide_scan(parsed, card, loop, station, now, last, window_ms)
    return decision, None if card is None or not card.added else card.code



def _named(tx: Tx, decision: ScanDecision, station_id: str | None) -> ScanDecision:
    """A move or a wrong-station answer that names the part, the card's place in its loop, and
    (wrong station) where the card belongs."""
    result = decision.result
    wrong = decision.message.code == "scan.wrong_station"  # the other wrong-station answers say what to do
    if decision.card_id is None or not (result in NAMED_MOVE or wrong):
        return decision
    params = dict(decision.message.params)
    found = projections.load(tx.session, CARD_PROJECTOR, decision.card_id)
    if found is None:
        return decision
    card = found[0]
    loop_found = projections.load(tx.session, LOOP_PROJECTOR, card.loop_id)
    if loop_found is None:
        return decision
    loop = loop_found[0]
    part = kanban_repo.part_labels(tx.session, [loop.part_id]).get(loop.part_id)
    if part is None:
        return decision
    name = part[1] or part[0]
    if wrong:
        role = None
        here = projections.load(tx.session, PROJECTORS.get("station"), station_id) if station_id else None
        if here is not None:
            role = here[0].role
        where_id = loop.supplier_station_id if role == "supermarket" and loop.supplier_station_id \
            else loop.consumer_station_id
        where = projections.load(tx.session, PROJECTORS.get("station"), where_id)
        if where is None:
            return decision
        named = message(NAMED_WRONG_STATION, code=str(params.get("code")), part=name, loop=loop.code,
                        where=where[0].code)
    else:
        count = len(kanban_repo.cards_of_loops(tx.session, [card.loop_id]).get(card.loop_id, []))
        named = message(NAMED_MOVE[ScanResult(result)], code=str(params.get("code")), part=name,
                        number=card.number, of=count, status=params.get("status"), loop=loop.code)
    return replace(decision, message=named)


def record_unreadable(db: Database, reason: str, raw: bytes = b"", *, source: str = "serial",
                      now_ms: int | None = None, note: Message | None = None) -> ScanOutcome:
    """Log a frame the scanner layer refused (noise, too long, wrong affixes, a terminator mismatch)
    with its message (`note`, from jitdesk.domain.scanner; else `reason`'s words); no event."""
    if note is None:
        return log_refused(db, printable(raw), "unreadable", message(UNREADABLE, reason=reason), reason,
                           source=source, now_ms=now_ms)
    return log_refused(db, printable(raw), "unreadable", note, None, source=source, now_ms=now_ms)


def log_refused(db: Database, shown: str, result: str, note: Message, words: str | None, *, source: str,
                now_ms: int | None = None) -> ScanOutcome:
    """Write a refused scan that makes no event (unreadable, or a code nothing here takes) to the scan log
    (`words` None: the note's words in this plant's language)."""
    now = wall_clock_ms() if now_ms is None else now_ms
    with transaction(db, now_ms=lambda: now) as tx:
        if words is None:
            words = words_in(tx.session).render(note)
        station = identity.get_setting(tx.session, STATION_ID)
        log_id = kanban_repo.add_scan_log(tx.session, at_ms=now, station_id=station, source=source, text=shown,
                                          result=result, tone="refused", message=words, card_id=None,
                                          event_id=None, note=note)
        tx.touch(SCAN_LOG, str(log_id))
    log.warning("%s scan %r at station %s (%s): %s", result, shown, station, source, words)
    return ScanOutcome(result, "refused", words, shown, now, station, source, log_id=log_id,
                       changes=tx.changes, note=note)

"""Kanban reads and the scan log: hand-written SQL over the `loop`, `card` and `scan_log` tables.

Each function takes the Session of the caller's transaction. The queries are shaped for their
indexes (see kanban_tables.py): a scan looks a card up by its code; the queue reads only the
cards in replenishment and sorts them by due time in SQL; the board pages loops problems first
(from the derived loop_stats) or by code, and reads the cards of the visible page only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from jitdesk.domain.kanban.card import Card
from jitdesk.domain.kanban.loop import Loop
from jitdesk.domain.kanban.risk import RiskLevel
from jitdesk.domain.kanban.status import Admin
from jitdesk.domain.messages import Message, from_stored
from jitdesk.storage.projections import raw, row_to_state

_CARD_COLUMNS = ("card_id", "loop_id", "number", "code", "supply", "admin", "print_version", "status_since_hlc",
                 "status_since_ms", "status_station_id", "emptied_ms", "last_moved_ms", "added", "anomalies",
                 "anomaly_count")
_LOOP_COLUMNS = ("code", "part_id", "supplier_kind", "supplier_location", "consumer_station_id", "qty_per_card",
                 "lead_time_minutes", "safety_factor", "supplier_station_id", "wait_rule", "picking_rule",
                 "in_transit_rule", "active", "material_call")
_CARD_SELECT = ", ".join(f"c.{c}" for c in _CARD_COLUMNS)
_LOOP_SELECT = "l.id, " + ", ".join(f"l.{c}" for c in _LOOP_COLUMNS)


def card_from_row(row: Sequence[Any]) -> Card:
    values = dict(zip(_CARD_COLUMNS, row, strict=True))
    values["added"] = bool(values["added"])
    values["anomalies"] = json.loads(values["anomalies"]) if values["anomalies"] else []
    return row_to_state(Card, values)


def loop_from_row(row: Sequence[Any]) -> tuple[str, Loop]:
    """(loop id, Loop) from a row that starts with the id followed by the loop's columns."""
    values = dict(zip(_LOOP_COLUMNS, row[1:], strict=True))
    values["active"] = bool(values["active"])
    values["material_call"] = bool(values["material_call"])
    return row[0], row_to_state(Loop, values)


# -- scans ----------------------------------------------------------------------------------------

def card_ids_by_code(session: Session, code: str) -> list[str]:
    """Cards carrying `code`, those not retired first; normally one."""
    rows = raw(session).execute(
        "SELECT id FROM card WHERE code = ? AND code <> '' ORDER BY admin = ?, id", (code, Admin.RETIRED.value)
    ).fetchall()
    return [str(r[0]) for r in rows]


def last_written_scan_ms(session: Session, card_id: str, station_id: str) -> int | None:
    """When a scan of `card_id` at `station_id` last wrote an event (for the double-scan rule)."""
    found = raw(session).execute(
        "SELECT at_ms FROM scan_log WHERE card_id = ? AND station_id = ? AND event_id IS NOT NULL"
        " ORDER BY id DESC LIMIT 1", (card_id, station_id)).fetchone()
    return None if found is None else int(found[0])


def add_scan_log(session: Session, *, at_ms: int, station_id: str | None, source: str, text: str, result: str,
                 tone: str, message: str, card_id: str | None, event_id: str | None,
                 note: Message | None = None) -> int:
    """One scan log row; `note` is the answer's code and parameters, `message` its words when written."""
    code, params = (None, None) if note is None else (note.code, json.dumps(dict(note.params),
                                                                            separators=(",", ":")))
    cursor = raw(session).execute(
        "INSERT INTO scan_log (at_ms, station_id, source, text, result, tone, message, card_id, event_id, code,"
        " params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (at_ms, station_id, source, text, result, tone, message, card_id, event_id, code, params))
    return int(cursor.lastrowid or 0)


@dataclass(frozen=True)
class ScanLogRecord:
    id: int
    at_ms: int
    station_id: str | None
    source: str
    text: str
    result: str
    tone: str
    message: str  # the words written with the row (English, the plant's time then)
    card_id: str | None
    event_id: str | None
    note: Message | None = None  # the answer's code and parameters; None on rows of older versions

    @property
    def shown(self) -> Message:
        """What to render: the code and parameters, or the sentence an older version stored."""
        return self.note if self.note is not None else from_stored(self.message)


def _note_of(code: str | None, params: str | None) -> Message | None:
    if code is None:
        return None
    try:
        values = json.loads(params) if params else {}
    except ValueError:  # a damaged row still shows its code
        values = {}
    return from_stored([code, values if isinstance(values, dict) else {}])


def recent_scans(session: Session, station_id: str | None, limit: int) -> list[ScanLogRecord]:
    sql = ("SELECT id, at_ms, station_id, source, text, result, tone, message, card_id, event_id, code, params"
           " FROM scan_log WHERE station_id IS ? ORDER BY id DESC LIMIT ?")
    return [ScanLogRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], _note_of(r[10], r[11]))
            for r in raw(session).execute(sql, (station_id, limit))]


# -- loops and cards ------------------------------------------------------------------------------

def loop_by_code(session: Session, code: str) -> str | None:
    found = raw(session).execute("SELECT id FROM loop WHERE code = ?", (code,)).fetchone()
    return None if found is None else str(found[0])


def max_card_code(session: Session) -> str | None:
    """The highest card code in the plant (serials are fixed-width, so the highest code has the highest
    serial); read from the unique code index."""
    found = raw(session).execute("SELECT max(code) FROM card WHERE code <> ''").fetchone()
    return None if found is None or found[0] is None else str(found[0])


def max_card_number(session: Session, loop_id: str) -> int:
    found = raw(session).execute("SELECT max(number) FROM card WHERE loop_id = ?", (loop_id,)).fetchone()
    return int(found[0] or 0) if found is not None else 0


def cards_of_loops(session: Session, loop_ids: Iterable[str]) -> dict[str, list[Card]]:
    """The cards of each loop (every admin status), by number."""
    ids = list(loop_ids)
    out: dict[str, list[Card]] = {loop_id: [] for loop_id in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = raw(session).execute(
            f"SELECT {_CARD_SELECT} FROM card c WHERE c.loop_id IN ({marks}) ORDER BY c.loop_id, c.number",
            chunk)
        for row in rows:
            card = card_from_row(row)
            out[card.loop_id].append(card)
    return out


def cards_by_id(session: Session, card_ids: Iterable[str]) -> dict[str, Card]:
    ids = list(card_ids)
    out: dict[str, Card] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in raw(session).execute(f"SELECT {_CARD_SELECT} FROM card c WHERE c.id IN ({marks})", chunk):
            card = card_from_row(row)
            out[card.card_id] = card
    return out


def loops_by_id(session: Session, loop_ids: Iterable[str]) -> dict[str, Loop]:
    ids = list(loop_ids)
    out: dict[str, Loop] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in raw(session).execute(f"SELECT {_LOOP_SELECT} FROM loop l WHERE l.id IN ({marks})", chunk):
            loop_id, loop = loop_from_row(row)
            out[loop_id] = loop
    return out


def loops_of_station(session: Session, station_id: str) -> list[tuple[str, Loop]]:
    """Active loops the station consumes or supplies, by code."""
    sql = (f"SELECT {_LOOP_SELECT} FROM loop l WHERE l.active = 1 AND l.consumer_station_id = ?"
           f" UNION SELECT {_LOOP_SELECT} FROM loop l WHERE l.active = 1 AND l.supplier_station_id = ?"
           " ORDER BY 2")
    return [loop_from_row(row) for row in raw(session).execute(sql, (station_id, station_id))]


@dataclass(frozen=True)
class LoopCounts:
    cards: int  # not retired
    full: int  # active and FULL
    in_replenishment: int  # active and not FULL
    held: int
    late: int  # active, not FULL, past emptied + lead time


def loop_counts(session: Session, loop_ids: Sequence[str], now_ms: int) -> dict[str, LoopCounts]:
    """Card counts per loop from the derived loop_stats, and the late ones from card_queue's due times."""
    out = {loop_id: LoopCounts(0, 0, 0, 0, 0) for loop_id in loop_ids}
    late: dict[str, int] = {}
    for start in range(0, len(loop_ids), 500):
        chunk = list(loop_ids[start:start + 500])
        marks = ", ".join("?" * len(chunk))
        for loop_id, count in raw(session).execute(
                f"SELECT loop_id, count(*) FROM card_queue WHERE loop_id IN ({marks}) AND due_ms < ? GROUP BY loop_id",
                [*chunk, now_ms]):
            late[loop_id] = int(count)
        for loop_id, cards, in_use, full in raw(session).execute(
                f"SELECT id, cards, cards_in_use, full FROM loop_stats WHERE id IN ({marks})", chunk):
            out[loop_id] = LoopCounts(cards, full, in_use - full, cards - in_use, late.get(loop_id, 0))
    return out


def part_labels(session: Session, part_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(number, name) of the given parts."""
    ids = sorted(set(part_ids))
    if not ids:
        return {}
    rows = raw(session).execute(f"SELECT id, number, name FROM part WHERE id IN ({', '.join('?' * len(ids))})", ids)
    return {r[0]: (r[1], r[2]) for r in rows}


def card_events(session: Session, card_ids: Sequence[str], kinds: Iterable[str]) -> list[tuple[Any, ...]]:
    """Raw event rows (eventlog column order) of the given cards."""
    kind_list = list(kinds)
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(card_ids), 400):
        chunk = list(card_ids[start:start + 400])
        sql = ("SELECT event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id, actor, payload,"
               " schema_version, server_seq, received_at FROM events"
               f" WHERE entity_id IN ({', '.join('?' * len(chunk))}) AND kind IN ({', '.join('?' * len(kind_list))})")
        out.extend(raw(session).execute(sql, [*chunk, *kind_list]).fetchall())
    return out


# -- board ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BoardQuery:
    """Filters of the kanban board; None or "" means any."""

    line_id: str | None = None
    station_id: str | None = None  # the consumer station
    supplier_location: str | None = None
    search: str = ""  # part number or name, or loop code
    problems_first: bool = True  # stockouts, then late or short loops, then ones to watch; else by code


@dataclass(frozen=True)
class BoardLoopRow:
    loop_id: str
    loop: Loop
    part_number: str
    part_name: str
    station_code: str
    station_name: str
    line_code: str


def _board_where(query: BoardQuery) -> tuple[str, list[Any]]:
    where = ["l.active = 1"]
    args: list[Any] = []
    if query.station_id:
        where.append("l.consumer_station_id = ?")
        args.append(query.station_id)
    if query.line_id:
        where.append("l.consumer_station_id IN (SELECT id FROM station WHERE line_id = ?)")
        args.append(query.line_id)
    if query.supplier_location:
        where.append("l.supplier_location = ?")
        args.append(query.supplier_location)
    text = query.search.strip()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(l.code LIKE ? ESCAPE '\\' OR l.part_id IN (SELECT id FROM part WHERE number LIKE ? ESCAPE '\\'"
                     " OR name LIKE ? ESCAPE '\\'))")
        args.extend([like, like, like])
    return " AND ".join(where), args


# The board's problems-first order: domain.kanban.risk.level_at evaluated on the derived loop_stats rows
# (the level of the counts, raised by the clock once a card is due or stale), so every loop sorts in
# SQL; a loop with no stats row yet counts as a stockout. Within a level the longest-overdue loop first.
_RISK_KEYS = (f"max(coalesce(st.level, {RiskLevel.STOCKOUT.value}),"
              f" CASE WHEN st.late_from_ms < :now THEN {RiskLevel.AT_RISK.value} ELSE 0 END,"
              f" CASE WHEN st.stale_from_ms < :now THEN {RiskLevel.WATCH.value} ELSE 0 END) AS risk_rank,"
              " coalesce(st.late_from_ms, 9e18) AS due_key")


def board_loops(session: Session, query: BoardQuery, offset: int, limit: int, *, now_ms: int = 0
                ) -> tuple[list[BoardLoopRow], int]:
    """One page of active loops (problems first, or by code), and how many match in all."""
    where, args = _board_where(query)
    conn = raw(session)
    total = int(conn.execute(f"SELECT count(*) FROM loop l WHERE {where}", args).fetchone()[0])
    named = {f"a{i}": value for i, value in enumerate(args)}
    for i in range(len(args)):
        where = where.replace("?", f":a{i}", 1)
    named.update(now=now_ms, limit=limit, offset=offset)
    if query.problems_first:  # one top-N sort over every matching loop
        keys, order = _RISK_KEYS, "risk_rank DESC, due_key, code"
        source = f"SELECT l.*, {keys} FROM loop l LEFT JOIN loop_stats st ON st.id = l.id WHERE {where}"
    else:  # the code index walks straight to the page
        order = "code"
        source = f"SELECT l.* FROM loop l WHERE {where}"
    sql = (f"SELECT {_LOOP_SELECT}, coalesce(p.number, ''), coalesce(p.name, ''), coalesce(s.code, ''),"
           " coalesce(s.name, ''), coalesce(ln.code, '')"
           f" FROM ({source} ORDER BY {order} LIMIT :limit OFFSET :offset) l"
           " LEFT JOIN part p ON p.id = l.part_id LEFT JOIN station s ON s.id = l.consumer_station_id"
           f" LEFT JOIN line ln ON ln.id = s.line_id ORDER BY {order.replace('code', 'l.code')}")
    rows = []
    width = 1 + len(_LOOP_COLUMNS)
    for row in conn.execute(sql, named):
        loop_id, loop = loop_from_row(row[:width])
        rows.append(BoardLoopRow(loop_id, loop, *row[width:]))
    return rows, total


def board_risk_counts(session: Session, query: BoardQuery, *, now_ms: int) -> dict[int, int]:
    """How many matching active loops are at each risk level (RiskLevel values), over every page."""
    where, args = _board_where(query)
    named = {f"a{i}": value for i, value in enumerate(args)}
    for i in range(len(args)):
        where = where.replace("?", f":a{i}", 1)
    named["now"] = now_ms
    sql = (f"SELECT risk_rank, count(*) FROM (SELECT {_RISK_KEYS} FROM loop l"
           f" LEFT JOIN loop_stats st ON st.id = l.id WHERE {where}) GROUP BY risk_rank")
    return {int(rank): int(n) for rank, n in raw(session).execute(sql, named)}


def board_choices(session: Session) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    """(lines as (id, label), consumer stations as (id, label), supplier locations) for the board's filters."""
    conn = raw(session)
    lines = [(r[0], f"{r[1]}  {r[2]}") for r in conn.execute("SELECT id, code, name FROM line ORDER BY code")]
    stations = [(r[0], f"{r[1]}  {r[2]}") for r in conn.execute(
        "SELECT id, code, name FROM station WHERE id IN (SELECT DISTINCT consumer_station_id FROM loop)"
        " ORDER BY code")]
    suppliers = [r[0] for r in conn.execute("SELECT DISTINCT supplier_location FROM loop ORDER BY 1")]
    return lines, stations, suppliers


# -- replenishment queue --------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueRecord:
    card_id: str
    code: str
    number: int
    supply: str
    emptied_ms: int
    due_ms: int
    status_since_ms: int
    loop_id: str
    loop_code: str
    supplier_location: str
    qty_per_card: int
    part_number: str
    part_name: str
    station_code: str


def queue(session: Session, now_ms: int, limit: int, supplier_location: str | None = None
          ) -> tuple[list[QueueRecord], int, int]:
    """Cards in use awaiting replenishment by due time (the late ones come first by nature: their due
    time has passed), at most `limit`; with how many there are in all and how many are late.

    Reads the derived `card_queue` (see kanban_tables.py) along its due-time index, so the cost
    is the page asked for plus two index counts, not the number of cards in the plant.
    """
    conn = raw(session)
    if supplier_location:
        where, args = "WHERE q.supplier_location = :supplier", {"supplier": supplier_location}
        counts = ("SELECT (SELECT count(*) FROM card_queue WHERE supplier_location = :supplier),"
                  " (SELECT count(*) FROM card_queue WHERE supplier_location = :supplier AND due_ms < :now)")
    else:
        where, args = "", {}
        counts = "SELECT (SELECT count(*) FROM card_queue), (SELECT count(*) FROM card_queue WHERE due_ms < :now)"
    total, late = conn.execute(counts, {**args, "now": now_ms}).fetchone()
    rows = conn.execute(
        "SELECT q.id, q.due_ms FROM card_queue q"
        f" {where} ORDER BY q.due_ms, q.id LIMIT :limit", {**args, "limit": limit}).fetchall()
    if not rows:
        return [], int(total), int(late)
    details = _queue_details(session, [r[0] for r in rows])
    out = []
    for card_id, due_ms in rows:
        d = details.get(card_id)
        if d is not None:
            out.append(QueueRecord(card_id, d[0], d[1], d[2], d[3], due_ms, d[4], d[5], d[6], d[7], d[8], d[9], d[10],
                                   d[11]))
    return out, int(total), int(late)


def _queue_details(session: Session, card_ids: list[str]) -> Mapping[str, tuple[Any, ...]]:
    """Per card: code, number, supply, emptied_ms, then status_since_ms, loop id, loop code, supplier
    location, qty per card, part number, part name, consumer station code (QueueRecord's order
    around due_ms)."""
    marks = ", ".join("?" * len(card_ids))
    sql = ("SELECT c.id, c.code, c.number, c.supply, c.emptied_ms, c.status_since_ms, l.id, l.code,"
           " l.supplier_location, l.qty_per_card, coalesce(p.number, ''), coalesce(p.name, ''),"
           " coalesce(s.code, '') FROM card c JOIN loop l ON l.id = c.loop_id"
           " LEFT JOIN part p ON p.id = l.part_id LEFT JOIN station s ON s.id = l.consumer_station_id"
           f" WHERE c.id IN ({marks})")
    return {r[0]: r[1:] for r in raw(session).execute(sql, card_ids)}


# -- admin ----------------------------------------------------------------------------------------

def admin_loops(session: Session, search: str, limit: int) -> tuple[list[tuple[str, str, str, str, str, bool]], int]:
    """(id, code, part label, supplier location, consumer label, active) by code, and the total matching."""
    where, args = _board_where(BoardQuery(search=search))
    where = where.removeprefix("l.active = 1").removeprefix(" AND ") or "1"
    conn = raw(session)
    total = int(conn.execute(f"SELECT count(*) FROM loop l WHERE {where}", args).fetchone()[0])
    sql = ("SELECT l.id, l.code, coalesce(p.number || '  ' || p.name, ''), l.supplier_location,"
           " coalesce(s.code || '  ' || s.name, ''), l.active"
           " FROM loop l LEFT JOIN part p ON p.id = l.part_id LEFT JOIN station s ON s.id = l.consumer_station_id"
           f" WHERE {where} ORDER BY l.code LIMIT ?")
    return [(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in conn.execute(sql, [*args, limit])], total

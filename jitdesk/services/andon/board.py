"""Andon reads: the station panel (its call buttons and open calls) and the board (every station by line,
its open calls and light). The screens tick elapsed time and escalation themselves from these, with the
board's escalation book (`EscalationBook.of`), so the database is read only when a call changes."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from jitdesk.domain.andon.book import EscalationBook
from jitdesk.domain.andon.call import Call
from jitdesk.domain.andon.derived import CLEAR, LightState, StationAndon
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.master import CallType, Line, Station
from jitdesk.services.andon.escalation import escalation_book
from jitdesk.services.words import Words, words_in
from jitdesk.storage import andon_repo, identity, projections
from jitdesk.storage.database import STATION_ID, Database

BOARD_ROLES = ("line", "supermarket", "receiving")  # stations that raise calls (not the supervisor's office)


@dataclass(frozen=True)
class BoardStation:
    station_id: str
    code: str
    name: str
    line_id: str | None
    line_code: str  # "" for stations on no line
    line_name: str
    bottleneck: bool = False  # drawn bigger on the board


@dataclass(frozen=True)
class AndonBoard:
    stations: tuple[BoardStation, ...]  # by line, then code
    call_types: dict[str, CallType]  # id -> type (inactive ones too: old calls still name them)
    calls: tuple[Call, ...]  # every open call, oldest first
    lights: dict[str, StationAndon]  # station id -> its light; absent: clear
    words: Words = field(default_factory=Words)
    book: EscalationBook = field(default_factory=EscalationBook)  # ladders, takts, roster: the levels

    def calls_at(self, station_id: str) -> list[Call]:
        return [c for c in self.calls if c.station_id == station_id]


@dataclass(frozen=True)
class StationCalls:
    station_id: str | None
    station_code: str
    station_name: str
    buttons: tuple[tuple[str, CallType], ...]  # active call types (id, type), by code
    calls: tuple[Call, ...]  # this station's open calls, oldest first
    call_types: dict[str, CallType]
    words: Words = field(default_factory=Words)


def _call_types(session: Session) -> dict[str, CallType]:
    return projections.all_states(session, PROJECTORS.get("call_type"))


def buttons_of(types: dict[str, CallType]) -> tuple[tuple[str, CallType], ...]:
    order = {"SAFE": 0, "QUAL": 1, "MAINT": 2, "MAT": 3, "HELP": 4}
    active = [(cid, t) for cid, t in types.items() if t.active]
    return tuple(sorted(active, key=lambda it: (order.get(it[1].code, 9), it[1].code)))


def station_calls(db: Database, station_id: str | None = None) -> StationCalls:
    with db.reading() as session:
        sid = station_id or identity.get_setting(session, STATION_ID)
        found = projections.load(session, PROJECTORS.get("station"), sid) if sid else None
        types = _call_types(session)
        calls = andon_repo.open_calls_at(session, sid) if sid else []
        words = words_in(session, [sid] if sid else [])
    station: Station | None = None if found is None else found[0]
    return StationCalls(sid, station.code if station else "", station.name if station else "", buttons_of(types),
                        tuple(calls), types, words)


def andon_board(db: Database) -> AndonBoard:
    with db.reading() as session:
        lines: dict[str, Line] = projections.all_states(session, PROJECTORS.get("line"))
        stations: dict[str, Station] = projections.all_states(session, PROJECTORS.get("station"))
        types = _call_types(session)
        calls = andon_repo.open_calls(session)
        lights = andon_repo.station_lights(session)
        words = words_in(session, list(stations))
        book = escalation_book(session, raised_ms=[c.raised_ms for c in calls], call_types=types, stations=stations)
    out = []
    for sid, st in stations.items():
        if not st.active or st.role not in BOARD_ROLES:
            continue
        line = lines.get(st.line_id or "")
        out.append(BoardStation(sid, st.code, st.name, st.line_id, line.code if line else "",
                                line.name if line else "", st.bottleneck))
    out.sort(key=lambda s: (s.line_code == "", s.line_code, s.code))
    return AndonBoard(tuple(out), types, tuple(calls), lights, words, book)


def station_light(db: Database, station_id: str | None = None) -> LightState:
    """What this station's stack light shows now (clear: steady green)."""
    with db.reading() as session:
        sid = station_id or identity.get_setting(session, STATION_ID)
        lights = andon_repo.station_lights(session) if sid else {}
    found = lights.get(sid or "")
    return found.light_state if found is not None else CLEAR


MUTED = "andon.sound_muted"  # local setting: this station's andon sound is muted ("1")


def sound_muted(db: Database) -> bool:
    return db.setting(MUTED) == "1"


def set_sound_muted(db: Database, muted: bool) -> bool:
    """Mute or unmute this station's andon sound (kept in the station's own settings, never synced)."""
    with db.writing() as session:
        identity.set_setting(session, MUTED, "1" if muted else "0")
    return muted

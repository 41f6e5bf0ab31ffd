"""Messages into words: the one renderer of the domain's message codes (jitdesk/domain/messages.py).

One catalog of English templates keyed by code (`TEMPLATES`), plus the small words the templates put
in (`WORDS`: statuses, verbs, "(station X)"...). A template names each parameter with a format spec
saying what the raw value is, e.g. `{since_ms:time}` (a Unix ms time, shown in the plant's time
zone), `{late_by_ms:duration}` (plain words such as "2 h 05 min"), `{station:station}` (a station id,
shown as the station's code where the caller could look it up), `{status:status}` (a Supply value,
shown as its label). Languages come later: every template and word goes through `Words.translate`
before it is filled in (the GUI passes Qt's translate), so a translator rewords whole sentences and
keeps the `{name:spec}` fields.

A message whose parameters do not fit its template is a bug: with `strict` (the test suite sets
JITDESK_STRICT_MESSAGES=1) it raises; in production it is logged and shown as its code and raw
parameters, so a station never shows a blank answer. Old stored sentences (`legacy` messages, plain
strings) are shown as they were.
"""

from __future__ import annotations

import logging
import os
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.messages import LEGACY, Message, from_stored
from jitdesk.storage import identity, projections
from jitdesk.storage.database import PLANT_ID, Database

log = logging.getLogger("jitdesk.words")

STRICT_ENV = "JITDESK_STRICT_MESSAGES"

_MOVES = ("emptied", "batched", "picked", "shipped", "filled")

TEMPLATES: dict[str, str] = {
    LEGACY: "{text}",
    # card anomaly notes (domain/kanban/card.py); the note's time is put before it (WORDS["note"])
    "card.before_added": "{kind:verb} before the card was added",
    "card.moved_while_held": "{kind:verb} at station {station:station} while the card is on hold",
    "card.moved_after_retired": "{kind:verb} at station {station:station} after the card was retired",
    "card.moved_twice": "{kind:verb} twice at station {station:station}: already {status:status} since "
                        "{since_ms:time}{since_station:at_station}",
    "card.fill_not_scanned": "emptied at station {station:station} while {status:status} (since {since_ms:time}"
                             "{since_station:at_station}): the fill was not scanned",
    "card.empty_scan_missed": "{kind:verb} at station {station:station} while {status:status} since "
                              "{since_ms:time}{since_station:at_station}: the empty scan was missed",
    "card.moved_back": "{kind:verb} at station {station:station} after it was already {status:status} since "
                       "{since_ms:time}{since_station:at_station}; kept {status:status}",
    "card.added_again": "added again; the first record is kept",
    "card.admin_after_retired": "{kind:verb} after the card was retired; it stays retired",
    "card.printed_again": "printed version {version} again (version {current} exists): more than one copy of "
                          "this card may be on the floor",
    # scan answers (domain/kanban/scan.py, services/kanban/scanning.py)
    "scan.unknown_code": "unknown code: this is not a kanban card",
    "scan.bad_check": "bad check character: the code was misread, scan again",
    "scan.unknown_card": "unknown card {code}: no such card in this plant",
    "scan.lookup": "card {code}: {loop:loop}, card {number}, {status:status} since {since_ms:time}, "
                   "{admin:admin}, {print_version:print}{anomalies:anomalies}",
    "scan.double_scan": "double scan: card {code} was just scanned, nothing more done",
    "scan.retired": "card {code} is retired: take it out of the loop",
    "scan.on_hold": "card {code} is on hold: ask a supervisor",
    "scan.loop_unknown": "card {code}: its loop is not known here yet",
    "scan.loop_inactive": "card {code}: loop {loop} is not in use",
    "scan.not_ready": "card {code} is not {missing:done} yet: it is {status:status}; scan it at the supplier first",
    **{f"scan.{move}": move + ": card {code} ({loop} #{number}) is now {status:status}" for move in _MOVES},
    "scan.already_empty": "card {code} is already empty (since {since_ms:time})",
    "scan.already_full": "card {code} is already full",
    "scan.full_not_emptied": "card {code} is full: it has not been emptied at the line",
    "scan.wrong_station": "wrong station for card {code}: loop {loop} is not handled here",
    "scan.wrong_station.named": "{part} (card {code}, loop {loop}) belongs at station {where}, not "
                                "here: take it there",
    **{f"scan.{move}.named": "{part}, card {number} of {of}, is now {status:status} (" + move
       + " {code}, loop {loop})" for move in _MOVES},
    "scan.no_supermarket_step": "wrong station for card {code}: loop {loop} has no supermarket step, fill it "
                                "where it is used",
    "scan.already_done": "card {code} is already {status:status}",
    "scan.wrong_station_for_status": "wrong station: card {code} cannot be made {asked:status} here",
    "scan.not_used": "loop {loop} does not use {asked:status}",
    "scan.already_emptied": "card {code} was already emptied: it is {status:status}",
    "scan.no_station": "this device has no station yet: an admin chooses it in Admin, This station",
    "scan.station_unknown": "this device's station is not known or not in use: ask an admin",
    "scan.duplicate_code": "two cards carry the code {code} (added on two devices while offline): nothing "
                           "recorded; a planner retires one and prints a new card",
    "scan.unreadable": "{reason}",
    "scan.not_ours": "not a code jitdesk knows: {text}",
    # takt cycles (services/takt/cycles.py)
    "takt.cycle_done": "cycle done on line {line}: {parts} part(s)",
    "takt.double": "line {line}: a cycle was just completed, this one is not counted twice",
    "takt.not_recorded": "cycle not recorded: {reason}",
    # demand CSV rows refused (services/takt/demand.py)
    "takt.csv.no_line": "line {row}: the line code is empty",
    "takt.csv.empty": "line {row}: the {column} is empty",
    "takt.csv.line": "line {row}: no line has the code '{value}'",
    "takt.csv.date": "line {row}: '{value}' is not a date like 2026-12-02",
    "takt.csv.quantity": "line {row}: the quantity '{value}' is not a whole number from 0 to 10000000",
    "takt.csv.parts_per_cycle": "line {row}: parts per cycle '{value}' is not a whole number from 1 to 10000",
    "takt.csv.shift": "line {row}: the shift name '{value}' is longer than {most} characters",
    "takt.csv.twice": "line {row}: the same line, day and shift as line {first}; only line {first} is imported",
    "takt.not_undone": "cycle not undone: {reason}",
    "takt.cycle_undone": "last cycle on line {line} undone ({parts} part(s))",
    "takt.nothing_to_undo": "line {line}: no cycle of this shift to undo",
    "takt.undo_needs_supervisor": "line {line}: a cycle older than {minutes} minutes, or recorded at another "
                                  "station, can only be undone by a supervisor: sign in as one",
    # serial scanner frames refused (domain/scanner.py)
    "scanner.partial": "half a scan dropped after a pause ({text}): scan again",
    "scanner.too_long": "scan too long (over {max} characters): ignored",
    "scanner.too_short": "scan too short (under {min} characters): ignored",
    "scanner.unreadable": "unreadable bytes from the scanner (noise, or a wrong baud rate or encoding): ignored",
    "scanner.no_prefix": "scan without the expected prefix {prefix}: ignored",
    "scanner.no_suffix": "scan without the expected suffix {suffix}: ignored",
    "scanner.terminator_mismatch": "the scanner ends its scans with {sent} but this station expects {configured}: "
                                   "set terminator = \"{setting}\" in the [scanner] settings (or program the "
                                   "scanner to send {configured}); scan ignored",
    # loop risk reasons (domain/kanban/risk.py)
    "loop.not_in_use": "loop {loop} is not in use",
    "loop.no_cards": "loop {loop} has no cards in use: no stock is signalled",
    "loop.stockout": "stockout: no full card left in loop {loop}",
    "loop.late": "{count} card(s) late, the latest by {late_by_ms:duration}",
    "loop.too_many_empty": "{not_full} of {in_use} cards are in replenishment",
    "loop.stale": "{count} card(s) have not moved for over {stale_after_ms:duration}",
    "loop.anomalies": "{count} card(s) with anomalies to check",
    # andon (domain/andon/rules.py, services/andon/calls.py)
    "andon.type_unknown": "this andon call type is not known here",
    "andon.type_inactive": "{type} calls are not in use",
    "andon.no_station": "this device has no station yet: an admin chooses it in Admin, This station",
    "andon.already_open": "a {type} call is already open here since {since_ms:time}{claimed_by:claimed}",
    "andon.sign_in": "sign in as {role} or higher to do this",
    "andon.role_needed": "only a {role} or higher may do this; you are signed in as {have}",
    "andon.already_claimed": "already claimed{by:claimed} at {at_ms:time}",
    "andon.closed": "this call is already {status}",
    "andon.not_raised": "this call is not known here",
    "andon.bad_reason": "'{reason}' is not a reason on the list",
    "andon.top_level": "the call is already at the top escalation level ({level})",
    "andon.shelve_role": "only a supervisor or higher may shelve a call",
    "andon.shelve_range": "a call is shelved for 1 to {max_minutes} minutes",
    "andon.raised": "{type} call raised at station {station:station}",
    "andon.acknowledged": "{type} call at station {station:station}: {by} is on the way",
    "andon.resolved": "{type} call at station {station:station} resolved: {reason:reason}",
    "andon.cancelled": "{type} call at station {station:station} cancelled",
    "andon.escalated": "{type} call at station {station:station} escalated to level {level}",
    "andon.shelved": "{type} call at station {station:station} shelved until {until_ms:time}",
}

WORDS: dict[str, str] = {
    "note": "{time}: {text}",  # an anomaly note with its time
    "unrendered": "{code} {params}",  # a message that could not be put in words (a bug, logged)
    "at_station": " (station {station})",
    "loop.known": "loop {loop}",
    "loop.unknown": "loop not known here",
    "anomalies": ", {count} anomalies",
    "print.0": "never printed",
    "print.1": "printed",
    "print.n": "reprint version {version}",
    "time": "%Y-%m-%d %H:%M:%S %Z",  # strftime format of a full time
    "clock": "%H:%M:%S",  # strftime format of a time of day
    "duration.s": "{s} s",
    "duration.min": "{min} min",
    "duration.h": "{h} h {min:02d} min",
    "duration.d": "{d} d {h} h",
    "status.FULL": "full", "status.EMPTY": "empty", "status.WAIT": "waiting for a batch",
    "status.PICKING": "being picked", "status.IN_TRANSIT": "in transit",
    "done.WAIT": "batched", "done.PICKING": "picked", "done.IN_TRANSIT": "shipped",
    "claimed": ", claimed by {name}",
    "reason.fixed": "fixed", "reason.material_delivered": "material delivered", "reason.part_replaced": "part replaced",
    "reason.adjusted": "adjusted", "reason.instructed": "instructed", "reason.false_alarm": "false alarm",
    "reason.other": "other",
    "admin.ACTIVE": "active", "admin.ON_HOLD": "on hold", "admin.RETIRED": "retired",
    **{f"verb.kanban.card.{verb}": verb for verb in (*_MOVES, "held", "released", "retired", "printed", "added")},
}


def _same(text: str) -> str:
    return text


def _strict_default() -> bool:
    return os.environ.get(STRICT_ENV) == "1"


def zone_named(name: str | None) -> tzinfo:
    """The time zone of that IANA name; UTC (logged) when there is none or it is not known here."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:  # a typo in master data, or no tz database
        log.warning("time zone %r is not known here (%s): times are shown in UTC", name, error)
        return UTC


class MessageTemplateError(KeyError):
    """A message that does not fit its template (unknown code, missing parameter): a bug."""


@dataclass(frozen=True)
class Words:
    """Puts messages into words for one plant: its time zone, and the station codes known to the caller
    (`stations`: id -> code; an id not in it is shown as it is)."""

    zone: tzinfo = UTC
    stations: Mapping[str, str] = field(default_factory=dict)
    translate: Callable[[str], str] = _same
    strict: bool = field(default_factory=_strict_default)

    def translated(self, translate: Callable[[str], str]) -> Words:
        return replace(self, translate=translate)

    # -- messages -----------------------------------------------------------------------------------
    def render(self, note: Message | str | object) -> str:
        """The words of a message (or of a stored form of one: see `from_stored`)."""
        msg = from_stored(note)
        template = TEMPLATES.get(msg.code)
        try:
            if template is None:
                raise MessageTemplateError(f"no template for message code {msg.code}")
            return _Formatter(self).vformat(self.translate(template), (), msg.params)
        except (KeyError, ValueError, TypeError, IndexError) as error:
            if self.strict:
                raise MessageTemplateError(f"message {msg.code} {dict(msg.params)} cannot be rendered: "
                                           f"{error!r}") from error
            log.error("message %s %r cannot be rendered: %r", msg.code, dict(msg.params), error)
            return self.word("unrendered").format(code=msg.code, params=dict(msg.params))

    def note(self, note: Message | str | object) -> str:
        """An anomaly note: its time (when it has one) and its words."""
        msg = from_stored(note)
        at = msg.params.get("at_ms")
        text = self.render(msg)
        return text if not isinstance(at, int) else self.word("note").format(time=self.time(at), text=text)

    # -- values -------------------------------------------------------------------------------------
    def word(self, key: str, default: str | None = None) -> str:
        found = WORDS.get(key)
        if found is None:
            if default is None:
                raise KeyError(key)
            return default
        return self.translate(found)

    def time(self, ms: int) -> str:
        """A full time in the plant's zone with its abbreviation, e.g. `2026-03-29 03:30:00 CEST`."""
        return datetime.fromtimestamp(ms / 1000, tz=self.zone).strftime(self.word("time"))

    def clock(self, ms: int) -> str:
        """The time of day in the plant's zone, e.g. `14:05:09`."""
        return datetime.fromtimestamp(ms / 1000, tz=self.zone).strftime(self.word("clock"))

    def duration(self, ms: int) -> str:
        """`45 s`, `12 min`, `3 h 05 min`, `2 d 4 h` (rounded down)."""
        seconds = max(0, ms) // 1000
        if seconds < 60:
            return self.word("duration.s").format(s=seconds)
        minutes = seconds // 60
        if minutes < 60:
            return self.word("duration.min").format(min=minutes)
        hours, minutes = divmod(minutes, 60)
        if hours < 48:
            return self.word("duration.h").format(h=hours, min=minutes)
        days, hours = divmod(hours, 24)
        return self.word("duration.d").format(d=days, h=hours)

    def station(self, station_id: str) -> str:
        return self.stations.get(station_id, station_id)

    def status(self, value: str) -> str:
        return self.word(f"status.{value}", value)

    def _field(self, value: Any, spec: str) -> str | None:
        """The words of one parameter for its format spec (None: not one of ours)."""
        if spec == "time":
            return self.time(_int(value))
        if spec == "duration":
            return self.duration(_int(value))
        if spec == "station":
            return self.station(str(value))
        if spec == "at_station":
            return "" if value is None else self.word("at_station").format(station=self.station(str(value)))
        if spec == "status":
            return self.status(str(value))
        if spec == "done":
            return self.word(f"done.{value}", self.status(str(value)))
        if spec == "admin":
            return self.word(f"admin.{value}", str(value))
        if spec == "verb":
            return self.word(f"verb.{value}", str(value))
        if spec == "loop":
            return self.word("loop.unknown") if value is None else self.word("loop.known").format(loop=value)
        if spec == "print":
            version = _int(value)
            return self.word(f"print.{version}") if version in (0, 1) else \
                self.word("print.n").format(version=version)
        if spec == "claimed":
            return "" if not value else self.word("claimed").format(name=value)
        if spec == "reason":
            return self.word(f"reason.{value}", str(value))
        if spec == "anomalies":
            return self.word("anomalies").format(count=value) if value else ""
        return None


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {value!r}")
    return value


class _Formatter(string.Formatter):
    def __init__(self, words: Words) -> None:
        super().__init__()
        self.words = words

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, int):
            raise KeyError(f"positional field {key}")  # templates name every field
        return kwargs[key]  # a missing parameter raises KeyError: the message is wrong

    def format_field(self, value: Any, format_spec: str) -> str:
        words = self.words._field(value, format_spec)
        return words if words is not None else super().format_field(value, format_spec)


# -- loading a plant's words ----------------------------------------------------------------------

def words_in(session: Session, station_ids: Iterable[str] = ()) -> Words:
    """The Words of this database's plant: its time zone (UTC without a plant), and the codes of the
    given stations (those the messages to be shown name)."""
    plant_id = identity.get_setting(session, PLANT_ID)
    plant = projections.load(session, PROJECTORS.get("plant"), plant_id) if plant_id else None
    zone = zone_named(plant[0].timezone) if plant is not None else UTC
    stations: dict[str, str] = {}
    station_projector = PROJECTORS.get("station")
    for sid in set(station_ids):
        found = projections.load(session, station_projector, sid)
        if found is not None:
            stations[sid] = found[0].code
    return Words(zone, stations)


def plant_words(db: Database, station_ids: Iterable[str] = ()) -> Words:
    with db.reading() as session:
        return words_in(session, station_ids)


def fields_of(template: str) -> dict[str, str]:
    """The fields a template fills in, with their format specs."""
    return {name: spec or "" for _text, name, spec, _conv in string.Formatter().parse(template)
            if name is not None}


# code -> the parameters its template shows as a station
_STATION_FIELDS = {code: frozenset(name for name, spec in fields_of(template).items()
                                   if spec in ("station", "at_station"))
                   for code, template in TEMPLATES.items()}


def stations_named(notes: Iterable[Message | str | object]) -> set[str]:
    """The station ids the messages show, for `words_in` to look up."""
    out: set[str] = set()
    for note in notes:
        msg = from_stored(note)
        for name in _STATION_FIELDS.get(msg.code, ()):
            value = msg.params.get(name)
            if isinstance(value, str):
                out.add(value)
    return out

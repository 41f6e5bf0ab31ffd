"""The server's storage: idempotent, commit-ordered event insert; pull after a cursor; tokens.

Commit order of `server_seq`. A puller asks for `server_seq > cursor` and moves its cursor to the
last row it got. If seq 11 could commit (and be read) before seq 10, a puller would skip 10 for ever.
So numbers are handed out in commit order: every writing transaction first takes one lock, reads
`max(server_seq)`, inserts above it and commits, and only then does the next writer get the lock.
On SQLite the lock is the database write lock (BEGIN IMMEDIATE, see storage.engine). On PostgreSQL
it is a transaction-level advisory lock (`pg_advisory_xact_lock`), released by COMMIT itself, so the
next writer reads a max that includes every committed row, and a reader never sees a hole that a
slower transaction fills later. Writers are batched (hundreds of events per transaction), and the
API stores the pushes waiting at one moment in one transaction (group commit, see `commits` and
`push_admitted`), so one lock and one COMMIT cost little; several stateless API processes (each
with its own committer) may share one PostgreSQL safely. On PostgreSQL reads run in autocommit on
their own pool, writers on a small pool of their own.

Every write is checked against the token's principal: the plant and device come from the token,
never from the payload.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from jitdesk.domain.clock import MAX_AHEAD_MS, ahead_ms, physical_ms
from jitdesk.domain.errors import BadInput, KnownError, StorageProblem
from jitdesk.domain.events import Event
from jitdesk.sync import wire
from jitdesk.sync.server.admission import Admission, Candidate, admit, rejected, verdict_on_stored
from jitdesk.sync.server.models import (
    ORIGIN_LOCAL,
    ORIGIN_UPSTREAM,
    device_clocks,
    devices,
    events,
    held_events,
    meta,
    relay_rejects,
    relay_unreadable,
    tokens,
)
from jitdesk.sync.server.notify import CHANNEL
from jitdesk.sync.server.serving import ServedPage, serve

log = logging.getLogger("jitdesk.sync.server")

ROLES = ("station", "hub", "admin")
ADVISORY_LOCK_KEY = 0x6A697464  # "jitd"
TOKEN_PREFIX = "jdt_"

_COLUMNS = (
    events.c.event_id, events.c.plant_id, events.c.device_id, events.c.device_seq, events.c.hlc,
    events.c.wall_time, events.c.kind, events.c.entity_id, events.c.actor, events.c.payload,
    events.c.schema_version, events.c.server_seq, events.c.received_at,
)


def _check_form(token: str | None) -> None:
    if not token:
        raise AuthError(401, "no token: send 'Authorization: Bearer <token>'")
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise AuthError(401, "malformed token")


def _principal(row: Any) -> Principal:
    if row is None:
        raise AuthError(401, "unknown token")
    if row.revoked_at is not None:
        raise AuthError(401, "token revoked")
    return Principal(row.id, row.plant_id, row.device, row.role)


class AuthError(KnownError):
    """A request the server refuses: `status` is the HTTP status, the message the short reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Unreadable:
    """An upstream item the hub cannot store as an event: its text as sent, and why."""

    raw: str
    reason: str
    event_id: str | None = None
    server_seq: int | None = None


@dataclass(frozen=True)
class Principal:
    token_id: int
    plant_id: str
    device: str
    role: str

    @property
    def relays(self) -> bool:
        return self.role == "hub"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def hash_token(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_url(url: str) -> str:
    """`postgresql://` means psycopg 3; a bare path means an SQLite file."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_server_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        from jitdesk.storage.engine import make_engine

        if not parsed.database or parsed.database == ":memory:":
            raise BadInput("the server needs an SQLite file, not an in-memory database")
        return make_engine(parsed.database)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_size=8, max_overflow=8, pool_pre_ping=True, isolation_level="AUTOCOMMIT")
    raise BadInput(f"unsupported database URL '{url}' (use an SQLite path or postgresql://...)")


class ServerStore:
    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = normalise_url(url)
        self.engine = make_server_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        # On PostgreSQL writers have a pool of their own: a push's commit must never queue for a
        # connection behind the reads of thousands of woken long-polls.
        # Reads run in autocommit there: under READ COMMITTED a transaction gives a read no more than
        # each statement's own snapshot, and BEGIN and COMMIT are two more round trips per pull.
        self.write_engine = self.engine
        if not self.is_sqlite:
            self.write_engine = create_engine(self.url, pool_size=2, max_overflow=2, pool_pre_ping=True)
        self._write_lock = threading.Lock()  # one writer per process; the DB lock orders processes
        try:
            if migrate:
                self.migrate()
            self.server_id = self._ensure_server_id()
        except BaseException:
            self.close()
            raise

    # --- set-up ---------------------------------------------------------------------------------
    def migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        from jitdesk.resources import migrations_dir

        config = Config()
        config.set_main_option("script_location", str(migrations_dir("server")))
        try:
            with self.write_engine.begin() as conn:
                if not self.is_sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY + 1})
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
        except Exception as error:
            from alembic.util.exc import CommandError
            from sqlalchemy import exc

            if isinstance(error, CommandError) and "revision" in str(error).lower():
                raise StorageProblem(f"the server database {self._where()} was written by a newer jitdesk "
                                     f"(its schema is not one this version knows): install the newer "
                                     f"jitdesk to use it") from error
            if isinstance(error, exc.OperationalError | exc.DatabaseError):
                raise StorageProblem(f"cannot open the server database {self._where()}: "
                                     f"{getattr(error, 'orig', error)}") from error
            raise

    def _where(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def _ensure_server_id(self) -> str:
        with self.writing() as conn:
            found = self._meta(conn, "server_id")
            if found is None:
                found = secrets.token_hex(8)
                conn.execute(insert(meta).values(key="server_id", value=found))
            return found

    def close(self) -> None:
        self.engine.dispose()
        self.write_engine.dispose()

    # --- transactions ---------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """The one kind of write transaction: holds the seq lock from start to COMMIT."""
        with self._write_lock, self.write_engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if self.is_sqlite:
                conn = conn.execution_options(sqlite_begin="DEFERRED")
            with conn.begin():
                yield conn

    def _meta(self, conn: Connection, key: str) -> str | None:
        return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar_one_or_none()

    def get_meta(self, key: str) -> str | None:
        with self.reading() as conn:
            return self._meta(conn, key)

    def set_meta(self, key: str, value: str) -> None:
        with self.writing() as conn:
            self._set_meta(conn, key, value)

    def _set_meta(self, conn: Connection, key: str, value: str) -> None:
        done = conn.execute(update(meta).where(meta.c.key == key).values(value=value)).rowcount
        if not done:
            conn.execute(insert(meta).values(key=key, value=value))

    # --- tokens ---------------------------------------------------------------------------------
    def create_token(self, plant_id: str, device: str, role: str) -> tuple[int, str]:
        """A new token (shown once) and its id; only its hash is stored."""
        if role not in ROLES:
            raise BadInput(f"unknown role '{role}' (station, hub or admin)")
        for label, value in (("plant", plant_id), ("device", device)):
            if not value or len(value) > 200 or not value.isprintable():
                raise BadInput(f"the {label} must be 1 to 200 printable characters")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.writing() as conn:
            result = conn.execute(insert(tokens).values(
                token_hash=hash_token(token), plant_id=plant_id, device=device, role=role,
                created_at=now_iso(),
            ))
            token_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        log.info("token %d created for plant %s device %s role %s", token_id, plant_id, device, role)
        return token_id, token

    def revoke_token(self, ident: str) -> int:
        """Revoke by token id, or by the token itself; returns how many were revoked."""
        cond = tokens.c.token_hash == hash_token(ident)
        if ident.isdigit():
            cond = tokens.c.id == int(ident)
        with self.writing() as conn:
            done = conn.execute(
                update(tokens).where(cond, tokens.c.revoked_at.is_(None)).values(revoked_at=now_iso())
            ).rowcount
        log.info("token %s revoked (%d)", ident if ident.isdigit() else "(by value)", done)
        return int(done)

    def list_tokens(self) -> list[dict[str, Any]]:
        with self.reading() as conn:
            rows = conn.execute(select(tokens.c.id, tokens.c.plant_id, tokens.c.device, tokens.c.role,
                                       tokens.c.created_at, tokens.c.revoked_at).order_by(tokens.c.id))
            return [dict(r._mapping) for r in rows]

    def authenticate(self, token: str | None) -> Principal:
        _check_form(token)
        with self.reading() as conn:
            return self._principal_of(conn, token)

    def _principal_of(self, conn: Connection, token: str | None) -> Principal:
        return _principal(conn.execute(
            select(tokens.c.id, tokens.c.plant_id, tokens.c.device, tokens.c.role, tokens.c.revoked_at)
            .where(tokens.c.token_hash == hash_token(token or ""))
        ).first())

    def token_active(self, token_id: int) -> bool:
        """False once the token is revoked (a long-poll checks again before it answers)."""
        with self.reading() as conn:
            revoked = conn.execute(select(tokens.c.revoked_at).where(tokens.c.id == token_id)).first()
        return revoked is not None and revoked[0] is None

    def pull_checks(self, plant_id: str) -> tuple[int, int, frozenset[int]]:
        """What a pull is checked against: the newest server_seq of all, `retained_from`, and the ids
        of the plant's revoked tokens; read once for all the plant's pulls woken together."""
        with self.reading() as conn:
            newest = int(conn.execute(select(func.coalesce(func.max(events.c.server_seq), 0))).scalar_one())
            retained = self._meta(conn, "retained_from")
            revoked = frozenset(conn.execute(select(tokens.c.id).where(
                tokens.c.plant_id == plant_id, tokens.c.revoked_at.is_not(None))).scalars())
        return newest, int(retained) if retained else 0, revoked

    # --- push -----------------------------------------------------------------------------------
    def push(self, who: Principal, batch: Sequence[object],
             names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """Per event, in batch order: accepted (with server_seq), duplicate, conflict or rejected with
        a reason (see `admission`). `names`: from a hub, the device name each relayed device has there."""
        admission = self.admit(who, batch)
        admission.names.update(names or {})
        failure = self.push_admitted([(who, admission)])[0]
        if failure is not None:
            raise failure
        return admission.results

    def admit(self, who: Principal, batch: Sequence[object]) -> Admission:
        """The batch parsed and checked on its own, before any lock (see `admission`)."""
        return admit(batch, lambda event: self._check_rights(who, event))

    def push_admitted(self, work: Sequence[tuple[Principal, Admission]]) -> list[Exception | None]:
        """Store admitted batches in order in ONE transaction and commit once (group commit, see
        `commits`); each batch's results are filled in. The group is checked and inserted with one
        query per kind for all its batches; should that fail, each batch is tried again on its own
        savepoint and a batch that fails alone gets its error in its place, the others are kept. A
        failure of the transaction itself (COMMIT) is raised: nothing of the group was stored."""
        failures: list[Exception | None] = [None] * len(work)
        todo = [(who, a.candidates, a.results, a.names) for who, a in work if a.candidates]
        if todo:
            with self.writing() as conn:
                if len(todo) == 1:
                    self._insert_group(conn, todo, ORIGIN_LOCAL)
                else:
                    try:
                        with conn.begin_nested():
                            self._insert_group(conn, todo, ORIGIN_LOCAL)
                    except SQLAlchemyError as error:
                        log.warning("a group of %d batches could not be stored at once (%s); storing each "
                                    "on its own", len(todo), error.__class__.__name__)
                        self._insert_one_by_one(conn, work, failures)
        for k, (who, admission) in enumerate(work):
            if failures[k] is not None:
                continue
            admission.settle_copies()
            refused = [r for r in admission.results if r["status"] in (wire.REJECTED, wire.CONFLICT)]
            if refused:
                log.warning("plant %s device %s: %d of %d events refused, first: %s",
                            who.plant_id, who.device, len(refused), len(admission.results), refused[0]["reason"])
        return failures

    def _insert_one_by_one(self, conn: Connection, work: Sequence[tuple[Principal, Admission]],
                           failures: list[Exception | None]) -> None:
        for k, (who, admission) in enumerate(work):
            if not admission.candidates:
                continue
            for c in admission.candidates:
                admission.results[c.index] = {}
            try:
                with conn.begin_nested():
                    self._insert_group(conn, [(who, admission.candidates, admission.results, admission.names)],
                                       ORIGIN_LOCAL)
            except SQLAlchemyError as error:
                log.error("plant %s device %s: a batch of %d events could not be stored (%s); the other "
                          "batches of its commit are kept", who.plant_id, who.device, len(admission.candidates),
                          error)
                failures[k] = StorageProblem(f"the batch could not be stored: {error.__class__.__name__}")

    def _note_clocks(self, conn: Connection, stored: Sequence[tuple[Principal, Event]]) -> None:
        """Per device, how far its newest stamp is ahead of this server's clock: skew is recorded and
        shown (`device_clocks`), never a reason to refuse an event."""
        newest: dict[str, tuple[Principal, int]] = {}
        for who, event in stored:
            if event.device_id not in newest or newest[event.device_id][1] < event.hlc:
                newest[event.device_id] = (who, event.hlc)
        if not newest:
            return
        now = time.time_ns() // 1_000_000
        stamp = now_iso()
        conn.execute(delete(device_clocks).where(device_clocks.c.device_id.in_(list(newest))))
        conn.execute(insert(device_clocks), [
            {"device_id": d, "plant_id": who.plant_id, "device": who.device, "ahead_ms": ahead_ms(h, now),
             "hlc_ms": physical_ms(h), "at": stamp} for d, (who, h) in newest.items()])
        for device_id, (who, hlc) in newest.items():
            if ahead_ms(hlc, now) > MAX_AHEAD_MS:
                log.warning("plant %s device %s (%s): its clock is %.0f s ahead of this server's; events are "
                            "kept, other clocks are not pulled along", who.plant_id, device_id, who.device,
                            ahead_ms(hlc, now) / 1000)

    def device_clocks(self, plant_id: str | None = None) -> list[dict[str, Any]]:
        """Recorded clock skew per device (ahead_ms > 0: its clock runs ahead of this server's)."""
        stmt = select(device_clocks).order_by(device_clocks.c.ahead_ms.desc())
        if plant_id is not None:
            stmt = stmt.where(device_clocks.c.plant_id == plant_id)
        with self.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def _check_rights(self, who: Principal, event: Event) -> str | None:
        if event.plant_id != who.plant_id:
            return (f"the event is for plant '{event.plant_id}' but this token is for plant "
                    f"'{who.plant_id}'")
        if wire.is_master(event.kind) and who.role == "station":
            return f"only admin devices may write master data ({event.kind})"
        return None

    def _insert_group(self, conn: Connection,
                      work: Sequence[tuple[Principal | None, Sequence[Candidate], list[dict[str, Any]],
                                           Mapping[str, str]]],
                      origin: int) -> list[Event]:
        """Check and insert the batches of `work` in order, with one query per kind for all of them:
        a later batch is judged with the earlier ones' events as stored. Fills in each batch's results;
        returns the events stored. (`who` None: a trusted source, no device binding.)"""
        everything = [c for _, candidates, _, _ in work for c in candidates]
        stored_rows = self._stored_by_id(conn, [c.event.event_id for c in everything])
        taken = self._taken_seqs(conn, {(c.event.device_id, c.event.device_seq) for c in everything})
        bindings = _Bindings(self._bound_devices(conn, {c.event.device_id for c in everything}))
        seq = int(conn.execute(select(func.coalesce(func.max(events.c.server_seq), 0))).scalar_one())
        stamp = now_iso()
        rows: list[tuple[Any, ...]] = []  # in _ROW_FIELDS order
        stored: list[Event] = []
        clocks: list[tuple[Principal, Event]] = []
        for who, candidates, results, names in work:
            owners = bindings.check(who, {c.event.device_id for c in candidates}, names)
            for candidate in candidates:
                i, event = candidate.index, candidate.event
                held = stored_rows.get(event.event_id)
                if held is not None:
                    results[i] = verdict_on_stored(candidate, held)
                    continue
                if (event.device_id, event.device_seq) in taken:
                    # Never the other event's id: it may be another plant's.
                    results[i] = rejected(event.event_id, f"device_seq {event.device_seq} of device "
                                          f"{event.device_id} is already used by another event")
                    continue
                problem = owners.get(event.device_id)
                if problem:
                    results[i] = rejected(event.event_id, problem)
                    continue
                seq += 1
                taken.add((event.device_id, event.device_seq))
                stored_rows[event.event_id] = {  # a later copy (in this group) is judged by it
                    "server_seq": seq, "plant_id": event.plant_id, "device_id": event.device_id,
                    "device_seq": event.device_seq, "hlc": event.hlc, "wall_time": event.wall_time,
                    "kind": event.kind, "entity_id": event.entity_id, "actor": event.actor,
                    "schema_version": event.schema_version, "payload": candidate.text}
                rows.append((seq, event.event_id, event.plant_id, event.device_id, event.device_seq, event.hlc,
                             event.wall_time, event.kind, event.entity_id, event.actor, candidate.text,
                             event.schema_version, stamp, origin))
                stored.append(event)
                if who is not None:
                    clocks.append((who, event))
                results[i] = {"event_id": event.event_id, "status": wire.ACCEPTED, "server_seq": seq,
                              "reason": None}
        bindings.write(conn)
        if rows:
            # Straight to the driver's executemany: the Core layer's per-row work costs more than
            # SQLite's own insert.
            mark = "?" if self.is_sqlite else "%s"
            conn.exec_driver_sql(
                f"INSERT INTO events ({', '.join(_ROW_FIELDS)}) VALUES ({', '.join([mark] * len(_ROW_FIELDS))})",
                rows,
            )
        self._note_clocks(conn, clocks)
        return stored

    def _taken_seqs(self, conn: Connection, pairs: set[tuple[str, int]]) -> set[tuple[str, int]]:
        """The (device_id, device_seq) pairs already used, live or archived: exact index look-ups of the
        numbers asked for, one bound array, never a range (1 and 2**62 would scan a device's whole
        history). The archive is asked only for the pairs not found live."""
        if not pairs:
            return set()
        found = self._taken_in(conn, "events", pairs)
        rest = pairs - found
        return found | (self._taken_in(conn, "archived_events", rest) if rest else set())

    def _taken_in(self, conn: Connection, table: str, pairs: set[tuple[str, int]]) -> set[tuple[str, int]]:
        wanted = sorted(pairs)
        if self.is_sqlite:
            sql = text(f"SELECT e.device_id, e.device_seq FROM json_each(:pairs) AS w JOIN {table} AS e "
                       "ON e.device_id = json_extract(w.value, '$[0]') "
                       "AND e.device_seq = json_extract(w.value, '$[1]')")
            found = conn.execute(sql, {"pairs": json.dumps(wanted)})
        else:
            sql = text("SELECT e.device_id, e.device_seq FROM unnest(CAST(:devs AS text[]), CAST(:seqs AS bigint[])) "
                       f"AS w(d, s) JOIN {table} AS e ON e.device_id = w.d AND e.device_seq = w.s")
            found = conn.execute(sql, {"devs": [d for d, _ in wanted], "seqs": [q for _, q in wanted]})
        return {(r[0], int(r[1])) for r in found}

    def _stored_by_id(self, conn: Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored rows of the ids already held, live or archived (an archived id answers exactly as
        a live one: exactly-once outlives the archive). The archive is asked only for the ids not
        found live, on its unique event_id index."""
        found = self._rows_by_id(conn, "events", ids)
        rest = [i for i in ids if i not in found]
        if rest:
            found.update(self._rows_by_id(conn, "archived_events", rest))
        return found

    def _rows_by_id(self, conn: Connection, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        """One bound array, not hundreds of IN parameters: compiling a 500-way IN costs more than the
        lookup itself."""
        cols = ("server_seq", "plant_id", "device_id", "device_seq", "hlc", "wall_time", "kind", "entity_id",
                "actor", "schema_version", "payload")
        if self.is_sqlite:
            sql = text(f"SELECT event_id, {', '.join(cols)} FROM {table} "
                       "WHERE event_id IN (SELECT value FROM json_each(:ids))")
            rows = conn.execute(sql, {"ids": json.dumps(ids)})
        else:
            sql = text(f"SELECT event_id, {', '.join(cols)} FROM {table} WHERE event_id = ANY(:ids)")
            rows = conn.execute(sql, {"ids": ids})
        return {row[0]: dict(zip(cols, row[1:], strict=True)) for row in rows}

    def _bound_devices(self, conn: Connection, ids: set[str]) -> dict[str, list[str | None]]:
        bound: dict[str, list[str | None]] = {}
        for chunk in _chunks(sorted(ids), 500):
            for row in conn.execute(select(devices.c.device_id, devices.c.plant_id, devices.c.device,
                                           devices.c.relayed_by, devices.c.relayed_name)
                                    .where(devices.c.device_id.in_(chunk))):
                bound[row.device_id] = [row.plant_id, row.device, row.relayed_by, row.relayed_name]
        return bound

    def device_names(self, device_ids: Sequence[str]) -> dict[str, str]:
        """For the relay: the device name each device has here (its own token's, or the name the hub
        below gave), sent upstream so the centre knows whose own token may push for it later."""
        out: dict[str, str] = {}
        with self.reading() as conn:
            for chunk in _chunks(sorted(set(device_ids)), 500):
                for row in conn.execute(select(devices.c.device_id, devices.c.device, devices.c.relayed_by,
                                               devices.c.relayed_name).where(devices.c.device_id.in_(chunk))):
                    name = row.device if row.relayed_by is None else row.relayed_name
                    if name:
                        out[row.device_id] = name
        return out

    def insert_trusted(self, batch: Sequence[Event], origin: int = ORIGIN_UPSTREAM,
                       meta_values: Mapping[str, str] | None = None,
                       unreadable: Sequence[Unreadable] = ()) -> list[Event]:
        """Events from a trusted source (the upstream server of a hub): idempotent, no rights checks.
        `unreadable` items, and events refused here (a device number another event holds), go to the
        relay's quarantine; `meta_values` (the upstream cursor past them all) are stored in the same
        transaction, so nothing is passed without being stored or quarantined."""
        results: list[dict[str, Any]] = [{}] * len(batch)
        broken = list(unreadable)
        with self.writing() as conn:
            candidates = [Candidate(i, e, wire.payload_text(e)) for i, e in enumerate(batch)]
            stored = self._insert_group(conn, [(None, candidates, results, {})], origin) if batch else []
            for event, result in zip(batch, results, strict=True):
                if result.get("status") in (wire.REJECTED, wire.CONFLICT):
                    broken.append(Unreadable(json.dumps(event._asdict(), ensure_ascii=True, default=str),
                                             str(result.get("reason")), event.event_id, None))
            if broken:
                self._quarantine(conn, broken)
            for key, value in (meta_values or {}).items():
                self._set_meta(conn, key, value)
            return stored

    def _quarantine(self, conn: Connection, items: Sequence[Unreadable]) -> None:
        stamp = now_iso()
        digests = {hashlib.sha256(i.raw.encode("utf-8", "surrogatepass")).hexdigest(): i for i in items}
        have = set(conn.execute(select(relay_unreadable.c.digest)
                                .where(relay_unreadable.c.digest.in_(list(digests)))).scalars())
        rows = [{"digest": d, "event_id": i.event_id, "server_seq": i.server_seq, "raw": i.raw,
                 "reason": i.reason[:1000], "at": stamp} for d, i in digests.items() if d not in have]
        if rows:
            conn.execute(insert(relay_unreadable), rows)
        log.error("upstream sent %d item(s) this hub cannot store, quarantined; first: %s", len(items),
                  items[0].reason)

    def unreadable_upstream(self) -> list[dict[str, Any]]:
        """The relay's quarantine, oldest first (for admins and tests)."""
        with self.reading() as conn:
            rows = conn.execute(select(relay_unreadable).order_by(relay_unreadable.c.id))
            return [dict(r._mapping) for r in rows]

    def unreadable_upstream_count(self) -> int:
        with self.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(relay_unreadable)).scalar_one())

    # --- pull -----------------------------------------------------------------------------------
    def pull(self, plant_id: str, after: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        """Up to `limit` events of the plant after `after` (wire form), and the plant's newest seq."""
        page = self.pull_page(plant_id, after, limit)
        return page.events, page.newest

    def pull_page(self, plant_id: str, after: int, limit: int) -> ServedPage:
        """The plant's rows after `after`: those that can be served, and those skipped with a reason
        (held back, or unservable: these are held from now on, see `serving`)."""
        with self.reading() as conn:
            rows = conn.execute(
                select(*_COLUMNS).where(events.c.plant_id == plant_id, events.c.server_seq > after)
                .order_by(events.c.server_seq).limit(limit)
            ).all()
            held = self.held_of(conn, plant_id)
            newest = int(conn.execute(select(func.coalesce(func.max(events.c.server_seq), 0))
                                      .where(events.c.plant_id == plant_id)).scalar_one())
        page = serve(rows, held, after)
        page.newest = newest
        if page.unservable:
            log.error("plant %s: %d stored event(s) cannot be served, held back; first %s: %s", plant_id,
                      len(page.unservable), *page.unservable[0])
            self.hold(page.unservable, plant_id, by="server (cannot be served)")
        return page

    def held_of(self, conn: Connection, plant_id: str | None) -> dict[str, str]:
        """Held event id -> reason, for one plant (and the held of every plant) or for all."""
        stmt = select(held_events.c.event_id, held_events.c.reason)
        if plant_id is not None:
            stmt = stmt.where((held_events.c.plant_id == plant_id) | held_events.c.plant_id.is_(None))
        return {r.event_id: r.reason for r in conn.execute(stmt)}

    def hold(self, items: Sequence[tuple[str, str]], plant_id: str | None, *, by: str) -> int:
        """Hold stored (or future) events back from every pull and relay, each with its reason;
        returns how many were newly held. Each hold is numbered (`hold_seq`), so a hub that already
        pulled the event learns of it (`holds_after`); the plant's waiting pulls are woken."""
        with self.writing() as conn:
            have = self.held_of(conn, None)
            last = int(conn.execute(select(func.coalesce(func.max(held_events.c.hold_seq), 0))).scalar_one())
            rows = [{"event_id": e, "plant_id": plant_id, "reason": r[:1000], "by": by, "at": now_iso(),
                     "hold_seq": last + n} for n, (e, r) in enumerate(
                         ((e, r) for e, r in dict(items).items() if e not in have), start=1)]
            if rows:
                conn.execute(insert(held_events), rows)
                if plant_id is not None and not self.is_sqlite:
                    conn.execute(text("SELECT pg_notify(:channel, :plant)"), {"channel": CHANNEL, "plant": plant_id})
        return len(rows)

    def holds_after(self, plant_id: str, after: int, limit: int = 1000) -> list[dict[str, Any]]:
        """The plant's holds numbered after `after`, oldest first: hold_seq, event_id, reason."""
        with self.reading() as conn:
            found = conn.execute(
                select(held_events.c.hold_seq, held_events.c.event_id, held_events.c.reason)
                .where(held_events.c.hold_seq > after,
                       (held_events.c.plant_id == plant_id) | held_events.c.plant_id.is_(None))
                .order_by(held_events.c.hold_seq).limit(limit))
            return [dict(r._mapping) for r in found]

    def held(self) -> list[dict[str, Any]]:
        """Held events with their reasons, for admins."""
        with self.reading() as conn:
            found = conn.execute(select(held_events).order_by(held_events.c.at, held_events.c.event_id))
            return [dict(r._mapping) for r in found]

    def event_plant(self, event_id: str) -> str | None:
        with self.reading() as conn:
            return conn.execute(select(events.c.plant_id).where(events.c.event_id == event_id)).scalar_one_or_none()

    def head(self, plant_id: str) -> int:
        with self.reading() as conn:
            return int(conn.execute(select(func.coalesce(func.max(events.c.server_seq), 0))
                                    .where(events.c.plant_id == plant_id)).scalar_one())

    def max_seq(self) -> int:
        with self.reading() as conn:
            return int(conn.execute(select(func.coalesce(func.max(events.c.server_seq), 0))).scalar_one())

    def retained_from(self) -> int:
        """Cursors below this are too old (events were archived away): the client must resync."""
        value = self.get_meta("retained_from")
        return int(value) if value else 0

    # --- hub relay ------------------------------------------------------------------------------
    def unrelayed(self, plant_id: str, after: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        """Local events of the plant after the upstream watermark (wire form), and the watermark past
        them; held or unservable ones are passed over (never relayed)."""
        with self.reading() as conn:
            rows = conn.execute(
                select(*_COLUMNS).where(events.c.plant_id == plant_id, events.c.server_seq > after,
                                        events.c.origin == ORIGIN_LOCAL)
                .order_by(events.c.server_seq).limit(limit)
            ).all()
            held = self.held_of(conn, plant_id)
        page = serve(rows, held, after)
        if page.unservable:
            self.hold(page.unservable, plant_id, by="server (cannot be served)")
        return page.events, page.last

    def note_relay_rejects(self, rejects: Sequence[tuple[str, str]]) -> None:
        if not rejects:
            return
        with self.writing() as conn:
            have = set(conn.execute(select(relay_rejects.c.event_id)
                                    .where(relay_rejects.c.event_id.in_([e for e, _ in rejects]))).scalars())
            rows = [{"event_id": e, "reason": r, "at": now_iso()} for e, r in rejects if e not in have]
            if rows:
                conn.execute(insert(relay_rejects), rows)

    def relay_rejects(self) -> list[tuple[str, str]]:
        with self.reading() as conn:
            return [(r.event_id, r.reason) for r in conn.execute(select(relay_rejects))]

    # --- inspection (tests, admin) ----------------------------------------------------------------
    def all_events(self, plant_id: str | None = None) -> list[dict[str, Any]]:
        stmt = select(*_COLUMNS).order_by(events.c.server_seq)
        if plant_id is not None:
            stmt = stmt.where(events.c.plant_id == plant_id)
        with self.reading() as conn:
            return [_wire(r) for r in conn.execute(stmt)]


class _Bindings:
    """Which token may push for which device id (DESIGN section 4), over one group of batches.

    A station or admin token binds each new envelope device_id to its (plant, device name); a device
    bound to another name is refused. A hub relays devices of its plant: one it is first to bring is
    bound to that hub (`relayed_by`), with the device name the hub gives for it (`relayed_name`: the
    name of that station's token at the hub); one first pushed by a station's own token is claimed by
    the first hub that relays it. A device bound to one hub is refused from any other hub, and from
    every station token but the one of the name its hub gave (the device's own token, pushing at the
    centre directly). New bindings and claims count for the later batches of the group at once."""

    def __init__(self, bound: dict[str, list[str | None]]) -> None:
        self.bound = bound  # device_id -> [plant, device name, hub, name the hub gave]
        self.new_rows: list[dict[str, Any]] = []
        self.changes: dict[str, dict[str, str]] = {}  # device_id -> columns to update

    def check(self, who: Principal | None, wanted: set[str], names: Mapping[str, str]) -> dict[str, str]:
        problems: dict[str, str] = {}
        if who is None:
            return problems
        for device_id in sorted(wanted):
            owner = self.bound.get(device_id)
            vouched = names.get(device_id) if who.relays else None
            if owner is None:
                hub = who.device if who.relays else None
                self.bound[device_id] = [who.plant_id, who.device, hub, vouched]
                self.new_rows.append({"device_id": device_id, "plant_id": who.plant_id, "device": who.device,
                                      "first_seen": now_iso(), "relayed_by": hub, "relayed_name": vouched})
                continue
            plant, name, hub, hub_name = owner
            if plant != who.plant_id:
                problems[device_id] = f"device {device_id} belongs to another plant"
            elif who.relays:
                if hub is not None and hub != who.device:
                    problems[device_id] = (f"device {device_id} is relayed by hub '{hub}'; another hub may "
                                           f"not push for it")
                    continue
                change = self.changes.setdefault(device_id, {})
                if hub is None:
                    owner[2] = change["relayed_by"] = who.device
                if vouched and hub_name is None:
                    owner[3] = change["relayed_name"] = vouched
                if not change:
                    del self.changes[device_id]
            elif name != who.device and not (hub is not None and hub_name == who.device):
                via = f" (relayed by hub '{hub}')" if hub else ""
                problems[device_id] = (f"device {device_id} is registered to device '{name}'{via}, "
                                       f"not to this token's device '{who.device}'")
        return problems

    def write(self, conn: Connection) -> None:
        if self.new_rows:
            conn.execute(insert(devices), self.new_rows)
        for device_id, change in self.changes.items():
            conn.execute(update(devices).where(devices.c.device_id == device_id).values(**change))


_ROW_FIELDS = ("server_seq", "event_id", "plant_id", "device_id", "device_seq", "hlc", "wall_time", "kind",
               "entity_id", "actor", "payload", "schema_version", "received_at", "origin")


def _chunks(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def _wire(r: Any) -> dict[str, Any]:
    return {
        "event_id": r[0], "plant_id": r[1], "device_id": r[2], "device_seq": r[3], "hlc": r[4],
        "wall_time": r[5], "kind": r[6], "entity_id": r[7], "actor": r[8], "payload": json.loads(r[9]),
        "schema_version": r[10], "server_seq": r[11], "received_at": r[12],
    }

"""The server's storage: idempotent, commit-ordered event insert; pull after a cursor; tokens.

Commit order of `server_seq`. A puller asks for `server_seq > cursor` and moves its cursor to the
last row it got. If seq 11 could commit (and be read) before seq 10, a puller would skip 10 for ever.
So numbers are handed out in commit order: every writing transaction first takes one lock, reads
`max(server_seq)`, inserts above it and commits, and only then does the next writer get the lock.
On SQLite the lock is the database write lock (BEGIN IMMEDIATE, see storage.engine). On PostgreSQL
it is a transaction-level advisory lock (`pg_advisory_xact_lock`), released by COMMIT itself, so the
next writer reads a max that includes every committed row, and a reader never sees a hole that a
slower transaction fills later. Writers are batched (hundreds of events per transaction), so one
lock costs little; several stateless API processes may share one PostgreSQL safely.

Every write is checked against the token's principal: the plant and device come from the token,
never from the payload.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, func, insert, select, text, update
from sqlalchemy.engine import make_url

from jitdesk.domain.errors import BadInput, KnownError, StorageProblem
from jitdesk.domain.events import Event
from jitdesk.sync import wire
from jitdesk.sync.server.models import (
    ORIGIN_LOCAL,
    ORIGIN_UPSTREAM,
    devices,
    events,
    meta,
    relay_rejects,
    relay_unreadable,
    tokens,
)

log = logging.getLogger("jitdesk.sync.server")

ROLES = ("station", "hub", "admin")
ADVISORY_LOCK_KEY = 0x6A697464  # "jitd"
TOKEN_PREFIX = "jdt_"

_COLUMNS = (
    events.c.event_id, events.c.plant_id, events.c.device_id, events.c.device_seq, events.c.hlc,
    events.c.wall_time, events.c.kind, events.c.entity_id, events.c.actor, events.c.payload,
    events.c.schema_version, events.c.server_seq, events.c.received_at,
)


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
        return create_engine(url, pool_size=8, max_overflow=8, pool_pre_ping=True)
    raise BadInput(f"unsupported database URL '{url}' (use an SQLite path or postgresql://...)")


class ServerStore:
    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = normalise_url(url)
        self.engine = make_server_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._write_lock = threading.Lock()  # one writer per process; the DB lock orders processes
        try:
            if migrate:
                self.migrate()
            self.server_id = self._ensure_server_id()
        except BaseException:
            self.engine.dispose()
            raise

    # --- set-up ---------------------------------------------------------------------------------
    def migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        from jitdesk.resources import migrations_dir

        config = Config()
        config.set_main_option("script_location", str(migrations_dir("server")))
        try:
            with self.engine.begin() as conn:
                if not self.is_sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY + 1})
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
        except Exception as error:
            from sqlalchemy import exc

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

    # --- transactions ---------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """The one kind of write transaction: holds the seq lock from start to COMMIT."""
        with self._write_lock, self.engine.begin() as conn:
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
        if not token:
            raise AuthError(401, "no token: send 'Authorization: Bearer <token>'")
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            raise AuthError(401, "malformed token")
        with self.reading() as conn:
            row: Any = conn.execute(
                select(tokens.c.id, tokens.c.plant_id, tokens.c.device, tokens.c.role, tokens.c.revoked_at)
                .where(tokens.c.token_hash == hash_token(token))
            ).first()
        if row is None:
            raise AuthError(401, "unknown token")
        if row.revoked_at is not None:
            raise AuthError(401, "token revoked")
        return Principal(row.id, row.plant_id, row.device, row.role)

    # --- push -----------------------------------------------------------------------------------
    def push(self, who: Principal, batch: Sequence[object]) -> list[dict[str, Any]]:
        """Per event, in batch order: accepted (with server_seq), duplicate, or rejected with a reason."""
        results: list[dict[str, Any]] = [{}] * len(batch)
        parsed: list[tuple[int, Event]] = []
        texts: dict[str, str] = {}
        for i, raw in enumerate(batch):
            event_id = raw.get("event_id") if isinstance(raw, Mapping) else None
            event_id = event_id if isinstance(event_id, str) else None
            try:
                event = wire.parse_event(raw, check_size=False)
                texts[event.event_id] = wire.payload_text(event)
            except BadInput as error:
                results[i] = _rejected(event_id, str(error))
                continue
            problem = self._check_rights(who, event)
            if problem:
                results[i] = _rejected(event.event_id, problem)
                continue
            parsed.append((i, event))
        if parsed:
            with self.writing() as conn:
                self._insert_checked(conn, who, parsed, results, ORIGIN_LOCAL, texts)
        refused = [r for r in results if r["status"] == wire.REJECTED]
        if refused:
            log.warning("plant %s device %s: %d of %d events refused, first: %s",
                        who.plant_id, who.device, len(refused), len(batch), refused[0]["reason"])
        return results

    def _check_rights(self, who: Principal, event: Event) -> str | None:
        if event.plant_id != who.plant_id:
            return (f"the event is for plant '{event.plant_id}' but this token is for plant "
                    f"'{who.plant_id}'")
        if wire.is_master(event.kind) and who.role == "station":
            return f"only admin devices may write master data ({event.kind})"
        return None

    def _insert_checked(self, conn: Connection, who: Principal | None, parsed: list[tuple[int, Event]],
                        results: list[dict[str, Any]], origin: int,
                        texts: Mapping[str, str] | None = None) -> list[Event]:
        known = self._known_ids(conn, [e.event_id for _, e in parsed])
        spans: dict[str, list[int]] = {}
        for _, e in parsed:
            span = spans.setdefault(e.device_id, [e.device_seq, e.device_seq])
            span[0], span[1] = min(span[0], e.device_seq), max(span[1], e.device_seq)
        wanted = {(e.device_id, e.device_seq) for _, e in parsed}
        taken: dict[tuple[str, int], str] = {}
        for device_id, (low, high) in spans.items():
            # One range scan of the (device_id, device_seq) index per device in the batch.
            for trio in conn.execute(
                select(events.c.device_seq, events.c.event_id)
                .where(events.c.device_id == device_id, events.c.device_seq.between(low, high))
            ):
                if (device_id, trio.device_seq) in wanted:
                    taken[(device_id, trio.device_seq)] = trio.event_id
        owners = self._device_owners(conn, who, parsed)
        seq = int(conn.execute(select(func.coalesce(func.max(events.c.server_seq), 0))).scalar_one())
        stamp = now_iso()
        rows: list[tuple[Any, ...]] = []  # in _ROW_FIELDS order
        stored: list[Event] = []
        for i, event in parsed:
            if event.event_id in known:
                results[i] = {"event_id": event.event_id, "status": wire.DUPLICATE,
                              "server_seq": known[event.event_id], "reason": None}
                continue
            clash = taken.get((event.device_id, event.device_seq))
            if clash is not None:
                results[i] = _rejected(event.event_id, f"device_seq {event.device_seq} of device "
                                       f"{event.device_id} is already used by event {clash}")
                continue
            problem = owners.get(event.device_id)
            if problem:
                results[i] = _rejected(event.event_id, problem)
                continue
            seq += 1
            known[event.event_id] = seq
            taken[(event.device_id, event.device_seq)] = event.event_id
            text_ = None if texts is None else texts.get(event.event_id)
            rows.append((seq, event.event_id, event.plant_id, event.device_id, event.device_seq, event.hlc,
                         event.wall_time, event.kind, event.entity_id, event.actor,
                         text_ if text_ is not None else wire.payload_text(event), event.schema_version,
                         stamp, origin))
            stored.append(event)
            results[i] = {"event_id": event.event_id, "status": wire.ACCEPTED, "server_seq": seq,
                          "reason": None}
        if rows:
            # Straight to the driver's executemany: the Core layer's per-row work costs more than
            # SQLite's own insert.
            mark = "?" if self.is_sqlite else "%s"
            conn.exec_driver_sql(
                f"INSERT INTO events ({', '.join(_ROW_FIELDS)}) VALUES ({', '.join([mark] * len(_ROW_FIELDS))})",
                rows,
            )
        return stored

    def _known_ids(self, conn: Connection, ids: list[str]) -> dict[str, int]:
        """server_seq of the ids already stored. One bound array, not hundreds of IN parameters:
        compiling a 500-way IN costs more than the lookup itself."""
        if self.is_sqlite:
            sql = text("SELECT event_id, server_seq FROM events WHERE event_id IN (SELECT value FROM json_each(:ids))")
            rows = conn.execute(sql, {"ids": json.dumps(ids)})
        else:
            sql = text("SELECT event_id, server_seq FROM events WHERE event_id = ANY(:ids)")
            rows = conn.execute(sql, {"ids": ids})
        return {row[0]: row[1] for row in rows}

    def _device_owners(self, conn: Connection, who: Principal | None,
                       parsed: list[tuple[int, Event]]) -> dict[str, str]:
        """Device ids this principal may not write for, with the reason; binds new ones on first use.

        A station or admin token binds each new envelope device_id to its (plant, device name); a
        device bound to another name is refused. A hub relays any device of its plant.
        """
        wanted = sorted({e.device_id for _, e in parsed})
        bound: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(wanted, 500):
            for row in conn.execute(select(devices.c.device_id, devices.c.plant_id, devices.c.device)
                                    .where(devices.c.device_id.in_(chunk))):
                bound[row.device_id] = (row.plant_id, row.device)
        problems: dict[str, str] = {}
        new_rows = []
        for device_id in wanted:
            owner = bound.get(device_id)
            if who is None:
                continue
            if owner is None:
                if not who.relays:
                    new_rows.append({"device_id": device_id, "plant_id": who.plant_id, "device": who.device,
                                     "first_seen": now_iso()})
                continue
            if owner[0] != who.plant_id:
                problems[device_id] = f"device {device_id} belongs to another plant"
            elif not who.relays and owner[1] != who.device:
                problems[device_id] = (f"device {device_id} is registered to device '{owner[1]}', "
                                       f"not to this token's device '{who.device}'")
        if new_rows:
            conn.execute(insert(devices), new_rows)
        return problems

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
            stored = self._insert_checked(conn, None, list(enumerate(batch)), results, origin) if batch else []
            for event, result in zip(batch, results, strict=True):
                if result.get("status") == wire.REJECTED:
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
        with self.reading() as conn:
            rows = conn.execute(
                select(*_COLUMNS).where(events.c.plant_id == plant_id, events.c.server_seq > after)
                .order_by(events.c.server_seq).limit(limit)
            ).all()
            newest = int(conn.execute(select(func.coalesce(func.max(events.c.server_seq), 0))
                                      .where(events.c.plant_id == plant_id)).scalar_one())
        return [_wire(r) for r in rows], newest

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
    def unrelayed(self, plant_id: str, after: int, limit: int) -> list[dict[str, Any]]:
        """Local events of the plant after the upstream watermark (wire form, without server fields)."""
        with self.reading() as conn:
            rows = conn.execute(
                select(*_COLUMNS).where(events.c.plant_id == plant_id, events.c.server_seq > after,
                                        events.c.origin == ORIGIN_LOCAL)
                .order_by(events.c.server_seq).limit(limit)
            ).all()
        return [_wire(r) for r in rows]

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


_ROW_FIELDS = ("server_seq", "event_id", "plant_id", "device_id", "device_seq", "hlc", "wall_time", "kind",
               "entity_id", "actor", "payload", "schema_version", "received_at", "origin")


def _rejected(event_id: str | None, reason: str) -> dict[str, Any]:
    return {"event_id": event_id, "status": wire.REJECTED, "server_seq": None, "reason": reason}


def _chunks(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def _wire(r: Any) -> dict[str, Any]:
    return {
        "event_id": r[0], "plant_id": r[1], "device_id": r[2], "device_seq": r[3], "hlc": r[4],
        "wall_time": r[5], "kind": r[6], "entity_id": r[7], "actor": r[8], "payload": json.loads(r[9]),
        "schema_version": r[10], "server_seq": r[11], "received_at": r[12],
    }

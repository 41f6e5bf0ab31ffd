"""A snapshot of a plant's projections at a server_seq S: made by folding every event up to S, packed,
checked by a hash (DESIGN section 4: a new station starts from it instead of replaying years).

The content is canonical JSON lines (keys sorted, one spelling per value): a header line, then one
line per entity projection row, projections by name and rows by id. Its SHA-256 is the snapshot's
hash, so the same events always give the same hash; the content travels gzip-compressed.

    header: {"format", "plant_id", "seq", "schema", "folded_kinds", "covered", "events", "max_hlc",
             "cut_hlc", "tail"}
    rows:   {"p": projector name, "r": row as stored}
    tail:   {"e": [event row]}   events above the cut, not folded in (see `make`)

`schema` is the station schema revision the rows fit and `folded_kinds` the projector fingerprint
that made them: a station with other folds or tables must not install them. `covered` lists, per
device, the ranges of device numbers folded in, so a station knows exactly which events of its own
log the snapshot already holds. Derived projections are not packed: they are made again from the
entity states on install, as a rebuild does.
"""

from __future__ import annotations

import gzip
import hashlib
import tempfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

from jitdesk.domain.errors import BadInput
from jitdesk.domain.events import Event
from jitdesk.domain.fold import PROJECTORS
from jitdesk.services.rebuild import rebuild_all
from jitdesk.storage import identity, migrate
from jitdesk.storage.database import PLANT_ID, open_database
from jitdesk.storage.projections import raw, table_for

FORMAT = "jitdesk-snapshot/1"
TAIL_MS = 24 * 3_600_000  # events of the last day before the snapshot travel as events (see `make`)
_TAIL = ("SELECT event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id, actor, payload,"
         " schema_version, server_seq, received_at FROM events WHERE hlc > ? ORDER BY server_seq")
MAX_UNPACKED = 2 << 30  # refuse to unpack more than 2 GiB (a broken or hostile download)
_INSERT = (
    "INSERT INTO events (event_id, plant_id, device_id, device_seq, hlc, wall_time, kind, entity_id, actor,"
    " payload, schema_version, server_seq, received_at, sync_state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,1)"
)
# A server event row, in this order: event_id, plant_id, device_id, device_seq, hlc, wall_time, kind,
# entity_id, actor, payload (JSON text), schema_version, server_seq, received_at.
EventRowTuple = Sequence[Any]


@dataclass(frozen=True)
class Packed:
    header: dict[str, Any]
    sha256: str
    body: bytes  # gzip of the content

    def meta(self) -> dict[str, Any]:
        """What a server tells about the snapshot before it is downloaded."""
        h = self.header
        return {"plant_id": h["plant_id"], "seq": h["seq"], "schema": h["schema"], "folded_kinds": h["folded_kinds"],
                "events": h["events"], "tail": h["tail"], "sha256": self.sha256, "size": len(self.body)}


@dataclass(frozen=True)
class Unpacked:
    header: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]  # projector name -> rows
    tail: list[Event]  # events above the cut, for the station's log
    sha256: str
    body: bytes


def make(plant_id: str, seq: int, events: Iterable[Sequence[EventRowTuple]], *, tail_ms: int = TAIL_MS,
         workdir: Path | None = None) -> Packed:
    """Fold `events` (chunks of server event rows, every event of the plant up to `seq`) into a
    temporary station database with the station's own rebuild, and pack its projections.

    The events of the last `tail_ms` of hybrid time (stamps above `cut_hlc`) are not folded in but
    packed as events: the installing station keeps them in its log, so an event that arrives late
    but inside that window re-folds its entity exactly (snapshot state + the tail + the late event,
    in order). Only one older than the cut is folded on top of the snapshot's state."""
    with tempfile.TemporaryDirectory(prefix="jitdesk-snapshot-", dir=workdir) as tmp:
        db = open_database(Path(tmp) / "fold.db")
        try:
            count, max_hlc = 0, 0
            with db.writing() as session:
                conn = raw(session)
                for chunk in events:
                    conn.executemany(_INSERT, chunk)
                    max_hlc = max([max_hlc, *(r[4] for r in chunk)])
                    count += len(chunk)
                identity.set_setting(session, PLANT_ID, plant_id)
                cut = max(0, max_hlc - (tail_ms << 16))  # hybrid stamps hold milliseconds << 16
                tail = conn.execute(_TAIL, (cut,)).fetchall()
                conn.execute("DELETE FROM events WHERE hlc > ?", (cut,))
                covered: dict[str, list[int]] = {}
                for device, number in conn.execute("SELECT device_id, device_seq FROM events"):
                    covered.setdefault(device, []).append(number)
            rebuild_all(db)
            header = {"format": FORMAT, "plant_id": plant_id, "seq": seq, "schema": migrate.head_revision(),
                      "folded_kinds": PROJECTORS.fingerprint(), "covered": {d: ranges(s) for d, s in covered.items()},
                      "events": count, "max_hlc": max_hlc, "cut_hlc": cut, "tail": len(tail)}
            lines = [_line(header)]
            with db.reading() as session:
                for projector in sorted(PROJECTORS.all(), key=lambda p: p.name):
                    table = table_for(projector)
                    for row in session.execute(select(table).order_by(table.c.id)).mappings():
                        lines.append(_line({"p": projector.name, "r": dict(row)}))
            lines.extend(_line({"e": list(r)}) for r in tail)
        finally:
            db.close()
    content = b"".join(lines)
    return Packed(header, hashlib.sha256(content).hexdigest(), gzip.compress(content, compresslevel=6, mtime=0))


def _line(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS) + b"\n"


def ranges(numbers: list[int]) -> list[list[int]]:
    """[1, 2, 3, 7, 8] -> [[1, 3], [7, 8]]."""
    out: list[list[int]] = []
    for n in sorted(set(numbers)):
        if out and n == out[-1][1] + 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return out


def unpack(meta: dict[str, Any], body: bytes) -> Unpacked:
    """The snapshot's content, checked against `meta` (from the server) and against this station:
    hash, format, plant, schema revision and fold fingerprint. A mismatch raises SnapshotRefused."""
    try:
        content = _gunzip(body)
    except (OSError, EOFError, zlib.error) as error:
        raise SnapshotRefused(f"the snapshot download is damaged ({error})") from None
    digest = hashlib.sha256(content).hexdigest()
    if digest != meta.get("sha256"):
        raise SnapshotRefused(f"the snapshot's content does not match its hash (got {digest[:12]}..., the server "
                              f"announced {str(meta.get('sha256'))[:12]}...): it was damaged on the way")
    lines = content.split(b"\n")
    try:
        header = orjson.loads(lines[0])
        if not isinstance(header, dict):
            raise ValueError("no header")
        names = {p.name for p in PROJECTORS.all()}
        rows: dict[str, list[dict[str, Any]]] = {}
        tail: list[Event] = []
        for line in lines[1:]:
            if not line:
                continue
            item = orjson.loads(line)
            if "e" in item:
                e = item["e"]
                tail.append(Event(e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], e[8], orjson.loads(e[9]), e[10],
                                  e[11], e[12]))
            else:
                if item["p"] not in names or not isinstance(item["r"], dict) or not isinstance(item["r"]["id"], str):
                    raise ValueError(f"a row of an unknown projection {str(item['p'])[:40]}")
                rows.setdefault(item["p"], []).append(item["r"])
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise SnapshotRefused(f"the snapshot is not in a form this station reads ({error})") from None
    check_fits(header, meta)
    return Unpacked(header, rows, tail, digest, body)


def check_fits(header: dict[str, Any], meta: dict[str, Any]) -> None:
    if header.get("format") != FORMAT:
        raise SnapshotRefused(f"the snapshot is in format {str(header.get('format'))[:40]}, "
                              f"this station reads {FORMAT}")
    for name in ("plant_id", "seq"):
        if header.get(name) != meta.get(name):
            raise SnapshotRefused(f"the snapshot's {name} ({header.get(name)}) is not the one announced "
                                  f"({meta.get(name)})")
    if header.get("schema") != migrate.head_revision():
        raise SnapshotRefused(f"the snapshot was made for database schema {str(header.get('schema'))[:40]}, this "
                              f"station has {migrate.head_revision()}: install the same jitdesk version on both")
    if header.get("folded_kinds") != PROJECTORS.fingerprint():
        raise SnapshotRefused("the snapshot was made by other folds (projector versions or kinds) than this "
                              "station's: install the same jitdesk version on server and station")
    if not isinstance(header.get("covered"), dict) or not isinstance(header.get("seq"), int):
        raise SnapshotRefused("the snapshot does not say which events it holds")


def _gunzip(body: bytes) -> bytes:
    out = bytearray()
    reader = zlib.decompressobj(wbits=31)
    data = body
    while data:
        out += reader.decompress(data, MAX_UNPACKED + 1 - len(out))
        if len(out) > MAX_UNPACKED:
            raise OSError("it unpacks to more than 2 GiB")
        data = reader.unconsumed_tail
    if not reader.eof:
        raise EOFError("it ends too early")
    return bytes(out)


class SnapshotRefused(BadInput):
    """This station will not install a snapshot (damaged, or made for another version): the reason."""

"""Sync: the wire protocol, the station's async client, and the server (FastAPI app, storage, hub relay).

Decisions taken here (DESIGN sections 3 and 4 leave them open):

- Unknown kinds. The server validates every envelope (`event_from_dict`) and validates payloads
  only of kinds and schema versions it knows (`wire.parse_event`); an event of a kind it does not
  know is stored and relayed unchanged, so andon, takt or any later kind needs no protocol or
  server change. A station keeps pulled events it cannot fold in its log, unfolded, until it is
  upgraded (`wire.foldable`). Kinds named `master.*` count as master data even when unknown.
- Identity. The token names (plant, device name, role). The station's random device_id is bound to
  the token's (plant, device name) the first time that token writes for it (`devices` table);
  afterwards only tokens of that device name may write that device_id, so a token cannot forge
  another device's events. A re-issued token for the same device name keeps working. Hub tokens
  relay any device of their plant. The plant comes from the token: an event for another plant is
  refused, and a station adopts its token's plant on first contact (events it wrote before it
  joined a plant, which never left it, take that plant before their first push).
- Rights. Station tokens may not write master data; admin and hub tokens may. Reads and writes are
  always of the token's own plant. Clients cannot send server_seq or received_at.
- Order. server_seq follows commit order (see `server.store`); it is a pull cursor only. Every
  copy folds by (hlc, device_id, device_seq), so master data too is "latest stamp wins", offline or
  not (the server's order does not override the fold).
- Resync. A server answers 409 + resync for a cursor ahead of it (restored database), older than
  it keeps, or from another server id (replaced database); a station also resyncs when the server's
  id or protocol changes. Resync pulls from 0 and keeps the outbox; after a server change the
  station's own events go up again (the server answers duplicate for those it has).
- Quarantine. A refused event stays in the station's log, flagged QUARANTINED with the reason
  (`sync_quarantine`), never blocks the outbox, and can be sent again (`services.quarantine.retry`).
  A pulled item that is not a readable envelope (or reuses another event's device number) is never
  skipped: it is kept with its text and the reason (`sync_unreadable` on a station, `relay_unreadable`
  on a hub) in the transaction that moves the pull cursor past it.
- Faults. Every httpx error and every answer not in the protocol's form is a KnownError in plain
  words (`remote`); the client and the relay back off and retry. Anything else is a bug: the task
  ends, its `Supervisor` (jitdesk.runtime.supervise) logs it once and restarts it with backoff, and
  the station's sync pill and the server's `/v1/health` show the task's state, never a stale online.
"""

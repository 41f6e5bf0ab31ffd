"""Who this database is: its device id, plant and station, and the local clock/sequence state."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from jitdesk.storage.projections import raw
from jitdesk.storage.schema import DeviceState, LocalSetting, table

_SETTINGS = table(LocalSetting)
_DEVICES = table(DeviceState)


def get_setting(session: Session, key: str) -> str | None:
    return session.execute(select(_SETTINGS.c.value).where(_SETTINGS.c.key == key)).scalar_one_or_none()


def set_setting(session: Session, key: str, value: str) -> None:
    stmt = sqlite_insert(_SETTINGS).values(key=key, value=value)
    session.execute(stmt.on_conflict_do_update(index_elements=[_SETTINGS.c.key], set_={"value": value}))


_LOCAL_STATE = (
    "SELECT (SELECT value FROM local_settings WHERE key = 'plant_id'),"
    " (SELECT last_seq FROM device_state WHERE device_id = :device),"
    " (SELECT hlc FROM device_state WHERE device_id = :device),"
    " (SELECT max(hlc) FROM device_state)"
)
_UPDATE_DEVICE = "UPDATE device_state SET last_seq = :last_seq, hlc = :hlc WHERE device_id = :device"


def local_state(session: Session, device_id: str) -> tuple[str | None, int, int, int]:
    """(plant id, last seq, last hlc of this device, highest hlc of any device) in one round trip."""
    row = raw(session).execute(_LOCAL_STATE, {"device": device_id}).fetchone()
    assert row is not None
    return row[0], row[1] or 0, row[2] or 0, row[3] or 0


def store_device_state(session: Session, device_id: str, last_seq: int, hlc: int) -> None:
    values = {"device": device_id, "last_seq": last_seq, "hlc": hlc}
    if not raw(session).execute(_UPDATE_DEVICE, values).rowcount:
        session.execute(_DEVICES.insert().values(device_id=device_id, last_seq=last_seq, hlc=hlc))


def delete_setting(session: Session, key: str) -> None:
    session.execute(_SETTINGS.delete().where(_SETTINGS.c.key == key))

"""Which station this device acts as: stored in local_settings ("station_id"), chosen in Admin.

`current` answers the header of the main window (plant, line and station names); `assign` is the
Admin use case (admins only); `assign_code` applies a station pinned by the settings file.
"""

from __future__ import annotations

from dataclasses import dataclass

from jitdesk.domain.auth import Role
from jitdesk.domain.errors import BadInput, NotFound
from jitdesk.domain.fold import PROJECTORS
from jitdesk.services.access import require_role
from jitdesk.services.changes import Changes
from jitdesk.services.uow import Tx, transaction
from jitdesk.storage import identity, projections
from jitdesk.storage.database import PLANT_ID, STATION_ID, Database

# The pseudo-projection named in Changes when this device's station changes.
PROJECTION = "local_settings"


@dataclass(frozen=True)
class StationIdentity:
    plant_name: str = ""
    plant_code: str = ""
    station_id: str | None = None
    station_code: str = ""
    station_name: str = ""
    station_role: str = ""
    line_name: str = ""
    timezone: str = ""  # the plant's IANA time zone; "" when no plant is known yet

    @property
    def title(self) -> str:
        """What the header shows, e.g. 'L1-S2 Shaft and gears'."""
        if self.station_id is None:
            return "No station chosen"
        return f"{self.station_code}  {self.station_name}"


def current(db: Database) -> StationIdentity:
    with db.reading() as session:
        plant_id = identity.get_setting(session, PLANT_ID)
        station_id = identity.get_setting(session, STATION_ID)
        plant = projections.load(session, PROJECTORS.get("plant"), plant_id) if plant_id else None
        station = projections.load(session, PROJECTORS.get("station"), station_id) if station_id else None
        line = None
        if station is not None and station[0].line_id:
            line = projections.load(session, PROJECTORS.get("line"), station[0].line_id)
    out = StationIdentity()
    if plant is not None:
        out = StationIdentity(plant_name=plant[0].name, plant_code=plant[0].code, timezone=plant[0].timezone)
    if station is None:
        return out
    s = station[0]
    return StationIdentity(
        plant_name=out.plant_name, plant_code=out.plant_code, station_id=station_id,
        station_code=s.code, station_name=s.name, station_role=s.role,
        line_name="" if line is None else line[0].name, timezone=out.timezone,
    )


def station_id(db: Database) -> str | None:
    return db.setting(STATION_ID)


def assign(db: Database, station: str, *, actor: str | None) -> Changes:
    """Make this device act as `station` (an id); admins only."""
    with transaction(db) as tx:
        require_role(tx, actor, Role.ADMIN)
        assign_in(tx, station)
    return tx.changes


def assign_in(tx: Tx, station: str) -> None:
    found = projections.load(tx.session, PROJECTORS.get("station"), station)
    if found is None:
        raise NotFound(f"Station {station} does not exist.")
    if not found[0].active:
        raise BadInput(f"Station {found[0].code} is deactivated; activate it first.")
    identity.set_setting(tx.session, STATION_ID, station)
    tx.touch(PROJECTION, STATION_ID)


def assign_code(db: Database, code: str) -> Changes:
    """Apply the station pinned by the settings file ([station] code); the device's owner decided it."""
    with transaction(db) as tx:
        rows = projections.all_states(tx.session, PROJECTORS.get("station"))
        matches = [sid for sid, s in rows.items() if s.code == code.strip()]
        if not matches:
            raise NotFound(f"The settings file names station '{code}', which does not exist here.")
        if identity.get_setting(tx.session, STATION_ID) != matches[0]:
            assign_in(tx, matches[0])
    return tx.changes

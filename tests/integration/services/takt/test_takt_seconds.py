"""`current_takt_seconds`: the line's takt now, for the andon escalation in takts."""

from __future__ import annotations

from jitdesk.services.takt.demand import set_demand
from jitdesk.services.takt.status import current_takt_seconds
from tests.helpers.takt_plant import DAY, TaktPlant, at


def test_the_takt_now_follows_shift_and_demand(takt_plant: TaktPlant) -> None:
    line = takt_plant.lines["L1"]
    with takt_plant.db.reading() as session:
        assert current_takt_seconds(session, line, at(8)) == 60.0  # 7.5 h / 450
        assert current_takt_seconds(session, line, at(15)) is None  # Late shift: no demand
        assert current_takt_seconds(session, line, at(23)) is None  # no shift
    set_demand(takt_plant.db, line, DAY, 960, shift="Late", actor=None)
    with takt_plant.db.reading() as session:
        assert current_takt_seconds(session, line, at(15)) == 30.0  # 8 h / 960

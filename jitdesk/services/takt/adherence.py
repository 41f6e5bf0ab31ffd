"""Schedule adherence per line and shift, and its CSV export.

For each shift with demand that has begun: the parts planned by its end (or by now while it runs),
the parts made in it, adherence = min(made, planned) / planned (over-production does not make up for a
shift that fell short elsewhere) and efficiency = made / planned. Times in the plant's time zone.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from jitdesk.domain.takt.cycle import parts_between
from jitdesk.domain.takt.plan import plans_for_day
from jitdesk.domain.takt.records import line_calendar
from jitdesk.services.takt.status import line_by_code
from jitdesk.storage import takt_repo
from jitdesk.storage.database import Database

COLUMNS = ("line", "date", "shift", "start", "end", "demand", "planned", "made", "adherence_percent",
           "efficiency_percent")


@dataclass(frozen=True)
class AdherenceRow:
    line: str
    day: date
    shift: str
    start: datetime
    end: datetime
    demand: int
    planned: int
    made: int

    @property
    def adherence(self) -> float | None:
        return None if self.planned <= 0 else min(self.made, self.planned) / self.planned

    @property
    def efficiency(self) -> float | None:
        return None if self.planned <= 0 else self.made / self.planned


def adherence(db: Database, first: date, last: date, *, now_ms: int,
              line_code: str | None = None) -> list[AdherenceRow]:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    out: list[AdherenceRow] = []
    with db.reading() as session:
        zone = takt_repo.plant_timezone(session)
        records = takt_repo.calendars(session)
        demands = takt_repo.demands(session, [d.isoformat() for d in days])
        lines = [(lid, line.code) for lid, line in takt_repo.lines(session) if line.active]
        if line_code is not None:
            wanted = line_by_code(session, line_code)[0]
            lines = [(lid, code) for lid, code in lines if lid == wanted]
        for line_id, code in lines:
            calendar = line_calendar(records, line_id, zone)
            for day in days:
                for plan in plans_for_day(calendar, line_id, day, demands):
                    shift = plan.shift
                    if plan.demand <= 0 or shift.start_ms > now_ms:
                        continue
                    rows = takt_repo.minute_rows(session, shift.start_ms, shift.end_ms, line_id)
                    made = parts_between(rows, shift.start_ms, min(now_ms, shift.end_ms))
                    planned = math.floor(plan.planned_by(now_ms) + 1e-9)
                    out.append(AdherenceRow(code, day, shift.name,
                                            datetime.fromtimestamp(shift.start_ms / 1000, calendar.zone),
                                            datetime.fromtimestamp(shift.end_ms / 1000, calendar.zone),
                                            plan.demand, planned, made))
    return sorted(out, key=lambda r: (r.line, r.start))


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def to_csv(rows: list[AdherenceRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow((r.line, r.day.isoformat(), r.shift, r.start.isoformat(timespec="minutes"),
                         r.end.isoformat(timespec="minutes"), r.demand, r.planned, r.made, _pct(r.adherence),
                         _pct(r.efficiency)))
    return buffer.getvalue()

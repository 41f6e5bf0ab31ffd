"""Takt domain: shift calendars in the plant's time zone, demand and takt, cycles and their counts,
planned versus actual per line and shift.

Importing this package registers the `takt.cycle.completed` event kind, the `takt_cycle` projector and
the derived `takt_minutes` counts (demand is master data: `master.demand.upserted`).
"""

from jitdesk.domain.takt import calendar, cycle, link, plan, records, status

__all__ = ["calendar", "cycle", "link", "plan", "records", "status"]

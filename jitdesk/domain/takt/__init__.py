"""Takt domain: shift calendars in the plant's time zone, demand and takt, cycles and their counts,
planned versus actual per line and shift.

Importing this package registers the takt event kinds, the `takt_cycle` and `demand` projectors and the
derived `takt_minutes` counts.
"""

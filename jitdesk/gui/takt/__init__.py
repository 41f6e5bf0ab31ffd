"""Takt screens: the station's cycle countdown (`station`) and the supervisor's takt board (`board`).

Self-contained on purpose: they read `services.takt.status` and tick with `domain.takt.status.at_time`,
so the database is read when cycles, demand or calendars change, not four times a second.
"""

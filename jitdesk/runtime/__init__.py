"""Qt-free runtime layer: the glue of a running station, between services and devices/sync/gui.

Nothing here imports Qt, the gui, sync or devices: those layers run their background work through it and read
its live state (running, restarting, stopped, and why) for the header pills and `/v1/health`.

- ``bus``: the change bus (``ChangeBus``): every ``Changes`` a service returned is published here once;
  the GUI adapts it to one Qt signal, other parts (sync push, the badge list) subscribe directly.
- ``scan_router``: ``ScanRouter``, the one place that decides what a scanned code is for.
- ``scan_routes``: the routes a station has today: kanban cards, sign-in badges, and the plain answer
  (written to the scan log) for anything else.
- ``devices``: ``DeviceManager``, floor devices (the serial scanner now) run under the supervisor.
- ``station``: ``Runtime``, one object holding the above for a station (the app context owns one).
- ``crash_trace``: ``faulthandler`` into the log dir, and the report of the last run's native crash.
- ``supervise``: ``Supervisor`` for background tasks (restarts with backoff, live state for the header).
"""

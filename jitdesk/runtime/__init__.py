"""Qt-free runtime layer: long-lived asyncio tasks under supervision, between services and gui/sync/devices.

Nothing here imports Qt, the gui, sync or devices: those layers run their background work through it and read
its live state (running, restarting, stopped, and why) for the header pills and `/v1/health`.
"""

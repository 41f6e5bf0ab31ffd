"""The event kinds the sync code knows: those of `jitdesk.domain.catalog`, the one list of them.

The server validates payloads of the kinds it knows; events of kinds it does not know (from a newer
station) are still stored and relayed (see `jitdesk.sync.wire`), so a new kind never needs a
protocol change.
"""

from __future__ import annotations


def register_all() -> None:
    import jitdesk.domain.catalog  # noqa: F401  (importing registers every kind)

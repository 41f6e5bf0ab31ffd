"""The one list of domain modules whose event kinds the sync code registers.

The server validates payloads of the kinds it knows; a module listed here that is not written yet
(andon, takt) is skipped, and events of kinds the server does not know are still stored and relayed
(see `jitdesk.sync.wire`), so a new kind never needs a protocol change.
"""

from __future__ import annotations

import importlib

KIND_MODULES = ("jitdesk.domain.master", "jitdesk.domain.kanban", "jitdesk.domain.andon", "jitdesk.domain.takt")

_loaded = False


def register_all() -> None:
    global _loaded
    if _loaded:
        return
    for name in KIND_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    _loaded = True

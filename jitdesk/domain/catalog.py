"""The one list of modules that register event kinds and projectors; import this to get them all."""

from jitdesk.domain import (
    kanban,  # noqa: F401
    master,  # noqa: F401
    takt,  # noqa: F401
)

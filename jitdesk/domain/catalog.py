"""The one list of modules that register event kinds and projectors; import this to get them all."""

from jitdesk.domain import (
    andon,  # noqa: F401
    kanban,  # noqa: F401
    master,  # noqa: F401
    takt,  # noqa: F401
)

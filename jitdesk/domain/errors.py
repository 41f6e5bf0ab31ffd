"""Errors whose cause is known: they become plain words in the UI or CLI, never a crash dialog."""


class KnownError(Exception):
    """The user's input or the environment is at fault; the message is shown as is."""


class BadInput(KnownError):
    """Something a person, a scanner or a peer sent does not make sense."""


class PayloadError(BadInput):
    """An event payload does not fit its kind's schema; the message names the field."""

    def __init__(self, kind: str, field: str, problem: str) -> None:
        super().__init__(f"{kind}: field '{field}' {problem}")
        self.kind = kind
        self.field = field
        self.problem = problem


class NotFound(BadInput):
    """A thing named by id, code or badge does not exist."""


class NotAllowed(KnownError):
    """The signed-in user (or nobody) may not do this."""


class StorageProblem(KnownError):
    """The database file is unreadable, from a newer version, or the disk is full."""

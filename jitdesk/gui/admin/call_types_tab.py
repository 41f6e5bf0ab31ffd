"""Admin tab "Andon calls": the call types a station's andon buttons raise, in a table and a form.

Name, colour, symbol, sound, default severity, the role that responds and whether a call of the type
stops the line; the code is printed on call cards and is the board's short word. A save goes through
the master-data service as one `master.call_type.upserted` event, like every master kind, and keeps the
type's escalation (edited on its own tab) as it was. Every problem is said in plain words before
anything is sent (`check_call_type`, which the service asks again).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QWidget

from jitdesk.domain.andon.call_type_rules import CODE_MAX, check_call_type
from jitdesk.domain.auth import ROLE_NAMES
from jitdesk.domain.errors import BadInput, KnownError
from jitdesk.domain.master import SEVERITIES, CallType
from jitdesk.gui.admin.editor import MasterTab
from jitdesk.gui.admin.fields import CheckEditor, ChoiceEditor, ColorEditor, TextEditor
from jitdesk.gui.admin.kinds import ACTIVE, STATUS, Column, FieldSpec, KindSpec
from jitdesk.gui.context import AppContext
from jitdesk.resources import resource
from jitdesk.services import master

ESCALATION_SOUND = "escalation"  # the alarm for a call going up a level, not a call type's own sound


def sound_names() -> tuple[str, ...]:
    """The call sounds shipped (resources/sounds/andon_<name>.wav), chime first."""
    names = sorted(p.stem.removeprefix("andon_") for p in resource("sounds").glob("andon_*.wav"))
    names = [n for n in names if n != ESCALATION_SOUND]
    return tuple(sorted(names, key=lambda n: (n != "chime", n)))


def _look(record: CallType, _lines: object) -> str:
    return f"{record.symbol} {record.color}"


def _who(record: CallType, _lines: object) -> str:
    return record.responder_role + (" · ⛔ stops the line" if record.stops_line else "")


class DefaultChoice(ChoiceEditor):
    """A choice whose empty form shows `default` (a new call type is medium, answered by a supervisor)."""

    def __init__(self, label: str, choices: tuple[str, ...], default: str) -> None:
        super().__init__(label, choices)
        self.default = default
        self.set(None)

    def set(self, value: object) -> None:
        super().set(self.default if value is None else value)


CALL_TYPES = KindSpec(
    "call_types", "Andon calls", CallType,
    (Column("Code", lambda r, _l: r.code), Column("Name", lambda r, _l: r.name), Column("Look", _look),
     Column("Severity", lambda r, _l: r.severity), Column("Responds", _who), STATUS),
    (FieldSpec("code", lambda: TextEditor("Code", f"e.g. MAINT (up to {CODE_MAX}: on call cards and tiles)")),
     FieldSpec("name", lambda: TextEditor("Name", "e.g. Maintenance")),
     FieldSpec("color", lambda: ColorEditor("Colour")),
     FieldSpec("symbol", lambda: TextEditor("Symbol", "one shape: ▲ ◆ ✚ ✖ ?", default="⚑")),
     FieldSpec("sound", lambda: ChoiceEditor("Sound", sound_names())),
     FieldSpec("severity", lambda: DefaultChoice("Default severity", SEVERITIES, "medium")),
     FieldSpec("responder_role", lambda: DefaultChoice("Responding role", ROLE_NAMES, "supervisor")),
     FieldSpec("stops_line", lambda: CheckEditor("Line stop", "A call of this type stops the line", default=False)),
     FieldSpec("needs_ack", lambda: CheckEditor("Acknowledge", "Needs acknowledging")),
     ACTIVE),
)


class CallTypesTab(MasterTab):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, CALL_TYPES, parent)

    def build(self) -> CallType:
        """The call type the form describes; an edited type keeps the fields this form does not show."""
        values = self.values()
        current = self.record(self.current_id)
        record = replace(current, **values) if isinstance(current, CallType) else CallType(**values)
        problem = check_call_type(record)
        if problem:
            raise BadInput(f"{self._field_of(problem)}: {problem}.")
        return record

    @staticmethod
    def _field_of(problem: str) -> str:
        """The form's label for the field a problem names ("the colour ..." -> "Colour")."""
        for name, label in (("code", "Code"), ("name", "Name"), ("colour", "Colour"), ("symbol", "Symbol"),
                            ("sound", "Sound"), ("severity", "Default severity"),
                            ("responding role", "Responding role")):
            if problem.startswith(f"the {name}"):
                return label
        return "Call type"

    def save(self) -> None:
        self.message.clear_message()
        try:
            record = self.build()
        except KnownError as error:
            self.message.problem(str(error))
            return
        self.ctx.submit(master.save, record, actor=self.ctx.actor, entity_id=self.current_id,
                        on_done=self._saved, on_error=self.message.problem)

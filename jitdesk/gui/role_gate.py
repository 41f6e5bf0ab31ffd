"""Say what an action needs before the person starts it, not after.

`RoleGate(ctx, button, role, what)` keeps the button's words honest: while nobody with `role` is
signed in it reads "Print cards… · needs admin: sign in" with a tooltip saying why. A click then opens the
sign-in dialog with the reason on top ("Printing cards needs an admin"), and once someone with the
role has signed in the action goes on by itself. A plant with no admin yet is being set up
(`access.anyone_may`, asked at the click): then the action goes on, as the services allow it too.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton

from jitdesk.domain.auth import Role
from jitdesk.gui.context import AppContext
from jitdesk.services import access


class RoleGate:
    def __init__(self, ctx: AppContext, button: QPushButton, role: Role, what: str,
                 action: Callable[[], object]) -> None:
        self.ctx = ctx
        self.button = button
        self.role = role
        self.what = what  # "Printing cards"
        self.action = action
        self.text = button.text()
        self.open = False  # a plant being set up: no admin yet
        self.waiting = False
        button.clicked.connect(self.click)
        ctx.user_changed.connect(self._user_changed)
        self.show()

    @property
    def needed(self) -> str:
        """"an admin", "a supervisor"."""
        label = self.role.label
        return f"{'an' if label[:1] in 'aeiou' else 'a'} {label}"

    @property
    def allowed(self) -> bool:
        return self.open or self.ctx.has_role(self.role)

    def show(self) -> None:
        if self.allowed:
            self.button.setText(self.text)
            self.button.setToolTip("")
        else:
            self.button.setText(f"{self.text} · needs {self.role.label}: sign in")
            self.button.setToolTip(f"{self.what} needs {self.needed} or higher: sign in first.")

    def click(self) -> None:
        if self.allowed:
            self.action()
            return
        # Asked at the click, not before: a plant with no admin yet lets anyone go on.
        self.ctx.submit(access.anyone_may, on_done=self._checked)

    def _checked(self, anyone: bool) -> None:
        self.open = anyone
        self.show()
        if self.allowed:
            self.action()
            return
        opener = getattr(self.button.window(), "open_sign_in", None)
        if opener is None:  # not in a main window (a test, an embedding): the service says no in words
            self.action()
            return
        self.waiting = True
        dialog = opener()
        dialog.set_reason(f"{self.what} needs {self.needed} or higher: sign in to go on.")
        dialog.rejected.connect(self._gave_up)

    def _gave_up(self) -> None:
        self.waiting = False

    def _user_changed(self, _user: object) -> None:
        self.show()
        if self.waiting and self.allowed:
            self.waiting = False
            self.action()
        elif self.waiting and self.ctx.user is not None:
            self.waiting = False
            self.ctx.notify(f"{self.what} needs {self.needed} or higher; {self.ctx.user.name} is "
                            f"{self.ctx.user.role.label}.", "problem")

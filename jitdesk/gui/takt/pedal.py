"""Start the `[takt] pedal_port` foot pedal or line sensor, if one is set: each press completes a cycle
of `[takt] pedal_line` (a line code), or of this station's line when none is named."""

from __future__ import annotations

from jitdesk.devices.pedal import PEDAL, PedalDevice
from jitdesk.gui.context import AppContext
from jitdesk.services.takt.status import StationLines, station_lines


def install_pedal(ctx: AppContext) -> None:
    port = ctx.settings.takt.pedal_port
    if not port:
        return

    def start(found: StationLines) -> None:
        wanted = ctx.settings.takt.pedal_line.strip().lower()
        line = next((lid for lid, code, _name in found.lines if code.lower() == wanted), None) if wanted \
            else found.own
        if line is None:
            ctx.notify(f"The pedal on {port} has no line: set [takt] pedal_line to a line code, or give this "
                       "station a line in Admin.")
            return
        ctx.runtime.devices.start(PEDAL, PedalDevice(port, lambda: ctx.runtime.takt.complete(line, "serial")),
                                  message=f"pedal connecting: {port}")

    ctx.submit(station_lines, on_done=start)

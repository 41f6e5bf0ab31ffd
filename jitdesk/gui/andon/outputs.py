"""The station's andon devices from the settings, started once by the app: the serial andon button box
(its call codes go through the scan router like a scanned call card), the serial stack light following
this station's andon state, and MQTT publishing of call and light state. Each is optional; each stops
with the app. None of them can slow the screen: they read on the DB worker and write on their own threads.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from jitdesk.devices.framing import ScannerConfig
from jitdesk.devices.mqtt_out import MqttConfig, MqttPublisher
from jitdesk.devices.scanners import SerialScannerDevice
from jitdesk.devices.stack_light import SerialStackLight
from jitdesk.gui.context import AppContext
from jitdesk.runtime.andon_lights import LightDriver
from jitdesk.runtime.andon_mqtt import AndonMqtt
from jitdesk.runtime.devices import when_running

log = logging.getLogger("jitdesk.andon")

BUTTON = "andon_button"


@dataclass
class AndonOutputs:
    closers: list[Any] = field(default_factory=list)

    def stop(self) -> None:
        for close in reversed(self.closers):
            close()
        self.closers.clear()


def install_andon_outputs(ctx: AppContext) -> AndonOutputs:
    settings = ctx.settings
    out = AndonOutputs()
    if settings.andon.button_port:
        device = SerialScannerDevice(ScannerConfig(port=settings.andon.button_port, terminator=b"\n"), ctx.router.route,
                                     ctx.runtime.kanban.record_unreadable)
        ctx.runtime.devices.start(BUTTON, device, message=f"andon button connecting: {settings.andon.button_port}")
    if settings.andon.light_port:
        light = SerialStackLight(settings.andon.light_port)
        light.start()
        driver = LightDriver(ctx.hub, ctx.bus, light)
        when_running(_starting(driver))
        out.closers.append(driver.close)
    if settings.mqtt.host:
        m = settings.mqtt
        publisher = MqttPublisher(MqttConfig(m.host, m.port, m.prefix, username=m.username, password=m.password))
        publisher.start()
        bridge = AndonMqtt(ctx.hub, ctx.bus, publisher)
        when_running(_starting(bridge))
        out.closers.extend([publisher.close, bridge.close])
        log.info("andon state goes to MQTT %s:%s under %s/", m.host, m.port, m.prefix)
    return out


def _starting(part: LightDriver | AndonMqtt) -> Any:
    def start() -> None:
        part.start()
    return start

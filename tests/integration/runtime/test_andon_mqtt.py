"""Andon state to the real Mosquitto on 127.0.0.1:1883: a raised call and its station's light arrive as
retained QoS 1 topics under the prefix; a broker that is not there never blocks publishing."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from typing import Any

import paho.mqtt.client as mqtt
import pytest

from jitdesk.devices.mqtt_out import MqttConfig, MqttPublisher
from jitdesk.runtime.andon_mqtt import AndonMqtt
from jitdesk.runtime.bus import ChangeBus
from jitdesk.services.andon.calls import acknowledge, raise_call
from jitdesk.services.hub import ServiceHub
from jitdesk.storage.database import Database
from tests.helpers.andon_fixtures import AndonPlant

HOST, PORT = "127.0.0.1", 1883
WAIT_S = 10.0


def _broker_up() -> bool:
    try:
        socket.create_connection((HOST, PORT), timeout=1).close()
    except OSError:
        return False
    return True


needs_broker = pytest.mark.skipif(not _broker_up(), reason="no MQTT broker (Mosquitto) on 127.0.0.1:1883")


class Listener:
    """A separate client subscribed to the prefix, as a plant system would be."""

    def __init__(self, prefix: str) -> None:
        self.messages: dict[str, tuple[dict[str, Any], bool, int]] = {}
        self.lock = threading.Lock()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self.client.on_message = self._on_message
        self.client.connect(HOST, PORT)
        self.client.subscribe(f"{prefix}/#", qos=1)
        self.client.loop_start()

    def _on_message(self, _c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
        with self.lock:
            self.messages[msg.topic] = (json.loads(msg.payload), bool(msg.retain), msg.qos)

    def wait(self, topic: str, check: Any = lambda _p: True) -> dict[str, Any]:
        deadline = time.monotonic() + WAIT_S
        while True:
            with self.lock:
                found = self.messages.get(topic)
            if found is not None and check(found[0]):
                return found[0]
            assert time.monotonic() < deadline, f"not yet on {topic}: {found}"
            time.sleep(0.02)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


@needs_broker
def test_call_and_light_state_reach_the_broker_retained(andon_plant: AndonPlant) -> None:
    db = andon_plant.db
    assert isinstance(db, Database)
    prefix = f"jitdesk-test-{uuid.uuid4().hex[:8]}"
    publisher = MqttPublisher(MqttConfig(HOST, PORT, prefix))
    publisher.start()
    hub = ServiceHub(db)
    listener = Listener(prefix)
    call_ids: list[str] = []

    async def scenario() -> None:
        bus = ChangeBus()
        bridge = AndonMqtt(hub, bus, publisher)
        await bridge.start()  # every station's light: L1-S2 is clear
        outcome = await hub.run(raise_call, andon_plant.types["MAINT"], source="button")
        assert outcome.call_id is not None
        call_ids.append(outcome.call_id)
        bus.publish(outcome.changes)
        await asyncio.sleep(0.05)
        claimed = await hub.run(acknowledge, outcome.call_id, actor=andon_plant.users["B-1005"])
        bus.publish(claimed.changes)
        await asyncio.sleep(0.05)  # the bus hands the change to the loop with call_soon_threadsafe
        while bridge.pending:
            await asyncio.sleep(0.01)
        bridge.close()

    try:
        asyncio.run(scenario())
        call = listener.wait(f"{prefix}/call/{call_ids[0]}", lambda p: p["status"] == "acknowledged")
        assert (call["station"], call["type"], call["claimed_by"]) == ("L1-S2", "MAINT", "Samir Haddad")
        light = listener.wait(f"{prefix}/station/L1-S2/light", lambda p: p["colour"] == "red")
        assert (light["flash"], light["buzzer"]) == (False, False)
        assert listener.wait(f"{prefix}/station/SM-N/light")["colour"] == "green"
        # retained: a subscriber that comes later gets the last state at once, QoS 1
        late = Listener(prefix)
        try:
            again = late.wait(f"{prefix}/call/{call_ids[0]}")
            assert again["status"] == "acknowledged"
            with late.lock:
                _payload, retained, qos = late.messages[f"{prefix}/call/{call_ids[0]}"]
            assert retained and qos == 1
        finally:
            late.close()
    finally:
        listener.close()
        publisher.close()
        hub.worker.shutdown()
        cleanup = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)  # leave the broker as we found it
        cleanup.connect(HOST, PORT)
        cleanup.loop_start()
        for topic in [*listener.messages]:
            cleanup.publish(topic, b"", qos=1, retain=True).wait_for_publish(2)
        cleanup.loop_stop()
        cleanup.disconnect()


def test_a_broker_that_is_not_there_never_blocks_the_caller() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    publisher = MqttPublisher(MqttConfig(HOST, port, "nowhere"), queue_size=10)
    publisher.start()
    try:
        for i in range(50):
            publisher.publish(publisher.topic("call", str(i)), {"i": i})  # returns at once, whatever the broker
        assert publisher.connected is False
        assert publisher.dropped + publisher.sent + publisher._queue.qsize() >= 50 - 1
    finally:
        publisher.close()

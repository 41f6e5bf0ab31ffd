"""Publish andon state to the plant's MQTT broker (paho-mqtt), so plant systems and IoT lights can follow.

`MqttPublisher.publish(topic, payload)` never blocks and never raises: the message goes into a bounded
queue (the oldest is dropped, and counted, when a broker has been away long enough to fill it) and a
daemon thread hands it to paho, which keeps the connection (reconnecting with backoff) and delivers
with QoS 1 and the retain flag, so a subscriber that joins later gets every topic's last state at once.
A broker that is down never slows the station: nothing on the caller's thread touches the network.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt

log = logging.getLogger("jitdesk.mqtt")

QUEUE_SIZE = 1000


@dataclass(frozen=True)
class MqttConfig:
    host: str
    port: int = 1883
    prefix: str = "jitdesk"
    client_id: str = ""
    username: str = ""
    password: str = ""
    keepalive_s: int = 30


class MqttPublisher:
    def __init__(self, config: MqttConfig, *, queue_size: int = QUEUE_SIZE) -> None:
        self.config = config
        self._queue: queue.Queue[tuple[str, bytes] | None] = queue.Queue(queue_size)
        self.dropped = 0
        self.sent = 0
        self.connected = False
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=config.client_id or "",
                                   clean_session=True)
        if config.username:
            self._client.username_pw_set(config.username, config.password or None)
        self._client.max_queued_messages_set(queue_size)
        self._client.reconnect_delay_set(1, 30)
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = self._on_disconnect

    def topic(self, *parts: str) -> str:
        return "/".join([self.config.prefix.strip("/"), *parts])

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="mqtt publisher", daemon=True)
            self._thread.start()

    def publish(self, topic: str, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        while True:
            try:
                self._queue.put_nowait((topic, data))
                return
            except queue.Full:
                try:
                    self._queue.get_nowait()
                    self.dropped += 1
                except queue.Empty:
                    pass

    def close(self, timeout_s: float = 3.0) -> None:
        """Send what is queued (as far as the broker lets us within the time) and disconnect."""
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
            self._thread = None

    # -- publisher thread -------------------------------------------------------------------------
    def _on_connect(self, _client: Any, _userdata: Any, _flags: Any, reason: Any, _props: Any = None) -> None:
        self.connected = not getattr(reason, "is_failure", False)
        log.info("mqtt broker %s:%s: %s", self.config.host, self.config.port, reason)

    def _on_disconnect(self, _client: Any, _userdata: Any, _flags: Any, reason: Any, _props: Any = None) -> None:
        self.connected = False
        log.info("mqtt broker %s:%s gone: %s (reconnecting)", self.config.host, self.config.port, reason)

    def _run(self) -> None:
        client = self._client
        try:
            client.connect_async(self.config.host, self.config.port, self.config.keepalive_s)
        except (OSError, ValueError) as error:
            log.warning("mqtt: cannot use broker %s:%s: %s", self.config.host, self.config.port, error)
        client.loop_start()
        try:
            while True:
                try:
                    item = self._queue.get(timeout=0.2)
                except queue.Empty:
                    if self._stop.is_set():
                        break
                    continue
                if item is None:
                    break
                topic, data = item
                client.publish(topic, data, qos=1, retain=True)  # queued by paho while the broker is away
                self.sent += 1
        finally:
            client.disconnect()
            client.loop_stop()

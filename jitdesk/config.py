"""Settings from a TOML file in the user config dir: never a reason not to start.

A malformed file gives one message naming the line and column tomllib complained about, and the
app starts on defaults. A key with a wrong type or an out-of-range value is named, and that key
alone falls back to its default. Unknown keys are reported (a typo should not pass silently).

    [station]   code = "L1-S1"           # which station this device is (optional: Admin chooses)
                sign_out_idle_minutes    # shared stations: automatic sign-out (0: never)
    [scanner]   port, baud, terminator, prefix, suffix, min_length, double_scan_seconds,
                wedge_max_gap_ms, idle_ms
    [sync]      server_url, token
    [ui]        font_scale, fullscreen, start_view, screen_diagonal_inches, board_page_seconds
    [andon]     button_port, light_port, takt_seconds
    [mqtt]      host, port, prefix, username, password
    [takt]      pedal_port, pedal_line (the on-target window and the andon link are per line, in Admin)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class StationSettings:
    code: str = ""  # empty: the station chosen in Admin (stored in the database) is used
    sign_out_idle_minutes: float = 10.0  # shared station: sign out after this long unused; 0: never


@dataclass(frozen=True)
class ScannerSettings:
    port: str = ""  # serial port, e.g. /dev/ttyACM0 or COM3; empty: keyboard-wedge scanner only
    baud: int = 9600
    terminator: str = "\r"
    prefix: str = ""
    suffix: str = ""
    min_length: int = 4
    double_scan_seconds: float = 3.0
    wedge_max_gap_ms: float = 30.0  # keyboard-wedge: keys closer than this are a scanner's burst
    idle_ms: int = 300  # serial: a silence this long ends a partial frame (its bytes are dropped)


@dataclass(frozen=True)
class SyncSettings:
    server_url: str = ""  # empty: standalone
    token: str = ""


@dataclass(frozen=True)
class UiSettings:
    font_scale: float = 1.0
    fullscreen: bool = False
    start_view: str = "station"
    screen_diagonal_inches: float = 0.0  # the station's screen, for 15 mm touch targets; 0: as the screen reports
    board_page_seconds: float = 12.0  # a TV board turns to its next page after this long


@dataclass(frozen=True)
class AndonSettings:
    button_port: str = ""  # serial andon button box sending call codes (AC-MAINT); empty: none
    light_port: str = ""  # serial stack light (devices/stack_light.py protocol); empty: none
    takt_seconds: int = 0  # the line's takt for line-stopping escalation; 0: not known here


@dataclass(frozen=True)
class MqttSettings:
    host: str = ""  # empty: no MQTT
    port: int = 1883
    prefix: str = "jitdesk"
    username: str = ""
    password: str = ""


@dataclass(frozen=True)
class TaktSettings:
    pedal_port: str = ""  # serial foot pedal or line sensor (one line per press); empty: none
    pedal_line: str = ""  # the line code its presses complete (empty: this station's line)


@dataclass(frozen=True)
class Settings:
    station: StationSettings = field(default_factory=StationSettings)
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    andon: AndonSettings = field(default_factory=AndonSettings)
    mqtt: MqttSettings = field(default_factory=MqttSettings)
    takt: TaktSettings = field(default_factory=TaktSettings)


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    path: Path
    problems: tuple[str, ...] = ()  # plain-words messages for the user; empty when all is well


# Inclusive limits for numbers; a value outside is named and defaulted like a wrong type.
_RANGES: dict[str, tuple[float, float]] = {
    "mqtt.port": (1, 65535),
    "andon.takt_seconds": (0, 86_400),
    "station.sign_out_idle_minutes": (0, 24 * 60),
    "scanner.baud": (300, 4_000_000),
    "scanner.min_length": (1, 200),
    "scanner.double_scan_seconds": (0, 60),
    "scanner.wedge_max_gap_ms": (5, 200),
    "scanner.idle_ms": (20, 10_000),
    "ui.font_scale": (0.5, 4.0),
    "ui.screen_diagonal_inches": (0, 200),
    "ui.board_page_seconds": (2, 600),
}
_TYPE_WORDS = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_settings(path: Path) -> LoadedSettings:
    """Read `path`; a missing file is the defaults with no complaint."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSettings(Settings(), path)
    except (OSError, UnicodeDecodeError) as error:
        return LoadedSettings(Settings(), path, (f"Cannot read the settings file {path} ({error}); "
                                                  "using the default settings.",))
    return parse_settings(text, path)


def parse_settings(text: str, path: Path = Path("settings.toml")) -> LoadedSettings:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return LoadedSettings(Settings(), path, (_syntax_message(path, error),))
    problems: list[str] = []
    settings = Settings()
    for name, value in data.items():
        section = next((f for f in fields(Settings) if f.name == name), None)
        if section is None:
            problems.append(f"{path}: unknown section or key '{name}' is ignored.")
            continue
        if not isinstance(value, dict):
            problems.append(f"{path}: '{name}' should be a [{name}] section; using its defaults.")
            continue
        current = getattr(settings, name)
        settings = replace(settings, **{name: _section(path, name, current, value, problems)})
    return LoadedSettings(settings, path, tuple(problems))


def _syntax_message(path: Path, error: tomllib.TOMLDecodeError) -> str:
    detail = str(error)
    where = _WHERE.search(detail)
    # Python 3.11 keeps line/column only in the message text; newer ones also have attributes.
    line = getattr(error, "lineno", None) or (int(where.group(1)) if where else None)
    column = getattr(error, "colno", None) or (int(where.group(2)) if where else None)
    reason = _WHERE.sub("", detail).strip()
    spot = f"line {line}, column {column}" if line is not None else "somewhere"
    return (f"The settings file {path} has a mistake at {spot}: {reason}. "
            "jitdesk started with the default settings; fix that line and restart.")


def _section(path: Path, name: str, current: Any, values: dict[str, Any], problems: list[str]) -> Any:
    known = {f.name: f for f in fields(current)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        full = f"{name}.{key}"
        spec = known.get(key)
        if spec is None:
            problems.append(f"{path}: unknown setting '{full}' is ignored.")
            continue
        default = getattr(current, key)
        checked = _check(full, value, type(default))
        if isinstance(checked, _Problem):
            problems.append(f"{path}: setting '{full}' {checked.text}; using the default {default!r}.")
            continue
        changes[key] = checked
    return replace(current, **changes)


@dataclass(frozen=True)
class _Problem:
    text: str


def _check(full: str, value: Any, wanted: type) -> Any:
    ok = isinstance(value, wanted) and not (wanted is not bool and isinstance(value, bool))
    if wanted is float and isinstance(value, int) and not isinstance(value, bool):
        ok, value = True, float(value)
    if not ok:
        return _Problem(f"should be {_TYPE_WORDS[wanted]}, not {value!r}")
    limits = _RANGES.get(full)
    if limits is not None and not limits[0] <= value <= limits[1]:
        return _Problem(f"should be between {limits[0]:g} and {limits[1]:g}, not {value!r}")
    return value


DEFAULT_FILE = """\
# jitdesk settings. Every key is optional; delete a line to get its default back.

[station]
# code = "L1-S1"          # which station this device is; empty: chosen in Admin
# sign_out_idle_minutes = 10  # sign the person out after this long unused (0: never)

[scanner]
# port = "/dev/ttyACM0"   # serial scanner; empty: keyboard-wedge scanner
# baud = 9600
# terminator = "\\r"
# prefix = ""
# suffix = ""
# min_length = 4
# double_scan_seconds = 3.0
# wedge_max_gap_ms = 30   # keyboard scanner: faster keys than this are a scan, slower are typing
# idle_ms = 300           # serial scanner: a silence this long ends a half-sent scan

[sync]
# server_url = "https://hub.example:8443"
# token = ""

[ui]
# font_scale = 1.0        # 1.5 for a big screen read from far away
# fullscreen = false
# start_view = "station"
# screen_diagonal_inches = 0.0  # e.g. 15.6 for the station's touch screen: touch targets 15 mm on it; 0: ask the screen
# board_page_seconds = 12.0     # a TV board (kanban board mode) turns to its next page after this long

[andon]
# button_port = "/dev/ttyACM1"  # andon button box: sends AC-<type> lines
# light_port = "/dev/ttyUSB1"   # stack light: "L <COLOUR> <STEADY|FLASH> <BUZZ|QUIET>" lines
# takt_seconds = 0              # line takt for escalation in takts; 0: minutes only

[mqtt]
# host = "127.0.0.1"      # publish andon call and light state (retained, QoS 1); empty: off
# port = 1883
# prefix = "jitdesk"
# username = ""
# password = ""
"""

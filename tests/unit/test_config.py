"""Settings: defaults, a malformed file named by line, wrong types named and defaulted."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from jitdesk.config import DEFAULT_FILE, Settings, load_settings, parse_settings


def test_missing_file_is_defaults_without_complaint(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "nope.toml")
    assert loaded.settings == Settings() and loaded.problems == ()


def test_the_commented_template_is_valid_and_all_defaults() -> None:
    loaded = parse_settings(DEFAULT_FILE)
    assert loaded.settings == Settings() and loaded.problems == ()


def test_values_are_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        '[station]\ncode = "L1-S1"\n'
        '[scanner]\nport = "/dev/ttyACM0"\nbaud = 115200\nterminator = "\\r\\n"\nprefix = "]C1"\n'
        'suffix = "#"\nmin_length = 6\ndouble_scan_seconds = 2\n'
        '[sync]\nserver_url = "https://hub.local:8443"\ntoken = "abc"\n'
        '[ui]\nfont_scale = 1.5\nfullscreen = true\n',
        encoding="utf-8",
    )
    loaded = load_settings(path)
    assert loaded.problems == ()
    s = loaded.settings
    assert s.station.code == "L1-S1"
    assert (s.scanner.port, s.scanner.baud, s.scanner.terminator) == ("/dev/ttyACM0", 115200, "\r\n")
    assert (s.scanner.prefix, s.scanner.suffix, s.scanner.min_length) == ("]C1", "#", 6)
    assert s.scanner.double_scan_seconds == 2.0 and isinstance(s.scanner.double_scan_seconds, float)
    assert (s.sync.server_url, s.sync.token) == ("https://hub.local:8443", "abc")
    assert (s.ui.font_scale, s.ui.fullscreen) == (1.5, True)


def test_malformed_file_names_the_line_and_uses_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[scanner]\nbaud = 9600\nport = /dev/ttyUSB0\n', encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.settings == Settings()
    (message,) = loaded.problems
    assert "line 3" in message and str(path) in message and "default settings" in message


def test_wrong_type_is_named_and_only_that_key_defaulted() -> None:
    loaded = parse_settings('[scanner]\nbaud = "fast"\nmin_length = 8\n[ui]\nfullscreen = 1\nfont_scale = 9\n')
    s = loaded.settings
    assert s.scanner.baud == 9600 and s.scanner.min_length == 8
    assert s.ui.fullscreen is False and s.ui.font_scale == 1.0
    text = "\n".join(loaded.problems)
    assert "scanner.baud" in text and "whole number" in text
    assert "ui.fullscreen" in text and "true or false" in text
    assert "ui.font_scale" in text and "between" in text


def test_unknown_keys_and_sections_are_reported() -> None:
    loaded = parse_settings('colour = "red"\n[scanner]\nbaud_rate = 9600\n[ui]\n')
    assert loaded.settings == Settings()
    assert len(loaded.problems) == 2
    assert "'colour'" in loaded.problems[0] and "'scanner.baud_rate'" in loaded.problems[1]


def test_unreadable_bytes_are_a_message(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    loaded = load_settings(path)
    assert loaded.settings == Settings() and len(loaded.problems) == 1


@given(st.text(max_size=200))
def test_any_text_gives_settings_never_an_exception(text: str) -> None:
    loaded = parse_settings(text)
    assert isinstance(loaded.settings, Settings)

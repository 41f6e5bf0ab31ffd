"""The message renderer: every code has a template that fits its declared parameters, missing
parameters fail loudly under the test suite and degrade to the code in production, times follow the
plant's time zone across daylight-saving changes, stations show as codes, old sentences as they were."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

import jitdesk.domain.kanban.card
import jitdesk.domain.kanban.risk
import jitdesk.domain.kanban.scan
import jitdesk.domain.scanner
import jitdesk.services.kanban.scanning
import jitdesk.services.scan_answers  # noqa: F401  (each module declares the codes of its rules)
from jitdesk.domain.messages import CODES, LEGACY, Message, MessageError, from_stored, legacy, message
from jitdesk.services.words import (
    STRICT_ENV,
    TEMPLATES,
    WORDS,
    MessageTemplateError,
    Words,
    fields_of,
    stations_named,
    zone_named,
)

BERLIN = ZoneInfo("Europe/Berlin")
# Unix ms samples of each kind of value a template takes, by format spec
SAMPLE = {"time": 1_790_000_000_000, "duration": 7_500_000, "station": "st-1", "at_station": "st-2",
          "status": "EMPTY", "done": "PICKING", "admin": "ON_HOLD", "verb": "kanban.card.emptied",
          "loop": "L-BOLT", "print": 2, "anomalies": 3, "": 4}


def utc_ms(*when: int) -> int:
    return int(datetime(*when, tzinfo=UTC).timestamp() * 1000)


def sample_params(code: str) -> dict[str, str | int | None]:
    specs = fields_of(TEMPLATES[code])
    return {name: SAMPLE.get(specs.get(name, "time"), 1) for name in CODES[code]}


def test_the_suite_renders_strictly() -> None:
    assert Words().strict, f"tests/conftest.py sets {STRICT_ENV}=1"


def test_every_declared_code_has_a_template_that_fits_its_parameters() -> None:
    assert len(CODES) > 40  # the kanban modules' codes are all declared
    assert set(CODES) == set(TEMPLATES)
    for code, params in CODES.items():
        fields = set(fields_of(TEMPLATES[code]))
        # a note's time (`at_ms`) is shown before the note, not inside its sentence
        assert fields <= params and params - fields <= {"at_ms"}, code
        assert set(fields_of(TEMPLATES[code]).values()) <= set(SAMPLE), code  # only specs the renderer knows


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_template_renders_with_its_parameters(code: str) -> None:
    words = Words(BERLIN, {"st-1": "LINE-1"}, strict=True).render(Message(code, sample_params(code)))
    assert words and "{" not in words and "None" not in words
    for key, spec in fields_of(TEMPLATES[code]).items():
        if spec == "station":
            assert "LINE-1" in words and "st-1" not in words, (code, key)


def test_a_missing_parameter_fails_loudly_in_tests() -> None:
    broken = Message("loop.late", {"count": 2})
    with pytest.raises(MessageTemplateError, match="late_by_ms"):
        Words(strict=True).render(broken)
    with pytest.raises(MessageTemplateError, match="no template"):
        Words(strict=True).render(Message("loop.unheard_of", {"count": 2}))
    with pytest.raises(MessageTemplateError, match="whole number"):
        Words(strict=True).render(Message("loop.late", {"count": 2, "late_by_ms": "soon"}))


def test_a_missing_parameter_degrades_to_the_code_and_params_in_production(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="jitdesk.words"):
        shown = Words(strict=False).render(Message("loop.late", {"count": 2}))
        unknown = Words(strict=False).render(Message("loop.unheard_of", {"count": 2}))
    assert shown == "loop.late {'count': 2}"
    assert unknown == "loop.unheard_of {'count': 2}"
    assert "loop.late" in caplog.text and "late_by_ms" in caplog.text


def test_the_domain_refuses_an_undeclared_code_or_wrong_parameters() -> None:
    with pytest.raises(MessageError, match="undeclared"):
        message("card.never_declared", at_ms=1)
    with pytest.raises(MessageError, match="takes"):
        message("loop.late", count=1)
    assert message("loop.late", count=1, late_by_ms=5) == Message("loop.late", {"count": 1, "late_by_ms": 5})


def test_times_in_berlin_on_both_sides_of_the_spring_change() -> None:
    words = Words(zone_named("Europe/Berlin"))
    # 2026-03-29: clocks jump from 02:00 CET to 03:00 CEST at 01:00 UTC
    assert words.time(utc_ms(2026, 3, 29, 0, 30)) == "2026-03-29 01:30:00 CET"
    assert words.time(utc_ms(2026, 3, 29, 1, 30)) == "2026-03-29 03:30:00 CEST"
    note = message("scan.already_empty", code="K000001W", since_ms=utc_ms(2026, 3, 29, 1, 30))
    assert words.render(note) == "card K000001W is already empty (since 2026-03-29 03:30:00 CEST)"
    assert Words().render(note) == "card K000001W is already empty (since 2026-03-29 01:30:00 UTC)"


def test_times_in_berlin_on_both_sides_of_the_autumn_change() -> None:
    words = Words(zone_named("Europe/Berlin"))
    # 2026-10-25: 03:00 CEST goes back to 02:00 CET at 01:00 UTC: the same wall time twice, told apart
    assert words.time(utc_ms(2026, 10, 25, 0, 30)) == "2026-10-25 02:30:00 CEST"
    assert words.time(utc_ms(2026, 10, 25, 1, 30)) == "2026-10-25 02:30:00 CET"
    assert words.clock(utc_ms(2026, 10, 25, 1, 30)) == "02:30:00"


def test_an_unknown_zone_falls_back_to_utc(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="jitdesk.words"):
        assert zone_named("Mars/Olympus_Mons") is UTC
    assert "Mars/Olympus_Mons" in caplog.text
    assert zone_named(None) is UTC and zone_named("") is UTC


def test_durations_in_plain_words() -> None:
    words = Words()
    assert [words.duration(ms) for ms in (-5, 45_000, 12 * 60_000, 3 * 3_600_000 + 5 * 60_000,
                                          52 * 3_600_000)] == ["0 s", "45 s", "12 min", "3 h 05 min", "2 d 4 h"]


def test_an_anomaly_note_shows_its_time_and_station_codes() -> None:
    note = message("card.moved_twice", at_ms=utc_ms(2026, 7, 1, 10, 0), kind="kanban.card.emptied",
                   station="st-2", status="EMPTY", since_ms=utc_ms(2026, 7, 1, 9, 55), since_station="st-1")
    words = Words(BERLIN, {"st-1": "LINE-1", "st-2": "LINE-2"})
    assert words.note(note) == ("2026-07-01 12:00:00 CEST: emptied twice at station LINE-2: already empty since "
                                "2026-07-01 11:55:00 CEST (station LINE-1)")
    assert stations_named([note]) == {"st-1", "st-2"}
    unknown = Words(BERLIN).render(note._replace(params={**note.params, "since_station": None}))
    assert "at station st-2" in unknown and "(station" not in unknown  # an id not looked up shows as it is


def test_old_sentences_show_as_they_were() -> None:
    old = "2026-11-22 05:19:35 UTC: emptied twice at station line-2: already EMPTY since 2026-11-22 05:10:00 UTC"
    assert from_stored(old) == legacy(old) == Message(LEGACY, {"text": old})
    for stored in (old, legacy(old), [LEGACY, {"text": old}], {"code": LEGACY, "params": {"text": old}}):
        assert Words(BERLIN).render(stored) == old
        assert Words(BERLIN).note(stored) == old  # no time of its own: the sentence has it


def test_translation_applies_to_templates_and_words() -> None:
    german = {TEMPLATES["scan.not_used"]: "Regelkreis {loop} nutzt {asked:status} nicht",
              WORDS["status.PICKING"]: "Kommissionierung"}
    words = Words(translate=lambda text: german.get(text, text))
    assert words.render(message("scan.not_used", loop="L-BOLT", asked="PICKING")) == \
        "Regelkreis L-BOLT nutzt Kommissionierung nicht"
    assert words.render(message("scan.already_full", code="K1")) == "card K1 is already full"  # untranslated

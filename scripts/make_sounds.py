"""Write the station's scan sounds (resources/sounds/*.wav): short, distinct, loud enough on a shop floor.

success: a rising two-tone chirp; refused: two low buzzes (harsh, square-ish); info: one soft mid tone.
Mono 16-bit 22.05 kHz PCM, made from sine partials with short fades so they never click.

    .venv/bin/python scripts/make_sounds.py
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
OUT = Path(__file__).resolve().parent.parent / "resources" / "sounds"


def tone(freq: float, seconds: float, *, harmonics: tuple[float, ...] = (1.0,), volume: float = 0.7) -> list[float]:
    n = int(RATE * seconds)
    fade = int(RATE * 0.008)
    out = []
    norm = sum(harmonics)
    for i in range(n):
        t = i / RATE
        value = sum(a * math.sin(2 * math.pi * freq * (k + 1) * t) for k, a in enumerate(harmonics)) / norm
        envelope = min(1.0, i / fade, (n - 1 - i) / fade) if fade else 1.0
        out.append(value * envelope * volume)
    return out


def silence(seconds: float) -> list[float]:
    return [0.0] * int(RATE * seconds)


def write(name: str, samples: list[float]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with wave.open(str(OUT / name), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", int(max(-1.0, min(1.0, s)) * 32_000)) for s in samples))


def main() -> None:
    write("success.wav", tone(880, 0.09) + tone(1320, 0.14))
    buzz = (1.0, 0.0, 0.33, 0.0, 0.2)  # odd harmonics: a buzzer, unmistakable from the chirp
    write("refused.wav", tone(220, 0.18, harmonics=buzz, volume=0.8) + silence(0.07)
          + tone(220, 0.18, harmonics=buzz, volume=0.8))
    write("info.wav", tone(660, 0.16, volume=0.5))
    andon()


def andon() -> None:
    """One pattern per andon call type (told apart by rhythm as well as pitch), and the escalation alarm."""
    bell = (1.0, 0.5, 0.25)
    buzz = (1.0, 0.0, 0.33, 0.0, 0.2)
    write("andon_material.wav", tone(523, 0.15, harmonics=bell) + silence(0.05) + tone(659, 0.15, harmonics=bell)
          + silence(0.05) + tone(784, 0.25, harmonics=bell))
    write("andon_quality.wav", (tone(740, 0.12, harmonics=bell) + silence(0.08)) * 3)
    write("andon_maintenance.wav", tone(392, 0.3, harmonics=buzz) + silence(0.1) + tone(392, 0.3, harmonics=buzz))
    write("andon_safety.wav", (tone(988, 0.1, harmonics=buzz, volume=0.9) + tone(740, 0.1, harmonics=buzz,
                                                                               volume=0.9)) * 4)
    write("andon_help.wav", tone(587, 0.35, volume=0.6))
    write("andon_chime.wav", tone(880, 0.2, harmonics=bell) + tone(660, 0.3, harmonics=bell))
    write("andon_escalation.wav", (tone(1200, 0.08, harmonics=buzz, volume=0.9) + silence(0.04)) * 6)


if __name__ == "__main__":
    main()

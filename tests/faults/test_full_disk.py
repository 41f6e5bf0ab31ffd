"""A real full disk: a small tmpfs mounted for the test. Writes fail in plain words, nothing committed is
lost, nothing is half-written, and work goes on once space is freed. Skipped, with the reason, where the
test may not mount a filesystem (it needs root)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from jitdesk.domain.errors import StorageProblem
from jitdesk.domain.master import Part
from jitdesk.services import master
from jitdesk.storage import eventlog
from jitdesk.storage.database import open_database


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here (needs root): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def free_bytes(path: Path) -> int:
    stats = os.statvfs(path)
    return stats.f_bavail * stats.f_frsize


def test_a_full_disk_refuses_in_plain_words_and_loses_nothing(tiny_disk: Path) -> None:
    db = open_database(tiny_disk / "station.db")
    try:
        kept, _ = master.save(db, Part("P-0", "written before the disk filled"), actor=None)
        filler = tiny_disk / "filler"
        filler.write_bytes(b"\0" * max(0, free_bytes(tiny_disk) - 96 * 1024))
        saved = 0
        with pytest.raises(StorageProblem, match="is full"):
            for i in range(1, 100_000):
                master.save(db, Part(f"P-{i}", "x" * 120), actor=None)
                saved += 1
        filler.unlink()  # someone frees space
        master.save(db, Part("P-after", "written after space was freed"), actor=None)
        with db.reading() as session:
            events = list(eventlog.iter_all(session))
        seqs = sorted(e.device_seq for e in events)
        assert seqs == list(range(1, len(seqs) + 1))  # gapless: the failed transaction left nothing
        assert len(events) == saved + 2
        numbers = {r.value.number for r in master.records(db, Part)}
        assert {"P-0", "P-after"} <= numbers and len(numbers) == len(events)
        assert master.get(db, Part, kept).name == "written before the disk filled"
    finally:
        db.close()

"""Printing kanban cards: choose the cards, render their sheets to a PDF, record what was printed.

    report = print_cards(db, loop_ids=None, reprint=False, out=Path("cards.pdf"), actor=user_id)
    report.summary  # "printed 24 cards of 6 loops to cards.pdf"

Which cards: the cards of the chosen loops (all active loops when `loop_ids` is None) that are in
the loop (not retired). Without `reprint`, only those never printed (print_version 0); with it, all of
them. Each copy carries print version `print_version + 1`, so a reprint shows "REPRINT n" and the
earlier copies on the floor can be told apart from the current one.

Order of work, so the log never claims a print that did not happen: read the data, render the PDF
in memory, write it to a temporary file beside `out`, fsync, rename over `out`, fsync the folder, and
only then record one `kanban.card.printed` event per card in one transaction. A failed write (full
disk, missing or unwritable folder) records nothing and raises `OutputProblem` in plain words; if the
recording itself fails, the new PDF is removed again so no unrecorded copies get printed.
"""

from __future__ import annotations

import errno
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from jitdesk.domain.auth import Role
from jitdesk.domain.errors import BadInput, KnownError, NotFound
from jitdesk.domain.fold import PROJECTORS
from jitdesk.domain.kanban.card import CARD_PRINTED, Card
from jitdesk.domain.kanban.loop import Loop
from jitdesk.domain.kanban.status import Admin
from jitdesk.domain.master import Part, Station
from jitdesk.services.access import require_role
from jitdesk.services.card_sheet import CardFace, render_sheets
from jitdesk.services.changes import NO_CHANGES, Changes
from jitdesk.services.uow import Tx, transaction, wall_clock_ms
from jitdesk.storage import kanban_repo, projections
from jitdesk.storage.database import Database

log = logging.getLogger("jitdesk.print")

PRINT_ROLE = Role.ADMIN  # planners and admins print cards (DESIGN section 1)


class NothingToPrint(KnownError):
    """The chosen loops have no card that this print would print; no file was written."""


class OutputProblem(KnownError):
    """The PDF could not be written where it was asked for; nothing was recorded."""


@dataclass(frozen=True)
class PrintJob:
    """One card to print: who it is and what goes on it (`face.version` is the version printed)."""

    card_id: str
    loop_id: str
    face: CardFace


class PrintReport(NamedTuple):
    """What was printed. A tuple on purpose: `AppContext.run` finds the `Changes` inside a tuple
    result and tells every view, exactly as for the other use cases' `(id, Changes)` results."""

    out: Path
    cards: int
    loops: int
    pages: int
    codes: tuple[str, ...]  # in print order
    changes: Changes = NO_CHANGES

    @property
    def summary(self) -> str:
        return (f"printed {self.cards} card{'s' * (self.cards != 1)} of {self.loops} "
                f"loop{'s' * (self.loops != 1)} to {self.out.name}")


# --- choosing what to print (pure) -------------------------------------------------------------


def resolve_loops(loops: Mapping[str, Loop], wanted: Sequence[str] | None) -> list[str]:
    """Loop ids from ids or loop codes (`None`: every active loop), in loop-code order.

    Unknown names are refused together in one message; so is a loop that is no longer active.
    """
    if wanted is None:
        chosen = [loop_id for loop_id, loop in loops.items() if loop.active]
    else:
        names = list(dict.fromkeys(w.strip() for w in wanted if w.strip()))
        if not names:
            raise BadInput("Choose at least one loop to print, or all loops.")
        by_code: dict[str, list[str]] = {}
        for loop_id, loop in loops.items():
            by_code.setdefault(loop.code.casefold(), []).append(loop_id)
        chosen, unknown = [], []
        for name in names:
            if name in loops:
                chosen.append(name)
                continue
            matches = by_code.get(name.casefold(), [])
            active = [m for m in matches if loops[m].active]
            if len(active) == 1 or (len(matches) == 1 and not active):
                chosen.append((active or matches)[0])
            elif len(active) > 1:
                raise BadInput(f"Loop code '{name}' is used by {len(active)} loops; give the loop id instead.")
            else:
                unknown.append(name)
        if unknown:
            listed = ", ".join(f"'{u}'" for u in unknown)
            raise NotFound(f"Unknown loop{'s' * (len(unknown) > 1)} {listed}: no loop has that id or code.")
        inactive = [loops[c].code for c in chosen if not loops[c].active]
        if inactive:
            one = len(inactive) == 1
            raise BadInput(f"Loop{'' if one else 's'} {', '.join(inactive)} {'is' if one else 'are'} no longer "
                           f"active, so {'its' if one else 'their'} cards are not printed.")
    return sorted(dict.fromkeys(chosen), key=lambda i: (loops[i].code, i))


def plan(loops: Mapping[str, Loop], cards: Mapping[str, Card], parts: Mapping[str, Part],
         stations: Mapping[str, Station], loop_ids: Sequence[str], *, reprint: bool) -> list[PrintJob]:
    """The cards to print for the already resolved `loop_ids`, by loop then card number."""
    in_loop: dict[str, list[Card]] = {loop_id: [] for loop_id in loop_ids}
    for card in _live(cards.values()):  # retired cards are never printed
        if card.loop_id in in_loop:
            in_loop[card.loop_id].append(card)
    jobs: list[PrintJob] = []
    for loop_id in loop_ids:
        loop = loops[loop_id]
        members = sorted(in_loop[loop_id], key=lambda c: (c.number, c.code))
        # "card n of N": N is how many cards the loop holds; never below the highest number, so a
        # gap left by a retired card cannot print "card 5 of 4".
        total = max([len(members), *(c.number for c in members)])
        part = parts.get(loop.part_id)
        station = stations.get(loop.consumer_station_id)
        for card in members:
            if card.print_version > 0 and not reprint:
                continue
            face = CardFace(
                code=card.code,
                part_number=part.number if part else loop.part_id,
                part_name=part.name if part else "(part not found)",
                qty=loop.qty_per_card,
                unit=part.unit if part else "",
                supplier=loop.supplier_location,
                consumer=f"{station.code} · {station.name}" if station else loop.consumer_station_id,
                number=card.number,
                of=total,
                loop_code=loop.code,
                version=card.print_version + 1,
            )
            jobs.append(PrintJob(card.card_id, loop_id, face))
    return jobs


def _nothing_message(loops: Mapping[str, Loop], loop_ids: Sequence[str], cards: Mapping[str, Card],
                     every_loop: bool) -> str:
    if not loop_ids:
        return "Nothing to print: there is no active loop."
    chosen = set(loop_ids)
    in_use = sum(1 for c in _live(cards.values()) if c.loop_id in chosen)
    if every_loop:
        what, has = "the active loops", "have"
    elif len(loop_ids) == 1:
        what, has = f"loop {loops[loop_ids[0]].code}", "has"
    else:
        what, has = f"the {len(loop_ids)} chosen loops", "have"
    if in_use == 0:
        return f"Nothing to print: {what} {has} no cards in use."
    return (f"Nothing to print: every card of {what} has been printed already "
            "(a reprint prints them again, with a new print version).")


# --- writing the file --------------------------------------------------------------------------


def _plain_os_error(out: Path, error: OSError) -> OutputProblem:
    folder = out.parent
    reasons = {
        errno.ENOSPC: f"the disk holding {folder} is full; free some space and print again",
        errno.EDQUOT: f"the disk quota for {folder} is used up; free some space and print again",
        errno.ENOENT: f"the folder {folder} does not exist",
        errno.ENOTDIR: f"{folder} is not a folder",
        errno.EISDIR: f"{out} is a folder; give a file name such as {out / 'cards.pdf'}",
        errno.EACCES: f"there is no permission to write in {folder}",
        errno.EPERM: f"there is no permission to write in {folder}",
        errno.EROFS: f"{folder} is on a read-only disk",
    }
    reason = reasons.get(error.errno or 0, f"{error.strerror or error}")
    return OutputProblem(f"Cannot write {out}: {reason}. Nothing was recorded as printed.")


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open a folder and needs none."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(out: Path, data: bytes) -> None:
    """Write `data` to `out` all or nothing: a temporary file beside it, fsync, rename, fsync folder.

    On any failure `out` is left as it was (absent, or its old content) and `OutputProblem` is raised.
    """
    if out.is_dir():
        raise _plain_os_error(out, IsADirectoryError(errno.EISDIR, "is a folder"))
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
        tmp = None
        _fsync_folder(out.parent)
    except OSError as error:
        raise _plain_os_error(out, error) from error
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                log.warning("could not remove the partial file %s", tmp)


# --- the use case ------------------------------------------------------------------------------


def _states(session: Any, name: str) -> dict[str, Any]:
    return projections.all_states(session, PROJECTORS.get(name))


def _cards_of(session: Any, loop_ids: Sequence[str]) -> dict[str, Card]:
    """Every card of the loops (any admin status), by card id, read through the loop index."""
    return {card.card_id: card for cards in kanban_repo.cards_of_loops(session, loop_ids).values() for card in cards}


def _footer(count: int, now_ms: int) -> str:
    when = datetime.fromtimestamp(now_ms / 1000).astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return f"jitdesk kanban cards · {count} card{'s' * (count != 1)} · printed {when} · cut along the marks"


def print_cards(db: Database, *, loop_ids: Sequence[str] | None, reprint: bool, out: Path | str,
                actor: str | None, check_access: bool = True,
                now_ms: Callable[[], int] = wall_clock_ms) -> PrintReport:
    """Print the cards of `loop_ids` (ids or loop codes; None: every active loop) to the PDF `out`.

    `check_access=False` is for the command line only: whoever runs it holds the database file itself.
    Raises NotFound / BadInput (loops), NothingToPrint, NotAllowed, OutputProblem.
    """
    out = Path(out).expanduser().absolute()
    with db.reading() as session:
        if check_access:
            require_role(Tx(db, session, now_ms), actor, PRINT_ROLE)
        loops: dict[str, Loop] = _states(session, "loop")
        chosen = resolve_loops(loops, loop_ids)
        cards = _cards_of(session, chosen)
        parts: dict[str, Part] = _states(session, "part")
        stations: dict[str, Station] = _states(session, "station")
    jobs = plan(loops, cards, parts, stations, chosen, reprint=reprint)
    if not jobs:
        raise NothingToPrint(_nothing_message(loops, chosen, cards, loop_ids is None))

    faces = [job.face for job in jobs]
    pages: list[int] = []
    pdf = render_sheets(faces, footer=_footer(len(faces), now_ms()), on_page=pages.append)
    write_durably(out, pdf)
    try:
        with transaction(db, now_ms) as tx:
            if check_access:
                require_role(tx, actor, PRINT_ROLE)
            for job in jobs:
                tx.append(CARD_PRINTED, job.card_id, {"version": job.face.version}, actor)
    except BaseException:
        # The copies were not recorded: take the file away so they are not printed unrecorded.
        _remove_quietly(out)
        raise
    loops_printed = len({job.loop_id for job in jobs})
    log.info("printed %d cards of %d loops to %s (reprint=%s)", len(jobs), loops_printed, out, reprint)
    return PrintReport(out=out, cards=len(jobs), loops=loops_printed, pages=len(pages),
                       codes=tuple(f.code for f in faces), changes=tx.changes)


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        log.warning("could not remove %s after the print could not be recorded", path)


@dataclass(frozen=True)
class LoopChoice:
    """One active loop as a print dialog lists it."""

    loop_id: str
    code: str
    part_number: str
    part_name: str
    cards: int  # in use (not retired)
    unprinted: int  # of those, never printed


def printable_loops(db: Database) -> list[LoopChoice]:
    """Every active loop with its card counts, in loop-code order (for the print dialog)."""
    with db.reading() as session:
        loops: dict[str, Loop] = _states(session, "loop")
        cards = _cards_of(session, [loop_id for loop_id, loop in loops.items() if loop.active])
        parts: dict[str, Part] = _states(session, "part")
    counts: dict[str, list[int]] = {loop_id: [0, 0] for loop_id, loop in loops.items() if loop.active}
    for card in _live(cards.values()):
        if card.loop_id in counts:
            counts[card.loop_id][0] += 1
            counts[card.loop_id][1] += card.print_version == 0
    choices = []
    for loop_id, (in_use, unprinted) in counts.items():
        loop = loops[loop_id]
        part = parts.get(loop.part_id)
        choices.append(LoopChoice(loop_id, loop.code, part.number if part else loop.part_id,
                                  part.name if part else "", in_use, unprinted))
    return sorted(choices, key=lambda c: (c.code, c.loop_id))


def _live(cards: Iterable[Card]) -> Iterator[Card]:
    """Cards that belong to their loop: added, and not retired (held cards are still in the loop)."""
    return (c for c in cards if c.added and c.admin is not Admin.RETIRED)

"""Demand: set a line's demand for a day or one shift of it, by hand or from a CSV file.

One record per line, day and shift (`master.demand_key`): setting it again replaces it, through the
same admin-only master-data path as every other record. A CSV has the columns
`line,date,quantity[,shift][,parts_per_cycle]` (line by its code). Every row is checked first
(`check_csv`: the Admin preview and the command line use the same check); the good rows are imported
together and each bad one is named in plain words with its line number in the file, nothing written
for it. A row naming a line, day and shift an earlier row named is a bad row (the first one counts).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from jitdesk.domain.errors import BadInput
from jitdesk.domain.master import Demand, demand_key
from jitdesk.domain.messages import Message, define, message
from jitdesk.services.changes import Changes
from jitdesk.services.master import save_in
from jitdesk.services.uow import Tx, transaction
from jitdesk.services.words import words_in
from jitdesk.storage import takt_repo
from jitdesk.storage.database import Database
from jitdesk.storage.projections import raw

MAX_ROWS = 10_000
MAX_QUANTITY, MAX_PER_CYCLE, MAX_SHIFT_NAME = 10_000_000, 10_000, 40  # as the demand record's schema
CSV_NO_LINE = define("takt.csv.no_line", "row")
CSV_LINE = define("takt.csv.line", "row", "value")
CSV_DATE = define("takt.csv.date", "row", "value")
CSV_QUANTITY = define("takt.csv.quantity", "row", "value")
CSV_PER_CYCLE = define("takt.csv.parts_per_cycle", "row", "value")
CSV_SHIFT = define("takt.csv.shift", "row", "value", "most")
CSV_TWICE = define("takt.csv.twice", "row", "first")
CSV_EMPTY = define("takt.csv.empty", "row", "column")


def _existing(tx: Tx, key: str) -> str | None:
    found = raw(tx.session).execute('SELECT id FROM "demand" WHERE key = ?', (key,)).fetchone()
    return None if found is None else str(found[0])


def set_in(tx: Tx, line_id: str, day: date, quantity: int, *, shift: str | None = None,
           parts_per_cycle: int = 1, actor: str | None, check_access: bool = True) -> str:
    if quantity < 0:
        raise BadInput("Demand: the quantity may not be negative.")
    if parts_per_cycle < 1:
        raise BadInput("Demand: a cycle makes at least one part.")
    shift = shift.strip() if shift and shift.strip() else None
    key = demand_key(line_id, day.isoformat(), shift)
    record = Demand(key, line_id, day.isoformat(), quantity, shift, parts_per_cycle)
    return save_in(tx, record, actor=actor, entity_id=_existing(tx, key), check_access=check_access)


def set_demand(db: Database, line_id: str, day: date, quantity: int, *, shift: str | None = None,
               parts_per_cycle: int = 1, actor: str | None, check_access: bool = True) -> Changes:
    with transaction(db) as tx:
        set_in(tx, line_id, day, quantity, shift=shift, parts_per_cycle=parts_per_cycle, actor=actor,
               check_access=check_access)
    return tx.changes


@dataclass(frozen=True)
class CsvRow:
    """A good row of a demand file; `number` is its line in the file (the header is line 1)."""

    number: int
    line_code: str
    line_id: str
    day: date
    quantity: int
    shift: str | None
    parts_per_cycle: int


@dataclass(frozen=True)
class CsvProblem:
    number: int
    note: Message
    words: str


@dataclass(frozen=True)
class CsvCheck:
    rows: tuple[CsvRow, ...]
    problems: tuple[CsvProblem, ...]


def _whole(text: str, least: int) -> int | None:
    try:
        value = int(text)
    except ValueError:
        return None
    return value if value >= least else None


def _check_row(session: Session, clean: dict[str, str], number: int, codes: dict[str, str]) -> CsvRow | Message:
    code = clean.get("line", "")
    if not code:
        return message(CSV_NO_LINE, row=number)
    line_id = codes.get(code.lower())
    if line_id is None:
        return message(CSV_LINE, row=number, value=code)
    for column in ("date", "quantity"):
        if not clean.get(column):
            return message(CSV_EMPTY, row=number, column=column)
    try:
        day = date.fromisoformat(clean.get("date", ""))
    except ValueError:
        return message(CSV_DATE, row=number, value=clean.get("date", ""))
    quantity = _whole(clean.get("quantity", ""), 0)
    if quantity is None or quantity > MAX_QUANTITY:
        return message(CSV_QUANTITY, row=number, value=clean.get("quantity", ""))
    ppc = _whole(clean.get("parts_per_cycle") or "1", 1)
    if ppc is None or ppc > MAX_PER_CYCLE:
        return message(CSV_PER_CYCLE, row=number, value=clean.get("parts_per_cycle", ""))
    shift = clean.get("shift") or None
    if shift is not None and len(shift) > MAX_SHIFT_NAME:
        return message(CSV_SHIFT, row=number, value=shift[:MAX_SHIFT_NAME] + "…", most=MAX_SHIFT_NAME)
    return CsvRow(number, code, line_id, day, quantity, shift, ppc)


def check_csv_in(session: Session, text: str) -> CsvCheck:
    """Every row of a demand file checked: the good ones, and each bad one in plain words with its line
    number. A file without the needed columns is refused whole (BadInput)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    needed = {"line", "date", "quantity"}
    if reader.fieldnames is None or not needed <= {f.strip().lower() for f in reader.fieldnames}:
        raise BadInput("Demand CSV: the first row must name the columns line, date, quantity "
                       "(and optionally shift, parts_per_cycle).")
    codes = {line.code.lower(): lid for lid, line in takt_repo.lines(session)}
    words = words_in(session)
    rows: list[CsvRow] = []
    problems: list[CsvProblem] = []
    seen: dict[str, int] = {}
    for row in reader:
        number = reader.line_num
        if len(rows) + len(problems) >= MAX_ROWS:
            raise BadInput(f"Demand CSV: more than {MAX_ROWS} rows; split the file.")
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        if not any(clean.values()):
            continue  # an empty line
        found = _check_row(session, clean, number, codes)
        if isinstance(found, CsvRow):
            key = demand_key(found.line_id, found.day.isoformat(), found.shift)
            if key in seen:
                found = message(CSV_TWICE, row=number, first=seen[key])
            else:
                seen[key] = number
                rows.append(found)
                continue
        problems.append(CsvProblem(number, found, words.render(found)))
    return CsvCheck(tuple(rows), tuple(problems))


def check_csv(db: Database, text: str) -> CsvCheck:
    with db.reading() as session:
        return check_csv_in(session, text)


def import_csv(db: Database, text: str, *, actor: str | None, check_access: bool = True) -> tuple[CsvCheck, Changes]:
    """Set the demand of every good row of the file in one transaction; the bad rows are left out and
    named in the answer (`CsvCheck.problems`)."""
    with transaction(db) as tx:
        checked = check_csv_in(tx.session, text)
        for row in checked.rows:
            set_in(tx, row.line_id, row.day, row.quantity, shift=row.shift, parts_per_cycle=row.parts_per_cycle,
                   actor=actor, check_access=check_access)
    return checked, tx.changes

"""Demand: set a line's demand for a day or one shift of it, by hand or from a CSV file.

One record per line, day and shift (`master.demand_key`): setting it again replaces it, through the
same admin-only master-data path as every other record. A CSV has the columns
`line,date,quantity[,shift][,parts_per_cycle]` (line by its code); every row is checked before any is
written, and a bad row is refused with its row number, so a file is taken whole or not at all.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from jitdesk.domain.errors import BadInput
from jitdesk.domain.master import Demand, demand_key
from jitdesk.services.changes import Changes
from jitdesk.services.master import save_in
from jitdesk.services.takt.status import line_by_code
from jitdesk.services.uow import Tx, transaction
from jitdesk.storage.database import Database
from jitdesk.storage.projections import raw

MAX_ROWS = 10_000


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


def import_csv(db: Database, text: str, *, actor: str | None, check_access: bool = True) -> tuple[int, Changes]:
    """Import demand rows from CSV text; returns how many rows were set."""
    reader = csv.DictReader(io.StringIO(text))
    needed = {"line", "date", "quantity"}
    if reader.fieldnames is None or not needed <= {f.strip().lower() for f in reader.fieldnames}:
        raise BadInput("Demand CSV: the first row must name the columns line, date, quantity "
                       "(and optionally shift, parts_per_cycle).")
    rows = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            raise BadInput(f"Demand CSV: more than {MAX_ROWS} rows; split the file.")
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        try:
            day = date.fromisoformat(clean["date"])
            quantity = int(clean["quantity"])
            ppc = int(clean.get("parts_per_cycle") or 1)
        except (KeyError, ValueError):
            raise BadInput(f"Demand CSV row {number}: date must be like 2026-12-02 and quantity a whole "
                           "number.") from None
        rows.append((number, clean["line"], day, quantity, clean.get("shift") or None, ppc))
    with transaction(db) as tx:
        for number, code, day, quantity, shift, ppc in rows:
            try:
                line_id = line_by_code(tx.session, code)[0]
                set_in(tx, line_id, day, quantity, shift=shift, parts_per_cycle=ppc, actor=actor,
                       check_access=check_access)
            except BadInput as error:
                raise BadInput(f"Demand CSV row {number}: {error}") from error
    return len(rows), tx.changes

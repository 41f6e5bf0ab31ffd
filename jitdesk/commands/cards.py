"""`jitdesk cards print [--db PATH] (--loop ID ... | --all) [--reprint] --out FILE.pdf`: print kanban cards.

Prints card sheets (8 cards to an A4 page, with cut marks) with a Code 128 barcode on every card, and
records the print in the station's event log. Exit 0 with a one-line summary; 2 with plain words on
a known problem (unknown loop, nothing to print, the file cannot be written).
"""

from __future__ import annotations

import argparse

_DESCRIPTION = """\
Print kanban cards to a PDF: 8 cards to an A4 page, with cut marks. Each card shows the part number
and name, quantity per card, FROM supplier location TO consumer station, card n of N, the loop, and
a Code 128 barcode of the card code.

Without --reprint only cards that were never printed are printed. With --reprint every card in use
of the chosen loops is printed again and carries a "REPRINT n" mark, so older copies on the floor can
be told from the current one. Retired cards are never printed. Printing is recorded on each card
only once the PDF has been written completely."""

_EPILOG = """\
examples:
  jitdesk cards print --all --out cards.pdf
  jitdesk cards print --loop L-0042 --loop L-0043 --reprint --out reprint.pdf"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("cards", help="kanban cards: print card sheets with barcodes",
                                   description="Kanban card tasks.")
    actions = parser.add_subparsers(dest="cards_action", required=True, metavar="ACTION")
    printing = actions.add_parser("print", help="print kanban cards to a PDF", description=_DESCRIPTION,
                                  epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    printing.add_argument("--db", metavar="PATH", help="database file (default: the user data dir)")
    which = printing.add_mutually_exclusive_group(required=True)
    which.add_argument("--loop", action="append", metavar="ID", dest="loops",
                       help="a loop, by id or loop code (repeat for several loops)")
    which.add_argument("--all", action="store_true", help="every active loop")
    printing.add_argument("--reprint", action="store_true",
                          help="print every card in use again (new print version), not only never-printed ones")
    printing.add_argument("--out", metavar="FILE.pdf", required=True, help="the PDF file to write")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jitdesk.domain.errors import StorageProblem
    from jitdesk.paths import database_path
    from jitdesk.services.card_printing import print_cards
    from jitdesk.storage.database import open_database

    path = database_path(args.db)
    if not path.is_file():  # printing never creates a database as a side effect
        raise StorageProblem(f"There is no database at {path}.")
    db = open_database(path)
    try:
        # The command line has no signed-in user: whoever runs it holds the database file itself.
        report = print_cards(db, loop_ids=None if args.all else args.loops, reprint=args.reprint,
                             out=Path(args.out), actor=None, check_access=False)
    finally:
        db.close()
    print(report.summary)
    return 0

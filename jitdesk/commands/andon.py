"""`jitdesk andon history [--from DATE --to DATE] [--csv] [--db PATH]`: time to acknowledge and to resolve
per station and call type, and the Pareto of resolve reasons (default: the last 7 days)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

from jitdesk.domain.errors import BadInput


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("andon", help="andon calls: history")
    actions = parser.add_subparsers(dest="andon_action", required=True, metavar="ACTION")
    hist = actions.add_parser("history", help="time to acknowledge and resolve, reasons (table or CSV)")
    hist.add_argument("--db", metavar="PATH", help="database file (default: the user data dir)")
    hist.add_argument("--from", dest="from_date", metavar="YYYY-MM-DD", help="first day (UTC; default 7 days ago)")
    hist.add_argument("--to", dest="to_date", metavar="YYYY-MM-DD", help="last day, included (UTC; default today)")
    hist.add_argument("--csv", action="store_true", help="CSV on standard output")


def _day(text: str | None, default: datetime) -> datetime:
    if text is None:
        return default
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise BadInput(f"'{text}' is not a date like 2026-12-01") from None


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value / 60:.1f} min"


def run(args: argparse.Namespace) -> int:
    from jitdesk.paths import database_path
    from jitdesk.services.andon.history import history, to_csv
    from jitdesk.storage.database import open_database

    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = _day(args.from_date, today - timedelta(days=7))
    end = _day(args.to_date, today) + timedelta(days=1)
    if end <= start:
        raise BadInput("--to is before --from")
    db = open_database(database_path(args.db))
    try:
        result = history(db, int(start.timestamp() * 1000), int(end.timestamp() * 1000))
    finally:
        db.close()
    if args.csv:
        print(to_csv(result), end="")
        return 0
    print(f"Andon calls raised {start:%Y-%m-%d} to {end - timedelta(days=1):%Y-%m-%d} (UTC)")
    print(f"{'station':10} {'type':12} {'calls':>5} {'cancel':>6} {'open':>4} {'ack median':>11} {'ack max':>9}"
          f" {'resolve med':>12} {'resolve max':>12}")
    for r in result.rows:
        print(f"{r.station:10} {r.call_type:12} {r.calls:5} {r.cancelled:6} {r.still_open:4} {_s(r.ack_median_s):>11}"
              f" {_s(r.ack_max_s):>9} {_s(r.resolve_median_s):>12} {_s(r.resolve_max_s):>12}")
    if not result.rows:
        print("(no calls)")
    print("\nResolve reasons (Pareto)")
    for reason in result.reasons:
        print(f"{reason.reason:20} {reason.count:5} {reason.share:6.1%} {reason.cumulative:7.1%}")
    return 0

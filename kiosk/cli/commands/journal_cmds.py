"""`kiosk diag journal`: the technician's view of the transaction journal (no personal data in it).

Shows order counts by state, open transactions, unfinished orders (what reconciliation will pick up) and the
most recent orders; `--order ID` lists one order's transitions.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kiosk.cli import exitcodes
from kiosk.home import KioskHome
from kiosk.journal import Journal, OrderRecord, UnknownOrder


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    parser = groups["diag"].add_parser("journal", help="orders by state, unfinished and recent orders")
    parser.add_argument("--limit", type=int, default=20, help="recent orders to list (default 20)")
    parser.add_argument("--order", metavar="ORDER_ID", help="show one order and its transitions")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=run_diag_journal)


def _order_json(order: OrderRecord) -> dict[str, Any]:
    return {
        "order_id": order.order_id, "service": order.service.value, "state": order.state.value,
        "amount_cents": order.amount_cents, "document_number": order.document_number,
        "print_attempts": order.print_attempts, "reprint": order.reprint, "last_error": order.last_error,
        "updated_at": order.updated_at.isoformat(timespec="seconds"),
    }  # fmt: skip


def _order_line(order: dict[str, Any]) -> str:
    return (f"{order['updated_at']}  {order['order_id']}  {order['service']:<11} {order['state']:<15} "
            f"{order['amount_cents'] / 100:>8.2f}  doc={order['document_number'] or '-'} "
            f"prints={order['print_attempts']} err={order['last_error'] or '-'}")  # fmt: skip


def _one_order(journal: Journal, order_id: str, as_json: bool) -> int:
    try:
        order = _order_json(journal.get(order_id))
    except UnknownOrder:
        print(f"kiosk diag journal: no order {order_id}", file=sys.stderr)
        return exitcodes.USAGE
    events = [{"at": e.at.isoformat(timespec="seconds"), "from": e.from_state and e.from_state.value,
               "to": e.to_state.value, "error": e.error_code} for e in journal.events(order_id)]  # fmt: skip
    if as_json:
        print(json.dumps({"order": order, "events": events}, ensure_ascii=False, indent=2))
        return exitcodes.OK
    print(_order_line(order))
    for event in events:
        print(f"  {event['at']}  {event['from'] or '(new)':<15} -> {event['to']:<15} {event['error'] or ''}")
    return exitcodes.OK


def run_diag_journal(args: argparse.Namespace) -> int:
    home = KioskHome.resolve(args.home)
    path = home.root / "journal.sqlite3"
    if not path.exists():
        print(f"no journal yet at {path}")
        return exitcodes.OK
    with Journal.open(home.journal_url, kiosk_id="diag") as journal:
        if args.order:
            return _one_order(journal, args.order, args.json)
        report = {
            "counts": {state.value: count for state, count in journal.counts_by_state().items() if count},
            "open_transactions": journal.open_transaction_count(),
            "unfinished": [_order_json(order) for order in journal.unfinished_orders()],
            "recent": [_order_json(order) for order in journal.recent_orders(args.limit)],
        }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return exitcodes.OK
    counts = ", ".join(f"{state}={count}" for state, count in report["counts"].items()) or "no orders"
    print(f"orders: {counts}; open transactions: {report['open_transactions']}")
    for title in ("unfinished", "recent"):
        print(f"{title}:")
        for order in report[title] or [{"none": True}]:
            print(f"  {_order_line(order)}" if "none" not in order else "  (none)")
    return exitcodes.OK

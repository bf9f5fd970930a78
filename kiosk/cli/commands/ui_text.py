"""`kiosk ui text --lang zh|en KEY...`: the text of each key (KEY<TAB>text); exit 1 naming every key without one.
`--missing` lists the declared keys (everything a flow can show) that have no text in that language."""

from __future__ import annotations

import argparse
import sys

from kiosk.cli import exitcodes


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    parser = groups["ui"].add_parser("text", help="the catalogue's text of each key")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.add_argument("--missing", action="store_true", help="list declared keys that have no text")
    parser.add_argument("keys", nargs="*", metavar="KEY")
    parser.set_defaults(handler=show_texts)


def show_texts(args: argparse.Namespace) -> int:
    from kiosk.texts import missing_keys, text

    if args.missing:
        missing = missing_keys(args.lang)
        for key in missing:
            print(key)
        return exitcodes.FAILURE if missing else exitcodes.OK
    if not args.keys:
        print("kiosk ui text: name at least one KEY (or --missing)", file=sys.stderr)
        return exitcodes.USAGE
    absent = []
    for key in args.keys:
        value = text(key, args.lang)
        if value is None:
            absent.append(key)
        else:
            print(f"{key}\t{value}")
    if absent:
        print(f"kiosk ui text: no {args.lang} text for: {', '.join(absent)}", file=sys.stderr)
        return exitcodes.FAILURE
    return exitcodes.OK

"""`kiosk serve-sandbox`: run the police-backend sandbox (FastAPI + uvicorn) for development and the demo."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli import exitcodes
from kiosk.home import KioskHome

DEFAULT_PORT = 8750


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    parser = top.add_parser("serve-sandbox", help="run the police-backend sandbox (demo data, simulated payer)")
    parser.add_argument("--db", help="database URL (default: SQLite sandbox.sqlite3 in the data home)")
    parser.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"listen port (default {DEFAULT_PORT})")
    parser.add_argument("--photo-dir", type=Path, help="registry photos <id_number>.jpg (default: bundled demo set)")
    parser.add_argument(
        "--no-faults", action="store_true", help="disable the /sandbox/ controls (faults, payer, clock)"
    )
    parser.add_argument("--create-kiosk", metavar="KIOSK_ID", help="enrol a kiosk, print its key and exit")
    parser.add_argument("--admin-token-file", type=Path, metavar="FILE",
                        help="turns the admin API on with the token in FILE (mode 0600, 16+ characters); off without")  # fmt: skip
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from server.sandbox.settings import SandboxSettings  # late: FastAPI/SQLAlchemy only for this command

    home = KioskHome.resolve(args.home).ensure()
    db_url = args.db or f"sqlite:///{home.root / 'sandbox.sqlite3'}"
    try:
        settings = SandboxSettings.from_env(db_url=db_url, photo_dir=args.photo_dir, sandbox_mode=not args.no_faults,
                                            admin_token_file=args.admin_token_file)  # fmt: skip
    except (OSError, ValueError) as error:
        print(f"serve-sandbox: admin token file: {error}", file=sys.stderr)
        return exitcodes.USAGE
    if args.create_kiosk:
        return _create_kiosk(settings, args.create_kiosk)
    from server.sandbox.runner import serve

    admin = "admin API on" if settings.admin_token else "admin API off (--admin-token-file)"
    print(f"sandbox on http://{args.host}:{args.port}/api/v1  (OpenAPI: /docs)  database: {_safe(db_url)}  {admin}")
    serve(settings, args.host, args.port)
    return exitcodes.OK


def _create_kiosk(settings, kiosk_id: str) -> int:
    from contracts import KioskCreate
    from server.sandbox import db, seed
    from server.sandbox.app import prepare
    from server.sandbox.state import SandboxState

    try:
        KioskCreate(kiosk_id=kiosk_id)
    except ValueError:
        print("kiosk id: lowercase letters, digits and '-', 3-63 characters", file=sys.stderr)
        return exitcodes.USAGE
    engine = db.make_engine(settings.db_url)
    state = SandboxState(settings=settings, engine=engine, sessions=db.session_factory(engine))
    prepare(state)
    with state.sessions() as session:
        key = seed.create_kiosk(session, kiosk_id, settings.clock.utc_naive())
        session.commit()
    engine.dispose()
    print(f"kiosk_id={kiosk_id}\nkiosk_key={key}")
    return exitcodes.OK


def _safe(url: str) -> str:
    """The database URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)

"""Write the fleet API's OpenAPI document to server/fleet/openapi.json (committed; a test keeps it current).

python -m server.fleet.openapi_export [OUT]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from server.fleet.app import create_app
from server.fleet.settings import FleetSettings

OPENAPI_FILE = Path(__file__).parent / "openapi.json"


def openapi_text() -> str:
    app = create_app(FleetSettings(db_url="sqlite:///unused.sqlite3"))  # the lifespan (database) never runs
    return json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OPENAPI_FILE
    out.write_text(openapi_text(), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Write the API's OpenAPI document to server/sandbox/openapi.json (committed; a test keeps it current).

python -m server.sandbox.openapi_export [OUT]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from server.sandbox.app import create_app
from server.sandbox.settings import SandboxSettings

OPENAPI_FILE = Path(__file__).parent / "openapi.json"


def openapi_text() -> str:
    app = create_app(SandboxSettings(db_url="sqlite://", photo_dir=None), prepare_database=False)
    return json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OPENAPI_FILE
    out.write_text(openapi_text(), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

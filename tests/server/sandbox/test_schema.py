"""The committed OpenAPI document is current, and the Alembic migrations match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server.sandbox import db
from server.sandbox.models import Base
from server.sandbox.openapi_export import OPENAPI_FILE, openapi_text


def test_committed_openapi_json_is_current():
    assert OPENAPI_FILE.read_text(encoding="utf-8") == openapi_text(), (
        "server/sandbox/openapi.json is stale: run python -m server.sandbox.openapi_export"
    )


def test_openapi_documents_the_idempotency_header_on_side_effecting_posts():
    import json

    paths = json.loads(openapi_text())["paths"]
    issue_params = [p["name"] for p in paths["/api/v1/temp-id/issue"]["post"]["parameters"]]
    assert "Idempotency-Key" in issue_params


def test_migrations_create_exactly_the_models(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    db.upgrade(engine)
    db.upgrade(engine)  # idempotent
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []

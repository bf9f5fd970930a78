"""The fleet server application: `create_app(settings)` builds a FastAPI app over its own database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from server.fleet import routes_admin, routes_kiosk, routes_release
from server.fleet.db import FleetDatabase
from server.fleet.packages import default_package_dir, upgrade_release_tables
from server.fleet.settings import FleetSettings


def create_app(settings: FleetSettings | None = None) -> FastAPI:
    settings = settings or FleetSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = FleetDatabase(settings.db_url)
        db.create_tables()
        upgrade_release_tables(db.engine)
        app.state.db = db
        package_dir = Path(settings.package_dir) if settings.package_dir else default_package_dir(settings.db_url)
        app.state.package_dir = package_dir
        try:
            yield
        finally:
            db.dispose()

    app = FastAPI(title="Police kiosk fleet server", version="1", lifespan=lifespan)
    app.state.settings = settings
    app.include_router(routes_kiosk.router)
    app.include_router(routes_admin.router)
    app.include_router(routes_release.kiosk_router)
    app.include_router(routes_release.admin_router)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app

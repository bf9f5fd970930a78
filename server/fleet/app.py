"""The fleet server application: `create_app(settings)` builds a FastAPI app over its own database.

In front of the routes, outermost first: a rate limit per source address on the unauthenticated routes,
then a body size limit on every route (checked before anything parses the body). Errors of every kind
answer {"code", "message"} and never echo the input.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from server.fleet import routes_admin, routes_kiosk, routes_release
from server.fleet.db import FleetDatabase
from server.fleet.packages import default_package_dir, upgrade_release_tables
from server.fleet.settings import FleetSettings
from server.guard.bodylimit import BodyLimit
from server.guard.errors import install_error_handlers
from server.guard.files import secure_database_file
from server.guard.ratelimit import FailureLimiter, RateLimiter, RouteRateLimit

API = "/api/v1/"
KIOSK_SUFFIXES = ("/desired", "/inventory", "/heartbeat", "/reports")


def _is_kiosk_call(scope: dict) -> bool:
    path: str = scope["path"]
    if path == API + "enrol":
        return True
    if not path.startswith(API + "kiosks/") or not path.endswith(KIOSK_SUFFIXES):
        return False
    return not (path.endswith("/reports") and scope["method"] == "GET")  # GET .../reports is the admins'


def _has_bearer(scope: dict) -> bool:
    return any(name == b"authorization" and value[:7].lower() == b"bearer " for name, value in scope["headers"])


def body_limit_for(settings: FleetSettings):
    def limit(scope: dict) -> int:
        admin = scope["path"].startswith(API) and not _is_kiosk_call(scope) and _has_bearer(scope)
        return settings.admin_body_limit if admin else settings.kiosk_body_limit

    return limit


def classify(scope: dict) -> str | None:
    """Which rate limit applies: enrolment and the public paths; authenticated calls have failure limits."""
    path: str = scope["path"]
    if path == API + "enrol":
        return "enrol"
    return None if path.startswith(API) else "public"


def create_app(settings: FleetSettings | None = None) -> FastAPI:
    settings = settings or FleetSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        secure_database_file(settings.db_url, settings.file_group)
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
    app.state.login_failures = FailureLimiter(settings.login_failure_rate)
    install_error_handlers(app)
    app.include_router(routes_kiosk.router)
    app.include_router(routes_admin.router)
    app.include_router(routes_release.kiosk_router)
    app.include_router(routes_release.admin_router)
    app.add_middleware(BodyLimit, limit_for=body_limit_for(settings), read_timeout_s=settings.body_read_timeout_s)
    limiters = {"enrol": RateLimiter(settings.enrol_rate), "public": RateLimiter(settings.public_rate)}
    app.add_middleware(RouteRateLimit, classify=classify, limiters=limiters)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app

"""The sandbox police backend as a FastAPI app: /api/v1/... with the routers, errors and state wired."""

from __future__ import annotations

from fastapi import FastAPI

from contracts import API_PREFIX
from server.guard.bodylimit import BodyLimit
from server.guard.files import secure_database_file
from server.guard.ratelimit import RateLimiter, RouteRateLimit
from server.sandbox import access_log, db, idempotency, seed
from server.sandbox.errors import install_error_handlers
from server.sandbox.faults import FaultInjector
from server.sandbox.routes import (
    documents,
    endorsements,
    meta,
    payments,
    persons,
    public,
    records,
    sandbox,
    temp_id,
    traffic,
)
from server.sandbox.settings import SandboxSettings
from server.sandbox.state import SandboxState

DESCRIPTION = """Police-services backend of the smart police kiosk (sandbox implementation).

Kiosk calls carry `X-Kiosk-Id` and `X-Kiosk-Key`. Every side-effecting POST carries an `Idempotency-Key`:
the first successful answer is stored and replayed for the same key; the same key with other parameters
is refused (409); a missing key is refused (400). Queries that carry personal data are POSTs so that ID
numbers never appear in URLs. Errors are `{"code", "message"}` with stable codes and never echo the input.
Bodies are limited in size (413), unauthenticated routes are rate-limited per address (429), and so is a
source that keeps failing to authenticate.
"""
PUBLIC = (f"{API_PREFIX}/certificates/", f"{API_PREFIX}/health")  # the unauthenticated API routes
IMAGE_ROUTES = (f"{API_PREFIX}/persons/face-verify", f"{API_PREFIX}/admin/photos")


def classify(scope: dict) -> str | None:
    """The rate limit of an unauthenticated route (authenticated ones are limited by their failures)."""
    path: str = scope["path"]
    if path.startswith(f"{API_PREFIX}/sandbox/"):
        return "sandbox"
    return "public" if path.startswith(PUBLIC) or not path.startswith(f"{API_PREFIX}/") else None


def _guard(app: FastAPI, settings: SandboxSettings) -> None:
    def body_limit(scope: dict) -> int:
        return settings.image_body_limit if scope["path"] in IMAGE_ROUTES else settings.body_limit

    app.add_middleware(BodyLimit, limit_for=body_limit, read_timeout_s=settings.body_read_timeout_s)
    limiters = {"public": RateLimiter(settings.public_rate), "sandbox": RateLimiter(settings.sandbox_rate)}
    app.add_middleware(RouteRateLimit, classify=classify, limiters=limiters)


def create_app(settings: SandboxSettings, *, prepare_database: bool = True) -> FastAPI:
    """The app with its database migrated and seeded (unless prepare_database is False: schema export)."""
    if prepare_database:
        secure_database_file(settings.db_url, settings.file_group)
    engine = db.make_engine(settings.db_url)
    state = SandboxState(settings=settings, engine=engine, sessions=db.session_factory(engine))
    if prepare_database:
        prepare(state)
    app = FastAPI(title="Police kiosk backend", version=meta.VERSION, description=DESCRIPTION)
    app.state.sandbox = state
    access_log.install()  # verify URLs carry a signed payload with the citizen's name
    install_error_handlers(app)
    app.include_router(meta.router, prefix=API_PREFIX)
    for router in (persons.router, temp_id.router, records.router, records.public_router, traffic.router,
                   payments.router, documents.router, endorsements.router, sandbox.admin_router, public.api_router,
                   public.admin_router):  # fmt: skip
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(public.router)
    if settings.sandbox_mode:
        app.include_router(sandbox.sandbox_router, prefix=API_PREFIX)
    _guard(app, settings)
    return app


def prepare(state: SandboxState) -> None:
    db.upgrade(state.engine)
    with state.sessions() as session:
        idempotency.purge_expired(session, state.settings)
        if state.settings.seed_demo_data:
            seed.seed_demo(session, state.settings)
            session.flush()
        if state.settings.photo_dir is not None:
            seed.import_photos(session, state.settings.photo_dir)
        session.commit()


def asgi_app(app: FastAPI):
    """What uvicorn serves: in sandbox mode the app wrapped in the fault injector."""
    state: SandboxState = app.state.sandbox
    return FaultInjector(app, state.faults) if state.settings.sandbox_mode else app

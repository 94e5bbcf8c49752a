"""The web UI and HTTP API: FastAPI over the same library calls as the CLI.

``create_app`` only assembles the app: the page router (:mod:`.pages`) and the API router
(:mod:`.api`), with the store and the machinery they share (:class:`.shared.Web`) handed to every
route as a dependency, the security headers (:mod:`.guard`) and the error handlers.

Read-only unless a token is configured; then ``POST /api/documents`` ingests with
``Authorization: Bearer <token>``. Templates autoescape every stored text; the store only
runs parameterised SQL; errors reach the client as one line, never a stack trace.

What one request may cost is bounded: the token is checked before the body is read, the body's
size before it is parsed, extraction runs off the event loop one document at a time; pages that
take seconds to compute are computed once per data version of the store (see :mod:`.cache`) and
at most ``HEAVY_AT_ONCE`` at a time, beyond which clients get 503 with ``Retry-After``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from onrecord import ingest
from onrecord.analyse import bilingual, refresh
from onrecord.analyse import trace as tracing
from onrecord.errors import InputError, NotFoundError, OnrecordError
from onrecord.pipeline import default_extractor, extractor_version, process
from onrecord.store import Store, open_store
from onrecord.web import alerts, api, pages
from onrecord.web.cache import Busy, Gate, PageCache
from onrecord.web.guard import Hardening
from onrecord.web.highlight import colour_of
from onrecord.web.shared import MAX_BODY, MAX_TEXT, NewDocument, Web, safe_url

__all__ = ["INGEST_BUDGET", "MAX_BODY", "MAX_TEXT", "create_app", "safe_url"]

INGEST_BUDGET = 60.0  # seconds of extraction for one document over HTTP (the CLI's --doc-timeout is 300)
HEAVY_AT_ONCE = 2  # heavy computations at once (the machine's cores); more wait in line, then 503
LIGHT_AT_ONCE = 4  # light ones (searches, the home page), on their own line: never behind a heavy one
STALE_PATIENCE = 0.25  # seconds a reader waits for a page a write made stale, then gets it as it was
REDO_EVERY = 5.0  # seconds: while writes keep coming, a page is recomputed at most this often
log = logging.getLogger("onrecord.web")

HERE = files("onrecord.web")


def create_app(db: str, token: str | None = None) -> FastAPI:
    """The app over the database at ``db``; ``token`` enables ingest over HTTP."""
    store = open_store(db)
    # the dictionaries a cross-language trace aligns words with, read in the background while the server starts
    # (0.3-0.5 s from their cache, 60 MB), not by the first trace that needs them; only for a store that holds text
    # in Cyrillic, since the thread holds the interpreter from the first requests, which no trace in one language
    # repays
    if store.holds_language(tracing.CYRILLIC_LANGS):
        bilingual.warm()
    app = FastAPI(
        title="onrecord",
        summary="The record of what public figures say: documents, statements, speakers, topics.",
        version="0.1.0",
        docs_url=None,  # Swagger UI would load its scripts from a CDN; the schema is enough
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.add_middleware(Hardening)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(colour_of=colour_of, safe_url=safe_url)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    cache = PageCache(
        _version_of(store), 128_000_000, kept_error=NotFoundError, patience=STALE_PATIENCE, fresh_for=REDO_EVERY
    )
    web = Web(
        store=store,
        templates=templates,
        cache=cache,
        heavy=Gate(HEAVY_AT_ONCE, waiting=64, wait=20.0),
        # light work (a search, the home page) is quick but not free: a few at a time, so that twenty
        # at once neither starve the event loop of the interpreter lock nor drain the connection pool
        light=Gate(LIGHT_AT_ONCE, waiting=128, wait=20.0),
        documents=Gate(HEAVY_AT_ONCE, waiting=128, wait=20.0),  # a line of their own: many, each its size
        ingesting=Gate(1, waiting=4, wait=60.0),  # one extraction at a time: CPU and the spaCy pipeline
        ingest=lambda target, new: _ingest(target, new),  # looked up when called (tests replace ``process``)
        token=token,
    )
    app.state.web, app.state.store, app.state.cache = web, store, cache
    app.state.heavy, app.state.light, app.state.ingesting, app.state.documents = (
        web.heavy, web.light, web.ingesting, web.documents,
    )  # fmt: skip
    _errors(app, web)
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(alerts.router)  # /alerts, /alerts.atom, /api/alerts, /api/sources
    return app


def _errors(app: FastAPI, web: Web) -> None:
    """Errors: one line, the right status, never a trace; JSON under /api/, a page elsewhere."""

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # Starlette names only the first matching route's methods
            headers["Allow"] = ", ".join(sorted(_methods(app, request.scope)))
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, exc.status_code, headers=headers)
        return web.page(request, "error.html", exc.status_code, headers=headers, message=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
        if wants_json(request):  # the shape FastAPI documents in the OpenAPI schema
            return JSONResponse(
                {
                    "detail": [
                        {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
                        for e in exc.errors()
                    ]
                },
                422,
            )
        return web.page(request, "error.html", 422, message=message)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, 404)
        return web.page(request, "error.html", 404, message=str(exc))

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy) -> Response:
        headers = {"Retry-After": str(exc.retry_after)}
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, 503, headers=headers)
        return web.page(request, "error.html", 503, headers=headers, message=str(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        if wants_json(request):
            return JSONResponse({"detail": "internal error; see the server log"}, 500)
        return web.page(request, "error.html", 500, message="internal error; see the server log")


def _methods(app: FastAPI, scope: dict[str, Any]) -> set[str]:
    """Every method some route serves at this path (also the routes of included routers)."""
    from starlette.routing import Match

    def walk(routes: Any) -> set[str]:
        methods: set[str] = set()
        for route in routes:
            inner = getattr(route, "original_router", None)  # an included router, kept whole
            if inner is not None:
                methods |= walk(inner.routes)
                continue
            match, _ = route.matches({**scope, "method": "GET"})
            if match != Match.NONE:
                methods |= getattr(route, "methods", None) or set()
        return methods

    methods = walk(app.router.routes)
    return methods | {"HEAD"} if "GET" in methods else methods  # HEAD is served wherever GET is


def _version_of(store: Store) -> Callable[[], int]:
    """The store's data version, which every committed write moves (a store without one: a new
    number each time, so nothing is ever served from the cache)."""
    version = getattr(store, "data_version", None)
    if version is not None:
        return version  # type: ignore[no-any-return]
    counter = iter(range(1, 2**62))
    return lambda: next(counter)


def _ingest(store: Store, new: NewDocument) -> dict[str, Any]:
    """Extract, store and link one document (in a worker thread; the gate lets one run at a time)."""
    try:
        document = ingest.from_text(
            new.text, title=new.title, date=new.date, outlet=new.outlet, author=new.author, url=new.url
        )
    except InputError as exc:
        raise HTTPException(422, exc.problem) from None
    extractor = default_extractor()
    item = next(process([document], extractor, budget=INGEST_BUDGET))  # a runaway ends as a one-line 422
    if item.error:
        raise HTTPException(422, item.error)
    try:
        doc_id = store.add(item.document, item.statements, extractor_version(item.document.lang))
    except OnrecordError as exc:
        raise HTTPException(503, str(exc)) from None
    if doc_id is not None:
        refresh(store)
    return {"id": doc_id, "added": doc_id is not None, "statements": len(item.statements)}

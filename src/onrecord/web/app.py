"""The web UI and HTTP API: FastAPI over the same library calls as the CLI.

Read-only unless a token is configured; then ``POST /api/documents`` ingests with
``Authorization: Bearer <token>``. Templates autoescape every stored text; the store only
runs parameterised SQL; errors reach the client as one line, never a stack trace.
"""

from __future__ import annotations

import hmac
import io
import logging
from collections import Counter, defaultdict
from importlib.resources import files
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from onrecord import ingest
from onrecord.analyse import brief as briefs
from onrecord.analyse import identities, refresh, topics
from onrecord.analyse import shifts as position_shifts
from onrecord.analyse import timeline as timelines
from onrecord.analyse import trace as tracing
from onrecord.errors import InputError, NotFoundError, OnrecordError
from onrecord.pipeline import default_extractor, process
from onrecord.store import Query as StatementQuery
from onrecord.store import Store, open_store
from onrecord.web.highlight import colour_of, highlight

PAGE_SIZE = 50
MAX_BODY = 5_000_000  # bytes of text accepted by POST /api/documents
SHIFT_WINDOW = 400  # the speaker page looks for shifts in the latest statements only
log = logging.getLogger("onrecord.web")

HERE = files("onrecord.web")


class NewDocument(BaseModel):
    """A document to ingest over HTTP."""

    text: str = Field(min_length=1, max_length=MAX_BODY)
    title: str | None = Field(default=None, max_length=1000)
    date: str | None = Field(default=None, max_length=40)
    outlet: str | None = Field(default=None, max_length=300)
    author: str | None = Field(default=None, max_length=300)
    url: str | None = Field(default=None, max_length=2000)


class Problem(BaseModel):
    """What went wrong, in one line."""

    detail: str


DocId = Annotated[int, Path(ge=1, le=2**62, description="A document's id")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "Not found"}}


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are shown as links; ``javascript:`` and the like are shown as text."""
    return url if url and urlsplit(url).scheme in {"http", "https"} else None


def create_app(db: str, token: str | None = None) -> FastAPI:
    """The app over the database at ``db``; ``token`` enables ingest over HTTP."""
    store = open_store(db)
    app = FastAPI(
        title="onrecord",
        summary="The record of what public figures say: documents, statements, speakers, topics.",
        version="0.1.0",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.store = store
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(colour_of=colour_of, safe_url=safe_url)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    # -- errors: one line, the right status, never a trace -------------------------------------
    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # Starlette names only the first matching route's methods
            headers["Allow"] = ", ".join(sorted(_methods(app, request.scope)))
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, exc.status_code, headers=headers)
        return page(request, "error.html", exc.status_code, message=str(exc.detail))

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
        return page(request, "error.html", 422, message=message)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, 404)
        return page(request, "error.html", 404, message=str(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        if wants_json(request):
            return JSONResponse({"detail": "internal error; see the server log"}, 500)
        return page(request, "error.html", 500, message="internal error; see the server log")

    # -- pages ---------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        return page(
            request,
            "home.html",
            documents=store.documents(limit=12, newest_first=True),
            speakers=store.speakers(limit=12),
            topics=store.topic_counts()[:12],
        )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: Annotated[str, Query(max_length=500)] = "",
        speaker: Annotated[str, Query(max_length=300)] = "",
        topic: Annotated[str, Query(max_length=100)] = "",
        kind: Annotated[str, Query(max_length=20)] = "",
        outlet: Annotated[str, Query(max_length=300)] = "",
        since: Annotated[str, Query(max_length=10)] = "",
        until: Annotated[str, Query(max_length=10)] = "",
        page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    ) -> HTMLResponse:
        query = StatementQuery(
            search=q or None,
            speaker=speaker or None,
            topic=topic or None,
            kind=kind or None,
            outlet=outlet or None,
            since=since or None,
            until=until or None,
            limit=PAGE_SIZE + 1,
            offset=(page_number - 1) * PAGE_SIZE,
        )
        found = store.statements(query)
        return page(
            request,
            "search.html",
            results=found[:PAGE_SIZE],
            more=len(found) > PAGE_SIZE,
            page=page_number,
            form={
                "q": q,
                "speaker": speaker,
                "topic": topic,
                "kind": kind,
                "outlet": outlet,
                "since": since,
                "until": until,
            },
            topics=[t.name for t in topics.load_taxonomy().topics],
        )

    @app.get("/speakers/{name}", response_class=HTMLResponse, include_in_schema=False)
    def speaker_page(request: Request, name: str) -> HTMLResponse:
        info = _speaker(store, name)
        line = timelines.timeline(store, info.name)
        found = position_shifts.speaker_shifts(store, info.name, latest=SHIFT_WINDOW)
        return page(request, "speaker.html", info=info, timeline=line, shifts=found)

    @app.get("/speakers/{name}/chart.svg", include_in_schema=False)
    def speaker_chart(name: str) -> Response:
        info = _speaker(store, name)
        buffer = io.StringIO()
        timelines.plot(timelines.timeline(store, info.name), buffer)
        return Response(
            buffer.getvalue(), media_type="image/svg+xml", headers={"Content-Security-Policy": "script-src 'none'"}
        )

    @app.get("/topics/{name}", response_class=HTMLResponse, include_in_schema=False)
    def topic_page(request: Request, name: str) -> HTMLResponse:
        records = store.statements(StatementQuery(topic=name))
        if not records:
            raise NotFoundError(f"no statements on the topic {name!r}")
        by_speaker: dict[str, Counter[str]] = defaultdict(Counter)
        for r in records:
            by_speaker[r.identity or r.statement.speaker or "unattributed"][(r.document.date or "undated")[:7]] += 1
        active = sorted(by_speaker, key=lambda s: -sum(by_speaker[s].values()))[:15]
        months = sorted({m for s in active for m in by_speaker[s]})
        return page(
            request,
            "topic.html",
            topic=name,
            active=[(s, sum(by_speaker[s].values()), [by_speaker[s].get(m, 0) for m in months]) for s in active],
            months=months,
            latest=records[-30:][::-1],
        )

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: DocId) -> HTMLResponse:
        document, info, found = store.document(doc_id)
        records = {r.statement.index: r for r in store.statements(StatementQuery(document_id=info.id))}
        pairs = [(s, records[s.index].identity if s.index in records else None) for s in found]
        return page(
            request,
            "document.html",
            document=document,
            info=info,
            body=highlight(document.text, pairs),
            statements=pairs,
            records=records,
        )

    @app.get("/documents/{doc_id}/trace", response_class=HTMLResponse, include_in_schema=False)
    def trace_page(request: Request, doc_id: DocId) -> HTMLResponse:
        document, info, found = store.document(doc_id)
        traces = tracing.trace_document(store, document, found)
        return page(request, "trace.html", info=info, table=Markup(tracing.to_html(traces)), css=tracing.TRACE_CSS)

    @app.get("/brief", response_class=HTMLResponse, include_in_schema=False)
    def brief_page(
        request: Request,
        speaker: Annotated[str | None, Query(max_length=300)] = None,
        doc: Annotated[str | None, Query(max_length=300)] = None,
        since: Annotated[str | None, Query(max_length=10)] = None,
    ) -> HTMLResponse:
        made = briefs.brief(store, speaker=speaker, document=doc, since=since)
        body = Markup(briefs.to_html(made, standalone=False, links=True))  # escaped piece by piece inside
        return page(request, "brief.html", title=made.title, body=body)

    # -- API -------------------------------------------------------------------------------------
    @app.get("/api/documents", tags=["documents"])
    def api_documents(limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
        """Documents, newest first, without their text."""
        return [_document_dict(d) for d in store.documents(limit=limit, newest_first=True)]

    @app.get("/api/documents/{doc_id}", responses=NOT_FOUND, tags=["documents"])
    def api_document(doc_id: DocId) -> dict[str, Any]:
        """A document with its text and statements (the CLI's statement contract)."""
        document, info, found = store.document(doc_id)
        return {**_document_dict(info), "text": document.text, "statements": [s.to_dict() for s in found]}

    @app.post(
        "/api/documents",
        tags=["documents"],
        status_code=201,
        responses={
            401: {"model": Problem, "description": "Missing or wrong token"},
            403: {"model": Problem, "description": "The server is read-only"},
            503: {"model": Problem, "description": "The database cannot be written"},
        },
    )
    def api_ingest(
        new: NewDocument,
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        """Ingest one document (needs ``Authorization: Bearer <token>``; the server is read-only without a token)."""
        if token is None:
            raise HTTPException(403, "this server is read-only: start it with --token to allow ingest")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "missing or wrong token", headers={"WWW-Authenticate": "Bearer"})
        try:
            document = ingest.from_text(
                new.text, title=new.title, date=new.date, outlet=new.outlet, author=new.author, url=new.url
            )
        except InputError as exc:
            raise HTTPException(422, exc.problem) from None
        item = next(process([document], default_extractor()))
        if item.error:
            raise HTTPException(422, item.error)
        try:
            doc_id = store.add(item.document, item.statements, default_extractor().version)
        except OnrecordError as exc:
            raise HTTPException(503, str(exc)) from None
        if doc_id is not None:
            refresh(store)
        return {"id": doc_id, "added": doc_id is not None, "statements": len(item.statements)}

    @app.get("/api/documents/{doc_id}/trace", responses=NOT_FOUND, tags=["documents"])
    def api_trace(doc_id: DocId) -> dict[str, Any]:
        """Each attributed statement traced to the speaker's own words in the stored transcripts."""
        document, info, found = store.document(doc_id)
        return {"document_id": info.id, "traces": [t.to_dict() for t in tracing.trace_document(store, document, found)]}

    @app.get("/api/statements", tags=["statements"])
    def api_statements(
        q: Annotated[str | None, Query(max_length=500, description="Full-text search")] = None,
        speaker: Annotated[str | None, Query(max_length=300)] = None,
        topic: Annotated[str | None, Query(max_length=100)] = None,
        kind: Annotated[str | None, Query(max_length=20)] = None,
        outlet: Annotated[str | None, Query(max_length=300)] = None,
        since: Annotated[str | None, Query(max_length=10)] = None,
        until: Annotated[str | None, Query(max_length=10)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> list[dict[str, Any]]:
        """Statements with their document's metadata, speaker identity and topics."""
        query = StatementQuery(
            search=q, speaker=speaker, topic=topic, kind=kind, outlet=outlet, since=since, until=until,
            limit=limit, offset=offset,
        )  # fmt: skip
        return [r.to_dict() for r in store.statements(query)]

    @app.get("/api/search", tags=["statements"])
    def api_search(
        q: Annotated[str, Query(min_length=1, max_length=500)],
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        """Full-text search over statements."""
        return [r.to_dict() for r in store.statements(StatementQuery(search=q, limit=limit))]

    @app.get("/api/speakers", tags=["speakers"])
    def api_speakers(limit: Annotated[int, Query(ge=1, le=10_000)] = 100) -> list[dict[str, Any]]:
        """Speakers across documents, most active first."""
        return [s.to_dict() for s in identities.speakers(store, limit)]

    @app.get("/api/speakers/{name}", responses=NOT_FOUND, tags=["speakers"])
    def api_speaker(name: str) -> dict[str, Any]:
        return _speaker(store, name).to_dict()

    @app.get("/api/topics", tags=["topics"])
    def api_topics() -> list[dict[str, Any]]:
        """The taxonomy's topics with their statement and speaker counts."""
        counts = {t: (n, s) for t, n, s in store.topic_counts()}
        return [
            {"topic": t.name, "description": t.description, "statements": counts.get(t.name, (0, 0))[0],
             "speakers": counts.get(t.name, (0, 0))[1]}
            for t in topics.load_taxonomy().topics
        ]  # fmt: skip

    @app.get("/api/timeline/{name}", responses=NOT_FOUND, tags=["speakers"])
    def api_timeline(
        name: str,
        topic: Annotated[str | None, Query(max_length=100)] = None,
    ) -> dict[str, Any]:
        """A speaker's statements grouped by topic, and counts per topic per month."""
        info = _speaker(store, name)
        line = timelines.timeline(store, info.name, topic=topic)
        months, series = line.monthly(top=50)
        return {
            "speaker": info.name,
            "months": months,
            "counts": series,
            "topics": {t: [r.to_dict() for r in records] for t, records in line.by_topic.items()},
        }

    @app.get("/api/shifts", responses=NOT_FOUND, tags=["speakers"])
    def api_shifts(
        speaker: Annotated[str, Query(min_length=1, max_length=300)],
        topic: Annotated[str | None, Query(max_length=100)] = None,
        since: Annotated[str | None, Query(max_length=10)] = None,
    ) -> list[dict[str, Any]]:
        """Shifts in a speaker's positions, each with its evidence."""
        info = _speaker(store, speaker)
        found = position_shifts.speaker_shifts(store, info.name, topic=topic, since=since, latest=SHIFT_WINDOW)
        return [s.to_dict() for s in found]

    return app


def _methods(app: FastAPI, scope: dict[str, Any]) -> set[str]:
    """Every method some route serves at this path."""
    from starlette.routing import Match

    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches({**scope, "method": "GET"})
        if match != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return methods - {"HEAD"}


def _speaker(store: Store, name: str):  # type: ignore[no-untyped-def]
    found = identities.speakers(store, name=name)
    if not found:
        raise NotFoundError(f"no speaker {name!r}")
    return found[0]


def _document_dict(d) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "id": d.id, "source": d.source, "title": d.title, "date": d.date, "outlet": d.outlet, "author": d.author,
        "url": d.url, "genre": d.genre, "statements": d.statements,
    }  # fmt: skip

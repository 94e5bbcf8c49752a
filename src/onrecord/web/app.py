"""The web UI and HTTP API: FastAPI over the same library calls as the CLI.

Read-only unless a token is configured; then ``POST /api/documents`` ingests with
``Authorization: Bearer <token>``. Templates autoescape every stored text; the store only
runs parameterised SQL; errors reach the client as one line, never a stack trace.

What one request may cost is bounded: the token is checked before the body is read, the body's
size before it is parsed, extraction runs off the event loop one document at a time; pages that
take seconds to compute are computed once per data version of the store (see :mod:`.cache`) and
at most ``HEAVY_AT_ONCE`` at a time, beyond which clients get 503 with ``Retry-After``.
"""

from __future__ import annotations

import hmac
import io
import json
import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import lru_cache
from importlib.resources import files
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from pydantic import BaseModel, Field, ValidationError, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from onrecord import ingest
from onrecord.analyse import brief as briefs
from onrecord.analyse import identities, refresh, topics
from onrecord.analyse import shifts as position_shifts
from onrecord.analyse import timeline as timelines
from onrecord.analyse import trace as tracing
from onrecord.errors import InputError, NotFoundError, OnrecordError
from onrecord.model import ACTS, DEFAULT_ACTS, StoredStatement, parse_acts
from onrecord.pipeline import default_extractor, process
from onrecord.store import Query as StatementQuery
from onrecord.store import Store, open_store
from onrecord.web.cache import Busy, Gate, PageCache, in_daemon_thread
from onrecord.web.guard import Hardening
from onrecord.web.highlight import colour_of, highlight

PAGE_SIZE = 50
# POST /api/documents: longer texts go through `onrecord ingest` (whose limit is 20 MB), not the API.
MAX_TEXT = 500_000  # characters of text
MAX_BODY = 4 * MAX_TEXT + 65_536  # bytes of JSON: the text (escaped, any script) and its metadata
INGEST_BUDGET = 60.0  # seconds of extraction for one document over HTTP (the CLI's --doc-timeout is 300)
HEAVY_AT_ONCE = 2  # heavy computations at once (the machine's cores); more wait in line, then 503
LIGHT_AT_ONCE = 4  # light ones (searches, the home page), on their own line: never behind a heavy one
STALE_PATIENCE = 0.25  # seconds a reader waits for a page a write made stale, then gets it as it was
REDO_EVERY = 5.0  # seconds: while writes keep coming, a page is recomputed at most this often
SHIFT_WINDOW = 400  # the speaker page looks for shifts in the latest statements only
log = logging.getLogger("onrecord.web")

HERE = files("onrecord.web")


class NewDocument(BaseModel):
    """A document to ingest over HTTP."""

    text: str = Field(min_length=1, max_length=MAX_TEXT)
    title: str | None = Field(default=None, max_length=1000)
    date: str | None = Field(default=None, max_length=40)
    outlet: str | None = Field(default=None, max_length=300)
    author: str | None = Field(default=None, max_length=300)
    url: str | None = Field(default=None, max_length=2000)

    @field_validator("text")
    @classmethod
    def _has_words(cls, text: str) -> str:
        if not text.strip():  # also Unicode spaces: nothing to extract, nothing to store
            raise ValueError("text is empty or only whitespace")
        return text


class Problem(BaseModel):
    """What went wrong, in one line."""

    detail: str


DocId = Annotated[int, Path(ge=1, le=2**62, description="A document's id")]
Acts = Annotated[
    str,
    Query(
        max_length=60,
        # in the schema too, so a client (and a schema-driven test) knows which values are valid
        pattern=f"^(?:{'|'.join(('all', *ACTS))})(?:,(?:{'|'.join(('all', *ACTS))}))*$",
        description="What the cues report: say (the default), think, intend, show, several comma-separated, "
        "or all. The writer's own voice (kind author) is always included.",
    ),
]


def _acts(value: str) -> tuple[str, ...] | None:
    """The ``acts`` parameter as the library's filter; an unknown act is a 422 like any bad parameter."""
    try:
        return parse_acts(value)
    except ValueError as exc:
        raise RequestValidationError([{"loc": ("query", "acts"), "msg": str(exc), "type": "value_error"}]) from None


# the languages statements can be filtered by: ``onrecord.ingest.LANGUAGES`` (a test keeps them equal)
Language = Literal["en", "ru"]


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
        docs_url=None,  # Swagger UI would load its scripts from a CDN; the schema is enough
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.add_middleware(Hardening)
    app.state.store = store
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(colour_of=colour_of, safe_url=safe_url)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    cache = PageCache(
        _version_of(store), 128_000_000, kept_error=NotFoundError, patience=STALE_PATIENCE, fresh_for=REDO_EVERY
    )
    heavy = Gate(HEAVY_AT_ONCE, waiting=64, wait=20.0)
    # light work (a search, the home page) is quick but not free: a few at a time, so that twenty
    # at once neither starve the event loop of the interpreter lock nor drain the connection pool
    light = Gate(LIGHT_AT_ONCE, waiting=128, wait=20.0)
    documents = Gate(HEAVY_AT_ONCE, waiting=128, wait=20.0)  # a line of their own: many, each its size
    ingesting = Gate(1, waiting=4, wait=60.0)  # one extraction at a time: CPU and the spaCy pipeline
    app.state.cache, app.state.heavy, app.state.light, app.state.ingesting = cache, heavy, light, ingesting
    app.state.documents = documents

    @lru_cache(maxsize=1)
    def taxonomy() -> topics.Taxonomy:
        return topics.load_taxonomy()  # a file of the package: read once, not on every page

    def page(
        request: Request, name: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any
    ) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status, headers=headers)

    def render(name: str, **context: Any) -> str:
        return templates.get_template(name).render(context)

    async def cached_page(
        key: tuple[Any, ...], compute: Callable[[], str], *, gate: Gate | None = None
    ) -> HTMLResponse:
        # kept as bytes: a hit is sent as it is, not encoded again
        return HTMLResponse(await cache.get(key, lambda: compute().encode(), gate=gate or heavy))

    async def cached_json(key: tuple[Any, ...], compute: Callable[[], Any], *, gate: Gate | None = None) -> Response:
        body = await cache.get(key, lambda: _json(compute()), gate=gate or heavy)
        return Response(body, media_type="application/json")

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
        return page(request, "error.html", exc.status_code, headers=headers, message=str(exc.detail))

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

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy) -> Response:
        headers = {"Retry-After": str(exc.retry_after)}
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, 503, headers=headers)
        return page(request, "error.html", 503, headers=headers, message=str(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        if wants_json(request):
            return JSONResponse({"detail": "internal error; see the server log"}, 500)
        return page(request, "error.html", 500, message="internal error; see the server log")

    # -- pages: each computed once per data version of the store -------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home() -> HTMLResponse:
        return await cached_page(
            ("home",),
            lambda: render(
                "home.html",
                documents=store.documents(limit=12, newest_first=True),
                speakers=store.speakers(limit=12),
                topics=store.topic_counts()[:12],
            ),
            gate=light,
        )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    async def search_page(
        q: Annotated[str, Query(max_length=500)] = "",
        speaker: Annotated[str, Query(max_length=300)] = "",
        topic: Annotated[str, Query(max_length=100)] = "",
        kind: Annotated[str, Query(max_length=20)] = "",
        outlet: Annotated[str, Query(max_length=300)] = "",
        since: Annotated[str, Query(max_length=10)] = "",
        until: Annotated[str, Query(max_length=10)] = "",
        page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
        acts: Acts = "say",
    ) -> HTMLResponse:
        chosen = _acts(acts)
        form = {
            "q": q,
            "speaker": speaker,
            "topic": topic,
            "kind": kind,
            "outlet": outlet,
            "since": since,
            "until": until,
            "acts": "all" if chosen is None else ",".join(chosen),
        }

        def compute() -> str:
            query = StatementQuery(
                **{k: v or None for k, v in form.items() if k not in {"q", "acts"}},
                search=q or None,
                acts=chosen,
                limit=PAGE_SIZE + 1,
                offset=(page_number - 1) * PAGE_SIZE,
            )
            found = store.statements(query)
            return render(
                "search.html",
                results=found[:PAGE_SIZE],
                more=len(found) > PAGE_SIZE,
                page=page_number,
                form=form,
                topics=[t.name for t in taxonomy().topics],
            )

        return await cached_page(("search", *form.values(), page_number), compute, gate=light)

    @app.get("/speakers/{name}", response_class=HTMLResponse, include_in_schema=False)
    async def speaker_page(name: Annotated[str, Path(max_length=300)]) -> HTMLResponse:
        read = await speaker_statements(name)

        def compute() -> str:
            info = _speaker(store, name)
            line = timelines.timeline(read, info.name)
            found = position_shifts.speaker_shifts(read, info.name, latest=SHIFT_WINDOW)
            return render("speaker.html", info=info, timeline=line, shifts=found)

        return await cached_page(("speaker", name), compute)

    async def speaker_statements(name: str) -> _ReadOnce:
        """The store, with a speaker's statements read once for the page, its chart and its shifts
        (reading a busy speaker's thousands of statements is the slow part of all three)."""
        query = StatementQuery(identity=name, acts=DEFAULT_ACTS)  # what the timeline and the shifts ask for

        def compute() -> list[StoredStatement]:
            return store.statements(StatementQuery(identity=_speaker(store, name).name, acts=DEFAULT_ACTS))

        records = await cache.get(("statements of", name), compute, gate=heavy, size=lambda r: 2000 * len(r) + 100)
        return _ReadOnce(store, {query: records})

    @app.get("/speakers/{name}/chart.svg", include_in_schema=False)
    async def speaker_chart(name: Annotated[str, Path(max_length=300)]) -> Response:
        read = await speaker_statements(name)

        def compute() -> str:
            buffer = io.StringIO()
            timelines.plot(timelines.timeline(read, name), buffer)
            return buffer.getvalue()

        svg = await cache.get(("chart", name), compute, gate=heavy)
        # no script in a drawing; its own inline style is all it may use
        policy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
        return Response(svg, media_type="image/svg+xml", headers={"Content-Security-Policy": policy})

    @app.get("/topics/{name}", response_class=HTMLResponse, include_in_schema=False)
    async def topic_page(name: Annotated[str, Path(max_length=100)]) -> HTMLResponse:
        def compute() -> str:
            records = store.statements(StatementQuery(topic=name, acts=DEFAULT_ACTS))
            if not records:
                raise NotFoundError(f"no statements on the topic {name!r}")
            by_speaker: dict[str, Counter[str]] = defaultdict(Counter)
            for r in records:
                by_speaker[r.identity or r.statement.speaker or "unattributed"][(r.document.date or "undated")[:7]] += 1
            active = sorted(by_speaker, key=lambda s: -sum(by_speaker[s].values()))[:15]
            months = sorted({m for s in active for m in by_speaker[s]})
            rows = [(s, sum(by_speaker[s].values()), [by_speaker[s].get(m, 0) for m in months]) for s in active]
            peak = max((n for _, _, counts in rows for n in counts), default=1) or 1
            return render(
                "topic.html",
                topic=name,
                # the heat of a cell as a class l0..l10 (a style attribute would need 'unsafe-inline')
                active=[(s, total, [(n, round(10 * n / peak)) for n in counts]) for s, total, counts in rows],
                months=months,
                latest=records[-30:][::-1],
            )

        return await cached_page(("topic", name), compute)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    async def document_page(doc_id: DocId) -> HTMLResponse:
        def compute() -> str:
            document, info, found = store.document(doc_id)
            records = {r.statement.index: r for r in store.statements(StatementQuery(document_id=info.id))}
            pairs = [(s, records[s.index].identity if s.index in records else None) for s in found]
            return render(
                "document.html",
                document=document,
                info=info,
                body=highlight(document.text, pairs),
                statements=pairs,
                records=records,
            )

        return await cached_page(("document", doc_id), compute, gate=documents)

    @app.get("/documents/{doc_id}/trace", response_class=HTMLResponse, include_in_schema=False)
    async def trace_page(doc_id: DocId) -> HTMLResponse:
        def compute() -> str:
            document, info, found = store.document(doc_id)
            traces = tracing.trace_document(store, document, found)
            return render("trace.html", info=info, table=Markup(tracing.to_html(traces)))

        return await cached_page(("trace", doc_id), compute)

    @app.get("/trace.css", include_in_schema=False)
    def trace_css() -> Response:
        # the trace table's style, as a file: the pages' policy allows no inline style
        return Response(tracing.TRACE_CSS, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    @app.get("/brief", response_class=HTMLResponse, include_in_schema=False)
    async def brief_page(
        speaker: Annotated[str | None, Query(max_length=300)] = None,
        doc: Annotated[str | None, Query(max_length=300)] = None,
        since: Annotated[str | None, Query(max_length=10)] = None,
    ) -> HTMLResponse:
        def compute() -> str:
            made = briefs.brief(store, speaker=speaker, document=doc, since=since)
            body = Markup(briefs.to_html(made, standalone=False, links=True))  # escaped piece by piece inside
            return render("brief.html", title=made.title, body=body)

        return await cached_page(("brief", speaker, doc, since), compute)

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
        response_model=dict[str, Any],
        responses={
            401: {"model": Problem, "description": "Missing or wrong token"},
            403: {"model": Problem, "description": "The server is read-only"},
            413: {"model": Problem, "description": f"The text is over {MAX_TEXT:,} characters"},
            503: {"model": Problem, "description": "The database cannot be written, or the server is busy"},
        },
        # the body is read by hand (after the token is checked); the schema still says what it is
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": NewDocument.model_json_schema()}},
            }
        },
    )
    async def api_ingest(request: Request, authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
        """Ingest one document (needs ``Authorization: Bearer <token>``; the server is read-only without a token).
        Texts of up to 500,000 characters; longer ones go through ``onrecord ingest``."""
        _authorise(token, authorization)  # before anything of the body is read
        new = _new_document(await _read_body(request))

        async def work() -> dict[str, Any]:
            if await request.is_disconnected():  # the client left while in line: no work for nobody
                raise HTTPException(499, "the client went away")
            return await in_daemon_thread(lambda: _ingest(store, new))

        result = await ingesting.run(work)
        cache.written(await cache.current_version())  # this client's next page shows what it wrote
        return JSONResponse(result, 201)

    @app.get("/api/documents/{doc_id}/trace", responses=NOT_FOUND, tags=["documents"], response_model=dict[str, Any])
    async def api_trace(doc_id: DocId, acts: Acts = "say") -> Response:
        """Each attributed statement traced to the speaker's own words in the stored transcripts."""
        chosen = _acts(acts)

        def compute() -> dict[str, Any]:
            document, info, found = store.document(doc_id)
            traces = tracing.trace_document(store, document, found, acts=chosen)
            return {"document_id": info.id, "traces": [t.to_dict() for t in traces]}

        return await cached_json(("api trace", doc_id, chosen), compute)

    @app.get("/api/statements", tags=["statements"], response_model=list[dict[str, Any]])
    async def api_statements(
        q: Annotated[str | None, Query(max_length=500, description="Full-text search")] = None,
        speaker: Annotated[str | None, Query(max_length=300)] = None,
        topic: Annotated[str | None, Query(max_length=100)] = None,
        kind: Annotated[str | None, Query(max_length=20)] = None,
        outlet: Annotated[str | None, Query(max_length=300)] = None,
        since: Annotated[str | None, Query(max_length=10)] = None,
        until: Annotated[str | None, Query(max_length=10)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
        acts: Acts = "say",
        lang: Annotated[Language | None, Query(description="Document language")] = None,
    ) -> Response:
        """Statements with their document's metadata, speaker identity and topics."""
        query = StatementQuery(
            search=q, speaker=speaker, topic=topic, kind=kind, outlet=outlet, since=since, until=until,
            acts=_acts(acts), limit=limit, offset=offset, lang=lang,
        )  # fmt: skip
        return await cached_json(
            ("api statements", query), lambda: [r.to_dict() for r in store.statements(query)], gate=light
        )

    @app.get("/api/search", tags=["statements"], response_model=list[dict[str, Any]])
    async def api_search(
        q: Annotated[str, Query(min_length=1, max_length=500)],
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        acts: Acts = "say",
    ) -> Response:
        """Full-text search over statements."""
        query = StatementQuery(search=q, acts=_acts(acts), limit=limit)
        return await cached_json(
            ("api statements", query), lambda: [r.to_dict() for r in store.statements(query)], gate=light
        )

    @app.get("/api/speakers", tags=["speakers"])
    def api_speakers(limit: Annotated[int, Query(ge=1, le=10_000)] = 100) -> list[dict[str, Any]]:
        """Speakers across documents, most active first."""
        return [s.to_dict() for s in identities.speakers(store, limit)]

    @app.get("/api/speakers/{name}", responses=NOT_FOUND, tags=["speakers"])
    def api_speaker(name: Annotated[str, Path(max_length=300)]) -> dict[str, Any]:
        return _speaker(store, name).to_dict()

    @app.get("/api/topics", tags=["topics"])
    def api_topics() -> list[dict[str, Any]]:
        """The taxonomy's topics with their statement and speaker counts."""
        counts = {t: (n, s) for t, n, s in store.topic_counts()}
        return [
            {"topic": t.name, "description": t.description, "statements": counts.get(t.name, (0, 0))[0],
             "speakers": counts.get(t.name, (0, 0))[1]}
            for t in taxonomy().topics
        ]  # fmt: skip

    @app.get("/api/timeline/{name}", responses=NOT_FOUND, tags=["speakers"], response_model=dict[str, Any])
    async def api_timeline(
        name: Annotated[str, Path(max_length=300)],
        topic: Annotated[str | None, Query(max_length=100)] = None,
        acts: Acts = "say",
    ) -> Response:
        """A speaker's statements grouped by topic, and counts per topic per month."""
        chosen = _acts(acts)

        def compute() -> dict[str, Any]:
            info = _speaker(store, name)
            line = timelines.timeline(store, info.name, topic=topic, acts=chosen)
            months, series = line.monthly(top=50)
            return {
                "speaker": info.name,
                "months": months,
                "counts": series,
                "topics": {t: [r.to_dict() for r in records] for t, records in line.by_topic.items()},
            }

        return await cached_json(("api timeline", name, topic, chosen), compute)

    @app.get("/api/shifts", responses=NOT_FOUND, tags=["speakers"], response_model=list[dict[str, Any]])
    async def api_shifts(
        speaker: Annotated[str, Query(min_length=1, max_length=300)],
        topic: Annotated[str | None, Query(max_length=100)] = None,
        since: Annotated[str | None, Query(max_length=10)] = None,
        acts: Acts = "say",
    ) -> Response:
        """Shifts in a speaker's positions, each with its evidence."""
        chosen = _acts(acts)

        def compute() -> list[dict[str, Any]]:
            info = _speaker(store, speaker)
            found = position_shifts.speaker_shifts(
                store, info.name, topic=topic, since=since, latest=SHIFT_WINDOW, acts=chosen
            )
            return [s.to_dict() for s in found]

        return await cached_json(("api shifts", speaker, topic, since, chosen), compute)

    return app


def _methods(app: FastAPI, scope: dict[str, Any]) -> set[str]:
    """Every method some route serves at this path."""
    from starlette.routing import Match

    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches({**scope, "method": "GET"})
        if match != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return methods | {"HEAD"} if "GET" in methods else methods  # HEAD is served wherever GET is


def _speaker(store: Store, name: str):  # type: ignore[no-untyped-def]
    found = identities.speakers(store, name=name)
    if not found:
        raise NotFoundError(f"no speaker {name!r}")
    return found[0]


def _document_dict(d) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "id": d.id, "source": d.source, "title": d.title, "date": d.date, "outlet": d.outlet, "author": d.author,
        "url": d.url, "genre": d.genre, "lang": d.lang, "statements": d.statements,
    }  # fmt: skip


class _ReadOnce(Store):
    """The store, reading each statement query once (or not at all, for those ``read`` already holds)."""

    def __init__(self, store: Store, read: dict[StatementQuery, list[StoredStatement]] | None = None) -> None:
        self._store = store  # no super().__init__: everything but statements() is the store's
        self._read = dict(read or {})

    def statements(self, query: StatementQuery = StatementQuery()) -> list[StoredStatement]:
        if query not in self._read:
            self._read[query] = self._store.statements(query)
        return list(self._read[query])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def _version_of(store: Store) -> Callable[[], int]:
    """The store's data version, which every committed write moves (a store without one: a new
    number each time, so nothing is ever served from the cache)."""
    version = getattr(store, "data_version", None)
    if version is not None:
        return version  # type: ignore[no-any-return]
    counter = iter(range(1, 2**62))
    return lambda: next(counter)


def _json(value: Any) -> bytes:
    """JSON as FastAPI's JSONResponse writes it."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def _authorise(token: str | None, authorization: str | None) -> None:
    """403 on a read-only server, 401 unless the header is ``Bearer <token>`` exactly."""
    if token is None:
        raise HTTPException(403, "this server is read-only: start it with --token to allow ingest")
    scheme, _, given = (authorization or "").strip().partition(" ")
    # compare_digest on both, so the time taken says nothing about the token
    right = hmac.compare_digest(given.strip().encode(), token.encode())
    if scheme.lower() != "bearer" or not right:
        raise HTTPException(401, "missing or wrong token", headers={"WWW-Authenticate": "Bearer"})


async def _read_body(request: Request) -> bytes:
    """The request's body, refused with 413 when over ``MAX_BODY``: by its Content-Length before a
    byte is read, or (sent in chunks) as soon as it grows past the limit."""
    too_big = HTTPException(413, f"the request is over {MAX_BODY:,} bytes; the API takes texts of up to {MAX_TEXT:,} "
                                 "characters (`onrecord ingest` takes longer ones)")  # fmt: skip
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _new_document(body: bytes) -> NewDocument:
    """The body as a :class:`NewDocument`: 413 for a text over ``MAX_TEXT``, else 422 as FastAPI would."""
    try:
        data = json.loads(body)
    except ValueError:
        raise RequestValidationError(
            [{"loc": ("body",), "msg": "the body is not JSON", "type": "json_invalid"}]
        ) from None
    text = data.get("text") if isinstance(data, dict) else None
    if isinstance(text, str) and len(text) > MAX_TEXT:
        raise HTTPException(
            413,
            f"the text is {len(text):,} characters; the API takes up to {MAX_TEXT:,} (`onrecord ingest` takes more)",
        )
    try:
        return NewDocument.model_validate(data)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False, include_context=False)]
        raise RequestValidationError(errors) from None


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
        doc_id = store.add(item.document, item.statements, extractor.version)
    except OnrecordError as exc:
        raise HTTPException(503, str(exc)) from None
    if doc_id is not None:
        refresh(store)
    return {"id": doc_id, "added": doc_id is not None, "statements": len(item.statements)}

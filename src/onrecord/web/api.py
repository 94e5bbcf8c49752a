"""The HTTP API under ``/api``: documents, statements, speakers, topics, subjects, timelines, shifts
and traces, as JSON; the same library calls as the CLI. Read-only unless the app has a token; then
``POST /api/documents`` ingests (the token is checked before the body is read)."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from onrecord.analyse import identities, subjects
from onrecord.analyse import shifts as position_shifts
from onrecord.analyse import timeline as timelines
from onrecord.analyse import trace as tracing
from onrecord.store import Query as StatementQuery
from onrecord.web.cache import in_daemon_thread
from onrecord.web.shared import (
    MAX_BODY,
    MAX_TEXT,
    NOT_FOUND,
    SHIFT_WINDOW,
    Acts,
    DocId,
    Language,
    NewDocument,
    Problem,
    StoreDep,
    WebDep,
    chosen_acts,
    document_dict,
    speaker_info,
)

router = APIRouter()


@router.get("/api/documents", tags=["documents"])
def api_documents(store: StoreDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
    """Documents, newest first, without their text."""
    return [document_dict(d) for d in store.documents(limit=limit, newest_first=True)]


@router.get("/api/documents/{doc_id}", responses=NOT_FOUND, tags=["documents"])
def api_document(store: StoreDep, doc_id: DocId) -> dict[str, Any]:
    """A document with its text and statements (the CLI's statement contract)."""
    document, info, found = store.document(doc_id)
    return {**document_dict(info), "text": document.text, "statements": [s.to_dict() for s in found]}


@router.post(
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
async def api_ingest(
    web: WebDep, request: Request, authorization: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """Ingest one document (needs ``Authorization: Bearer <token>``; the server is read-only without a token).
    Texts of up to 500,000 characters; longer ones go through ``onrecord ingest``."""
    _authorise(web.token, authorization)  # before anything of the body is read
    new = _new_document(await _read_body(request))

    async def work() -> dict[str, Any]:
        if await request.is_disconnected():  # the client left while in line: no work for nobody
            raise HTTPException(499, "the client went away")
        return await in_daemon_thread(lambda: web.ingest(web.store, new))

    result = await web.ingesting.run(work)
    web.cache.written(await web.cache.current_version())  # this client's next page shows what it wrote
    return JSONResponse(result, 201)


@router.get("/api/documents/{doc_id}/trace", responses=NOT_FOUND, tags=["documents"], response_model=dict[str, Any])
async def api_trace(web: WebDep, doc_id: DocId, acts: Acts = "say") -> Response:
    """Each attributed statement traced to the speaker's own words in the stored transcripts."""
    chosen = chosen_acts(acts)

    def compute() -> dict[str, Any]:
        _, info, traces = tracing.trace_stored(web.store, doc_id, acts=chosen)
        return {"document_id": info.id, "traces": [t.to_dict() for t in traces]}

    return await web.cached_json(("api trace", doc_id, chosen), compute)


@router.get("/api/statements", tags=["statements"], response_model=list[dict[str, Any]])
async def api_statements(
    web: WebDep,
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
        acts=chosen_acts(acts), limit=limit, offset=offset, lang=lang,
    )  # fmt: skip
    return await web.cached_json(
        ("api statements", query), lambda: [r.to_dict() for r in web.store.statements(query)], gate=web.light
    )


@router.get("/api/search", tags=["statements"], response_model=list[dict[str, Any]])
async def api_search(
    web: WebDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    acts: Acts = "say",
) -> Response:
    """Full-text search over statements."""
    query = StatementQuery(search=q, acts=chosen_acts(acts), limit=limit)
    return await web.cached_json(
        ("api statements", query), lambda: [r.to_dict() for r in web.store.statements(query)], gate=web.light
    )


@router.get("/api/speakers", tags=["speakers"])
def api_speakers(store: StoreDep, limit: Annotated[int, Query(ge=1, le=10_000)] = 100) -> list[dict[str, Any]]:
    """Speakers across documents, most active first."""
    return [s.to_dict() for s in identities.speakers(store, limit)]


@router.get("/api/speakers/{name}", responses=NOT_FOUND, tags=["speakers"])
def api_speaker(store: StoreDep, name: Annotated[str, Path(max_length=300)]) -> dict[str, Any]:
    return speaker_info(store, name).to_dict()


@router.get(
    "/api/speakers/{name}/subjects", responses=NOT_FOUND, tags=["speakers"], response_model=list[dict[str, Any]]
)
async def api_subjects(
    web: WebDep,
    name: Annotated[str, Path(max_length=300)],
    since: Annotated[str | None, Query(max_length=10)] = None,
    acts: Acts = "say",
) -> Response:
    """A speaker's subjects (what they talk about, open-vocabulary), busiest first: each with its
    statement count, first and last dates, topics and leading phrases."""
    chosen = chosen_acts(acts)

    def compute() -> list[dict[str, Any]]:
        info = speaker_info(web.store, name)
        return [s.to_dict() for s in subjects.speaker_subjects(web.store, info.name, since=since, acts=chosen)]

    return await web.cached_json(("api subjects", name, since, chosen), compute, gate=web.light)


@router.get("/api/topics", tags=["topics"])
def api_topics(web: WebDep) -> list[dict[str, Any]]:
    """The taxonomy's topics with their statement and speaker counts."""
    counts = {t: (n, s) for t, n, s in web.store.topic_counts()}
    return [
        {"topic": t.name, "description": t.description, "statements": counts.get(t.name, (0, 0))[0],
         "speakers": counts.get(t.name, (0, 0))[1]}
        for t in web.taxonomy.topics
    ]  # fmt: skip


@router.get("/api/timeline/{name}", responses=NOT_FOUND, tags=["speakers"], response_model=dict[str, Any])
async def api_timeline(
    web: WebDep,
    name: Annotated[str, Path(max_length=300)],
    topic: Annotated[str | None, Query(max_length=100)] = None,
    by: Annotated[str, Query(pattern="^(?:topic|subject)$", description="Group by topic or subject")] = "topic",
    acts: Acts = "say",
) -> Response:
    """A speaker's statements grouped by topic (or subject), and counts per group per month."""
    chosen = chosen_acts(acts)

    def compute() -> dict[str, Any]:
        info = speaker_info(web.store, name)
        line = timelines.timeline(web.store, info.name, topic=topic, acts=chosen, by=by)
        months, series = line.monthly(top=50)
        return {
            "speaker": info.name,
            "months": months,
            "counts": series,
            "topics" if by == "topic" else "subjects": {
                t: [r.to_dict() for r in records] for t, records in line.by_topic.items()
            },
        }

    return await web.cached_json(("api timeline", name, topic, by, chosen), compute)


@router.get("/api/shifts", responses=NOT_FOUND, tags=["speakers"], response_model=list[dict[str, Any]])
async def api_shifts(
    web: WebDep,
    speaker: Annotated[str, Query(min_length=1, max_length=300)],
    topic: Annotated[str | None, Query(max_length=100)] = None,
    subject: Annotated[str | None, Query(max_length=300)] = None,
    search: Annotated[str | None, Query(max_length=200, description="Compare all statements with these words")] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
    acts: Acts = "say",
) -> Response:
    """Shifts in a speaker's positions (within topics and subjects), each with its dated evidence."""
    chosen = chosen_acts(acts)

    def compute() -> list[dict[str, Any]]:
        info = speaker_info(web.store, speaker)
        found = position_shifts.speaker_shifts(
            web.store,
            info.name,
            topic=topic,
            subject=subject,
            search=search,
            since=since,
            latest=SHIFT_WINDOW,
            acts=chosen,
        )
        return [s.to_dict() for s in found]

    return await web.cached_json(("api shifts", speaker, topic, subject, search, since, chosen), compute)


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
    import json

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

"""The web UI's pages: home, search, speaker (with subjects and shifts), topic, document, trace,
brief. Each is computed once per data version of the store (see :mod:`.cache`) and rendered from
templates that escape every stored text."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from onrecord.analyse import brief as briefs
from onrecord.analyse import shifts as position_shifts
from onrecord.analyse import subjects
from onrecord.analyse import timeline as timelines
from onrecord.analyse import trace as tracing
from onrecord.errors import NotFoundError
from onrecord.model import DEFAULT_ACTS, StoredStatement
from onrecord.store import Query as StatementQuery
from onrecord.web.highlight import highlight
from onrecord.web.shared import (
    PAGE_SIZE,
    SHIFT_WINDOW,
    Acts,
    DocId,
    ReadOnce,
    Web,
    WebDep,
    chosen_acts,
    speaker_info,
)

router = APIRouter(include_in_schema=False)
SUBJECTS_SHOWN = 12  # subjects listed (with their chart) on a speaker's page


@router.get("/", response_class=HTMLResponse)
async def home(web: WebDep) -> HTMLResponse:
    store = web.store
    return await web.cached_page(
        ("home",),
        lambda: web.render(
            "home.html",
            documents=store.documents(limit=12, newest_first=True),
            speakers=store.speakers(limit=12),
            topics=store.topic_counts()[:12],
        ),
        gate=web.light,
    )


@router.get("/search", response_class=HTMLResponse)
async def search_page(
    web: WebDep,
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
    chosen = chosen_acts(acts)
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
        found = web.store.statements(query)
        return web.render(
            "search.html",
            results=found[:PAGE_SIZE],
            more=len(found) > PAGE_SIZE,
            page=page_number,
            form=form,
            topics=[t.name for t in web.taxonomy.topics],
        )

    return await web.cached_page(("search", *form.values(), page_number), compute, gate=web.light)


async def speaker_statements(web: Web, name: str) -> ReadOnce:
    """The store, with a speaker's statements read once for the page, its chart and its shifts
    (reading a busy speaker's thousands of statements is the slow part of all three)."""
    query = StatementQuery(identity=name, acts=DEFAULT_ACTS)  # what the timeline and the shifts ask for

    def compute() -> list[StoredStatement]:
        return web.store.statements(StatementQuery(identity=speaker_info(web.store, name).name, acts=DEFAULT_ACTS))

    records = await web.cache.get(("statements of", name), compute, gate=web.heavy, size=lambda r: 2000 * len(r) + 100)
    return ReadOnce(web.store, {query: records})


@router.get("/speakers/{name}", response_class=HTMLResponse)
async def speaker_page(web: WebDep, name: Annotated[str, Path(max_length=300)]) -> HTMLResponse:
    def compute() -> str:
        info = speaker_info(web.store, name)
        # read inside the page's own computation: a kept page needs no statements at all (a busy
        # speaker's statements are too large for the cache to keep between requests)
        query = StatementQuery(identity=info.name, acts=DEFAULT_ACTS)
        read = ReadOnce(web.store, {query: web.store.statements(query)})
        line = timelines.timeline(read, info.name)
        found = position_shifts.speaker_shifts(read, info.name, latest=SHIFT_WINDOW)
        months, rows = subjects.monthly(web.store, info.name, top=SUBJECTS_SHOWN, acts=DEFAULT_ACTS)
        peak = max((n for _, counts in rows for n in counts), default=1) or 1
        return web.render(
            "speaker.html",
            info=info,
            timeline=line,
            shifts=found,
            subject_months=months,
            # the heat of a cell as a class l0..l10 (a style attribute would need 'unsafe-inline')
            subjects=[(s, [(n, round(10 * n / peak)) for n in counts]) for s, counts in rows],
        )

    return await web.cached_page(("speaker", name), compute)


@router.get("/speakers/{name}/chart.svg")
async def speaker_chart(web: WebDep, name: Annotated[str, Path(max_length=300)]) -> Response:
    read = await speaker_statements(web, name)

    def compute() -> str:
        buffer = io.StringIO()
        timelines.plot(timelines.timeline(read, name), buffer)
        return buffer.getvalue()

    svg = await web.cache.get(("chart", name), compute, gate=web.heavy)
    # no script in a drawing; its own inline style is all it may use
    policy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    return Response(svg, media_type="image/svg+xml", headers={"Content-Security-Policy": policy})


@router.get("/topics/{name}", response_class=HTMLResponse)
async def topic_page(web: WebDep, name: Annotated[str, Path(max_length=100)]) -> HTMLResponse:
    def compute() -> str:
        records = web.store.statements(StatementQuery(topic=name, acts=DEFAULT_ACTS))
        if not records:
            raise NotFoundError(f"no statements on the topic {name!r}")
        by_speaker: dict[str, Counter[str]] = defaultdict(Counter)
        for r in records:
            by_speaker[r.identity or r.statement.speaker or "unattributed"][(r.document.date or "undated")[:7]] += 1
        active = sorted(by_speaker, key=lambda s: -sum(by_speaker[s].values()))[:15]
        months = sorted({m for s in active for m in by_speaker[s]})
        rows = [(s, sum(by_speaker[s].values()), [by_speaker[s].get(m, 0) for m in months]) for s in active]
        peak = max((n for _, _, counts in rows for n in counts), default=1) or 1
        return web.render(
            "topic.html",
            topic=name,
            # the heat of a cell as a class l0..l10 (a style attribute would need 'unsafe-inline')
            active=[(s, total, [(n, round(10 * n / peak)) for n in counts]) for s, total, counts in rows],
            months=months,
            latest=records[-30:][::-1],
        )

    return await web.cached_page(("topic", name), compute)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
async def document_page(web: WebDep, doc_id: DocId) -> HTMLResponse:
    def compute() -> str:
        document, info, found = web.store.document(doc_id)
        records = {r.statement.index: r for r in web.store.statements(StatementQuery(document_id=info.id))}
        pairs = [(s, records[s.index].identity if s.index in records else None) for s in found]
        return web.render(
            "document.html",
            document=document,
            info=info,
            body=highlight(document.text, pairs),
            statements=pairs,
            records=records,
            appearances=web.store.appearances(info.id),  # a syndicated story: every site it appeared on
        )

    return await web.cached_page(("document", doc_id), compute, gate=web.documents)


@router.get("/documents/{doc_id}/trace", response_class=HTMLResponse)
async def trace_page(web: WebDep, doc_id: DocId) -> HTMLResponse:
    def compute() -> str:
        _, info, traces = tracing.trace_stored(web.store, doc_id)
        return web.render("trace.html", info=info, table=Markup(tracing.to_html(traces)))

    return await web.cached_page(("trace", doc_id), compute)


@router.get("/trace.css")
def trace_css() -> Response:
    # the trace table's style, as a file: the pages' policy allows no inline style
    return Response(tracing.TRACE_CSS, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@router.get("/brief", response_class=HTMLResponse)
async def brief_page(
    web: WebDep,
    speaker: Annotated[str | None, Query(max_length=300)] = None,
    doc: Annotated[str | None, Query(max_length=300)] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
) -> HTMLResponse:
    def compute() -> str:
        made = briefs.brief(web.store, speaker=speaker, document=doc, since=since)
        body = Markup(briefs.to_html(made, standalone=False, links=True))  # escaped piece by piece inside
        return web.render("brief.html", title=made.title, body=body)

    return await web.cached_page(("brief", speaker, doc, since), compute)

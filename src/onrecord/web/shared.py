"""What the web's routers share: the :class:`Web` context (the store, templates, page cache and gates)
that ``create_app`` builds once and every route receives as a dependency, and the request
parameters and helpers more than one router uses. Sits under :mod:`.pages` and :mod:`.api`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field, field_validator

from onrecord.analyse import identities, topics
from onrecord.errors import NotFoundError
from onrecord.model import ACTS, SpeakerInfo, StoredStatement, parse_acts
from onrecord.store import Query as StatementQuery
from onrecord.store import Store
from onrecord.web.cache import Gate, PageCache

PAGE_SIZE = 50
# POST /api/documents: longer texts go through `onrecord ingest` (whose limit is 20 MB), not the API.
MAX_TEXT = 500_000  # characters of text
MAX_BODY = 4 * MAX_TEXT + 65_536  # bytes of JSON: the text (escaped, any script) and its metadata
SHIFT_WINDOW = 400  # the speaker page looks for shifts in the latest statements only


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


@dataclass(eq=False)
class Web:
    """One app's store and the machinery its pages share; ``create_app`` makes it, routes receive it.
    ``ingest`` is the function that extracts and stores one document over HTTP."""

    store: Store
    templates: Jinja2Templates
    cache: PageCache
    heavy: Gate
    light: Gate
    documents: Gate
    ingesting: Gate
    ingest: Callable[[Store, NewDocument], dict[str, Any]]
    token: str | None = None

    @cached_property
    def taxonomy(self) -> topics.Taxonomy:
        return topics.load_taxonomy()  # a file of the package: read once, not on every page

    def page(
        self, request: Request, name: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any
    ) -> HTMLResponse:
        return self.templates.TemplateResponse(request, name, context, status_code=status, headers=headers)

    def render(self, name: str, **context: Any) -> str:
        return self.templates.get_template(name).render(context)

    async def cached_page(
        self, key: tuple[Any, ...], compute: Callable[[], str], *, gate: Gate | None = None
    ) -> HTMLResponse:
        # kept as bytes: a hit is sent as it is, not encoded again
        return HTMLResponse(await self.cache.get(key, lambda: compute().encode(), gate=gate or self.heavy))

    async def cached_json(
        self, key: tuple[Any, ...], compute: Callable[[], Any], *, gate: Gate | None = None
    ) -> Response:
        body = await self.cache.get(key, lambda: to_json(compute()), gate=gate or self.heavy)
        return Response(body, media_type="application/json")


def get_web(request: Request) -> Web:
    """The app's :class:`Web` context (a FastAPI dependency)."""
    return request.app.state.web  # type: ignore[no-any-return]


def get_store(request: Request) -> Store:
    """The app's store (a FastAPI dependency)."""
    return request.app.state.store  # type: ignore[no-any-return]


WebDep = Annotated[Web, Depends(get_web)]
StoreDep = Annotated[Store, Depends(get_store)]

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
# the languages statements can be filtered by: ``onrecord.ingest.LANGUAGES`` (a test keeps them equal)
Language = Literal["en", "ru"]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "Not found"}}


def chosen_acts(value: str) -> tuple[str, ...] | None:
    """The ``acts`` parameter as the library's filter; an unknown act is a 422 like any bad parameter."""
    try:
        return parse_acts(value)
    except ValueError as exc:
        raise RequestValidationError([{"loc": ("query", "acts"), "msg": str(exc), "type": "value_error"}]) from None


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are shown as links; ``javascript:`` and the like are shown as text."""
    return url if url and urlsplit(url).scheme in {"http", "https"} else None


def speaker_info(store: Store, name: str) -> SpeakerInfo:
    found = identities.speakers(store, name=name)
    if not found:
        raise NotFoundError(f"no speaker {name!r}")
    return found[0]


def document_dict(d: Any) -> dict[str, Any]:
    return {
        "id": d.id, "source": d.source, "title": d.title, "date": d.date, "outlet": d.outlet, "author": d.author,
        "url": d.url, "genre": d.genre, "lang": d.lang, "statements": d.statements,
    }  # fmt: skip


def to_json(value: Any) -> bytes:
    """JSON as FastAPI's JSONResponse writes it."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


class ReadOnce(Store):
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

"""Alerts in the web UI: ``/alerts`` (a page, with each watched source's last poll and error),
``/alerts.atom`` (an Atom feed any feed reader can follow) and ``/api/alerts`` (JSON).

A router of its own, included by :func:`onrecord.web.app.create_app`; it reads the store the app
keeps in ``app.state.store``. Every text in an alert came from a fetched page, so none is trusted:
the page is an autoescaping template, the feed is built with ElementTree (which escapes) after
characters XML cannot carry are dropped, and the entry's HTML content is escaped by markupsafe.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from onrecord.model import Alert
from onrecord.web.shared import get_store, get_web

router = APIRouter()
ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _clean(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def _stamp(created_at: str | None) -> str:
    return created_at or "1970-01-01T00:00:00+00:00"


def _entry_html(alert: Alert, base: str) -> str:
    parts = [f"<p>{escape(alert.summary)}</p>", "<ul>"]
    for e in alert.evidence:
        where = escape(", ".join(x for x in (e.outlet, e.date) if x) or "undated")
        if e.document_id is not None:
            anchor = f"#s{e.statement_index}" if e.statement_index is not None else ""
            link = escape(f"{base}/documents/{e.document_id}{anchor}")
            parts.append(f'<li>{escape(e.label)} ({where}): <a href="{link}">{escape(e.text)}</a></li>')
        else:
            parts.append(f"<li>{escape(e.label)} ({where}): {escape(e.text)}</li>")
    parts.append("</ul>")
    return "".join(parts)


def atom(alerts: list[Alert], base: str) -> bytes:
    """The alerts as an Atom 1.0 feed, newest first, links absolute under ``base``."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _clean(v) for k, v in attrs.items()})
        if text is not None:
            element.text = _clean(text)
        return element

    sub(feed, "title", "onrecord alerts")
    sub(feed, "subtitle", "New statements, shifts and altered or unsupported quotations of the speakers you follow")
    sub(feed, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, base + '/alerts.atom')}")
    sub(feed, "updated", _stamp(alerts[0].created_at if alerts else None))
    sub(feed, "link", rel="self", type="application/atom+xml", href=f"{base}/alerts.atom")
    sub(feed, "link", rel="alternate", type="text/html", href=f"{base}/alerts")
    sub(sub(feed, "author"), "name", "onrecord")
    sub(feed, "generator", "onrecord")
    for alert in alerts:
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'onrecord:alert:' + alert.key)}")
        sub(entry, "title", alert.title)
        sub(entry, "updated", _stamp(alert.created_at))
        sub(entry, "link", rel="alternate", type="text/html", href=base + alert.path)
        sub(entry, "category", term=alert.kind)
        if alert.speaker:
            sub(sub(entry, "author"), "name", alert.speaker)
        sub(entry, "summary", alert.summary, type="text")
        sub(entry, "content", _entry_html(alert, base), type="html")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)


@router.get("/alerts.atom", include_in_schema=False)
def alerts_feed(request: Request) -> Response:
    body = atom(get_store(request).alerts(limit=FEED_SIZE), _base(request))
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
def alerts_page(request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> HTMLResponse:
    store = get_store(request)
    return get_web(request).templates.TemplateResponse(
        request, "alerts.html", {"alerts": store.alerts(limit=limit), "sources": store.sources()}
    )


@router.get("/api/alerts", tags=["alerts"])
def api_alerts(request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
    """Alerts raised by `onrecord watch`, newest first, each with links to its statement and evidence."""
    return [a.to_dict() for a in get_store(request).alerts(limit=limit)]


@router.get("/api/sources", tags=["alerts"])
def api_sources(request: Request) -> list[dict[str, Any]]:
    """Watched sources with their last poll, last success and last error."""
    return [asdict(s) for s in get_store(request).sources()]

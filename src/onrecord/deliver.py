"""Delivering alerts: a signed webhook and a daily e-mail digest. A shell over the store, like the
web UI (which serves the same alerts as ``/alerts.atom`` and ``/alerts``).

Webhook: a JSON POST of one alert (``{"alert": {...}}`` with absolute links), signed with
HMAC-SHA256 of the body under a shared secret, sent as ``X-Onrecord-Signature: sha256=<hex>``;
the receiver recomputes it over the raw body and compares in constant time (:func:`verify`). A
failed delivery (network error, 429, 5xx) is retried with exponential back-off; an alert still
undelivered stays pending for the next round, and is given up (``failed``) after
``MAX_ROUNDS`` rounds. A 4xx other than 429 means the receiver refuses it: given up at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import httpx

from onrecord.model import Alert
from onrecord.store import Store

SIGNATURE_HEADER = "X-Onrecord-Signature"
EVENT_HEADER = "X-Onrecord-Event"
MAX_ROUNDS = 5  # rounds of a watch that try an alert before it is given up
ATTEMPTS = 4  # tries in one round, with back-off 1 s, 2 s, 4 s between them
DIGEST_EVERY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Webhook:
    url: str
    secret: str
    attempts: int = ATTEMPTS
    backoff: float = 1.0
    timeout: float = 10.0

    def __repr__(self) -> str:  # never print the secret
        return f"Webhook(url={self.url!r}, attempts={self.attempts})"


@dataclass(frozen=True, slots=True)
class Digest:
    host: str
    port: int
    sender: str
    to: tuple[str, ...]


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for ``body``: ``sha256=`` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``header`` is the signature of ``body`` under ``secret`` (for receivers; constant time)."""
    return header is not None and hmac.compare_digest(sign(secret, body), header)


def payload(alert: Alert, site: str) -> dict[str, object]:
    """The alert as sent: its fields, with absolute links to the statement and its evidence."""
    data = alert.to_dict()
    data["url"] = site + alert.path
    for item in data["evidence"]:  # type: ignore[union-attr]
        item["url"] = site + item["path"] if item.get("path") else None
    return {"event": "alert", "alert": data}


def post(
    webhook: Webhook,
    body: bytes,
    client: httpx.Client,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[bool, str | None, bool]:
    """POST ``body`` signed, retrying transient failures; (delivered, last error, worth retrying later)."""
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(webhook.secret, body),
        EVENT_HEADER: "alert",
        "User-Agent": "onrecord-webhook/0.1",
    }
    error = None
    for attempt in range(webhook.attempts):
        if attempt:
            sleep(webhook.backoff * 2 ** (attempt - 1))
        try:
            answer = client.post(webhook.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            error = f"{exc.__class__.__name__}: {exc}"
            continue
        if 200 <= answer.status_code < 300:
            return True, None, False
        error = f"the receiver answered {answer.status_code}"
        if 400 <= answer.status_code < 500 and answer.status_code not in (408, 429):
            return False, error, False  # refused: sending it again would be refused again
    return False, error, True


def deliver_pending(store: Store, webhook: Webhook, site: str, sleep: Callable[[float], None] = time.sleep) -> int:
    """Send every alert waiting for the webhook, oldest first; returns how many were delivered."""
    delivered = 0
    waiting = sorted(store.alerts(limit=None, webhook_state="pending"), key=lambda a: a.id or 0)
    if not waiting:
        return 0
    with httpx.Client(timeout=webhook.timeout, follow_redirects=False, trust_env=False) as client:
        for alert in waiting:
            assert alert.id is not None
            body = json.dumps(payload(alert, site), ensure_ascii=False, sort_keys=True).encode()
            sent, error, again = post(webhook, body, client, sleep)
            rounds = store.webhook_rounds(alert.id) + 1
            store.webhook_result(alert.id, sent, error, give_up=not sent and (not again or rounds >= MAX_ROUNDS))
            delivered += sent
    return delivered


def digest_text(found: list[Alert], site: str) -> str:
    """The digest's body: one paragraph per alert, with its links."""
    lines = [f"onrecord: {len(found)} alert{'s' if len(found) != 1 else ''} since the last digest", ""]
    for alert in found:
        lines += [f"[{alert.kind}] {alert.title}", f"  {alert.summary}", f"  statement: {site}{alert.path}"]
        for e in alert.evidence:
            if e.document_id is not None:
                anchor = f"#s{e.statement_index}" if e.statement_index is not None else ""
                lines.append(f"  {e.label}: {site}/documents/{e.document_id}{anchor} ({e.date or 'undated'})")
        lines.append("")
    lines.append(f"All alerts: {site}/alerts (Atom: {site}/alerts.atom)")
    return "\n".join(lines)


def send_digest_if_due(store: Store, digest: Digest, site: str, now: datetime | None = None) -> bool:
    """E-mail the alerts no digest carried yet, when the last digest is a day old (or there was
    none); returns whether one was sent. Alerts are marked only after the server accepted it."""
    now = now or datetime.now(UTC)
    last = store.last_digest()
    if last is not None and now - datetime.fromisoformat(last) < DIGEST_EVERY:
        return False
    found = store.undigested_alerts()
    if not found:
        return False
    message = EmailMessage()
    message["Subject"] = f"onrecord digest: {len(found)} alert{'s' if len(found) != 1 else ''}"
    message["From"] = digest.sender
    message["To"] = ", ".join(digest.to)
    message.set_content(digest_text(found, site))
    with smtplib.SMTP(digest.host, digest.port, timeout=30) as smtp:
        smtp.send_message(message)
    store.digested([a.id for a in found if a.id is not None])
    return True

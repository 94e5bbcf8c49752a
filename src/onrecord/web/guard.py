"""What every response carries and how the server runs: security headers, HEAD, and uvicorn's settings."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The pages use no script at all, and no inline style (the trace's CSS is a file too).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
STOPPING = b'{"detail":"the server is stopping; try again when it is back"}'
STOPPING_START: Message = {
    "type": "http.response.start",
    "status": 503,
    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(STOPPING)).encode())],
}
STOPPING_BODY: Message = {"type": "http.response.body", "body": STOPPING}
SHUTDOWN_SECONDS = 5  # after SIGTERM, requests still running get this long, then are cancelled


class Hardening:
    """ASGI middleware: security headers on every response (a route's own CSP stays), and HEAD
    served as GET without the body (FastAPI routes answer only the methods they name)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        started = False

        async def send_hardened(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}  # Content-Length stays that of the GET
            await send(message)

        try:
            await self.app(scope, receive, send_hardened)
        except asyncio.CancelledError as exc:
            # uvicorn cancels what still runs when the graceful shutdown's time is up: the client
            # gets a one-line 503 rather than a 500, and the log no traceback
            if "shutdown" not in str(exc) or started:
                raise
            await send_hardened(STOPPING_START)
            await send_hardened(STOPPING_BODY)


def run(app: Any, host: str = "127.0.0.1", port: int = 8000, log_level: str = "warning") -> None:
    """Serve ``app`` with uvicorn, bounded: SIGTERM or Ctrl-C stops the server within
    ``SHUTDOWN_SECONDS`` (work still running in the background is abandoned, not waited for: a
    document is stored in one transaction, so nothing is left half-written), idle keep-alive
    connections close after 5 s, and beyond 200 concurrent connections clients get 503."""
    import sys

    import uvicorn

    # Heavy pages are computed in threads of this process; a thread that waits on the database hands
    # the interpreter lock back within 1 ms rather than Python's 5, so a quick query between two
    # slices of a heavy page takes milliseconds, not a convoy of 5 ms waits per row.
    sys.setswitchinterval(0.001)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=log_level,
        timeout_graceful_shutdown=SHUTDOWN_SECONDS,
        timeout_keep_alive=5,
        limit_concurrency=200,
        server_header=False,
    )

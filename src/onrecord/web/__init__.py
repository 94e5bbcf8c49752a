"""Present: the web UI and HTTP API (FastAPI, server-rendered Jinja2 pages, no CDN)."""

from onrecord.web.app import create_app
from onrecord.web.guard import run

__all__ = ["create_app", "run"]

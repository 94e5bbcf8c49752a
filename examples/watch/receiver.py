"""A webhook receiver for the demo: checks each alert's HMAC-SHA256 signature and prints it.

ONRECORD_WEBHOOK_SECRET=demo-secret python examples/watch/receiver.py 8002
"""

from __future__ import annotations

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from onrecord.deliver import SIGNATURE_HEADER, verify

SECRET = os.environ["ONRECORD_WEBHOOK_SECRET"]


class Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not verify(SECRET, body, self.headers.get(SIGNATURE_HEADER)):
            print("REFUSED: bad signature", flush=True)
            self.send_response(401)
            self.end_headers()
            return
        alert = json.loads(body)["alert"]
        print(f"verified [{alert['kind']}] {alert['title']}\n    {alert['url']}", flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 8002), Hook).serve_forever()

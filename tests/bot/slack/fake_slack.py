"""A fake Slack Web API on localhost that records each call and can answer 429.

Tests point a real ``WebClient`` at ``FakeSlack.url`` and read back what
reached the wire from ``calls``.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


@dataclass
class Call:
    method: str
    args: dict
    headers: dict


@dataclass
class FakeSlack:
    """Answers ``ok`` to every method, except scripted answers given first."""

    server: ThreadingHTTPServer
    calls: list[Call] = field(default_factory=list)
    scripted: dict[str, list[tuple[int, dict, dict]]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api/"

    def answer_next(self, method: str, status: int, body: dict, headers=None) -> None:
        """Answer the next call of ``method`` with this, then as usual."""
        self.scripted.setdefault(method, []).append((status, headers or {}, body))

    def called(self, method: str) -> list[dict]:
        return [call.args for call in self.calls if call.method == method]


def ok_body(fake: FakeSlack, method: str, args: dict) -> dict:
    count = len(fake.calls)
    bodies = {
        "auth.test": {"user_id": "U0QUOTEBOT", "team_id": "T1", "bot_id": "B1"},
        "chat.postMessage": {"channel": args.get("channel"), "ts": f"1700.{count:06d}"},
        "views.open": {"view": {"id": "V1", **_json(args.get("view"))}},
        "files.getUploadURLExternal": {
            "upload_url": fake.url.replace("/api/", f"/upload/F{count}"),
            "file_id": f"F{count}",
        },
        "files.completeUploadExternal": {"files": [{"id": "F1", "title": "chart"}]},
    }
    return {"ok": True, **bodies.get(method, {})}


def _json(value):
    return json.loads(value) if isinstance(value, str) else value or {}


def _handler(fake: FakeSlack):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path.startswith("/upload/"):
                return self._send(200, {}, b"OK")
            method = self.path.removeprefix("/api/")
            args = _arguments(self.headers.get("Content-Type", ""), raw)
            fake.calls.append(Call(method, args, dict(self.headers)))
            queue = fake.scripted.get(method)
            status, headers, body = (
                queue.pop(0) if queue else (200, {}, ok_body(fake, method, args))
            )
            return self._send(status, headers, json.dumps(body).encode())

        def _send(self, status: int, headers: dict, payload: bytes):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    return Handler


def _arguments(content_type: str, raw: bytes) -> dict:
    if "json" in content_type:
        return json.loads(raw or b"{}")
    return dict(parse_qsl(raw.decode()))


def start_fake_slack() -> FakeSlack:
    fake = FakeSlack(server=None)  # type: ignore[arg-type]
    fake.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    threading.Thread(target=fake.server.serve_forever, daemon=True).start()
    return fake

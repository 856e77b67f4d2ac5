"""A conversation the bot is not a member of, and the response_urls that reach it.

``OutsideClient`` is a ``RecordingClient`` whose posts, ephemerals, updates
and uploads in ``outside`` fail as Slack fails them there; ``ResponseUrls``
is a local HTTP server that keeps what is POSTed to its URLs, as Slack's
``hooks.slack.com`` would show it.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from slack_sdk.errors import SlackApiError
from slack_sdk.web.slack_response import SlackResponse

from tests.bot.slack.recording_client import RecordingClient

REFUSED = ("chat.postMessage", "chat.postEphemeral", "chat.update")


class OutsideClient(RecordingClient):
    """Slack refuses the bot's messages in ``outside`` with ``error``."""

    def __init__(self, emails: dict, outside: str, error="not_in_channel") -> None:
        super().__init__(emails)
        self.outside = outside
        self.error = error

    def api_call(self, api_method: str, **kwargs) -> SlackResponse:
        response = super().api_call(api_method, **kwargs)
        if api_method in REFUSED and self.calls[-1][1].get("channel") == self.outside:
            response = self._refusal(api_method)
        return response.validate()

    def files_upload_v2(self, **kwargs) -> SlackResponse:
        if kwargs.get("channel") != self.outside:
            return super().files_upload_v2(**kwargs)
        self.calls.append(("files.upload_v2", kwargs))
        response = self._refusal("files.completeUploadExternal")
        raise SlackApiError(self.error, response)

    def _refusal(self, method: str) -> SlackResponse:
        return self._response(method, {"ok": False, "error": self.error})


class ResponseUrls:
    """Keeps the JSON POSTed to ``url(name)``, by name, in ``received``."""

    def __init__(self) -> None:
        self.received: dict[str, list[dict]] = {}
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                catcher.received.setdefault(self.path.strip("/"), []).append(body)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *_) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, name: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/{name}"

    def to(self, name: str) -> list[dict]:
        """What was POSTed to ``url(name)``, in order."""
        return self.received.get(name, [])

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

"""A Web API client that answers from memory and records what the bot sent.

Listeners run through a real Bolt ``App`` (``bolt_app``) whose lazy functions
run inline, so a test dispatches a request and then reads the calls made.
"""

from __future__ import annotations

import json
from concurrent.futures import Executor, Future
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient
from slack_sdk.web.slack_response import SlackResponse

FORM = {"content-type": ["application/x-www-form-urlencoded"]}


class RecordingClient(WebClient):
    """Every call is kept in ``calls`` as ``(method, arguments)``.

    ``emails`` maps Slack user ids to the profile email ``users.info`` gives.
    """

    def __init__(self, emails: dict[str, str] | None = None) -> None:
        super().__init__(token="xoxb-recording", base_url="http://127.0.0.1:9/api/")
        self.emails = emails or {}
        self.calls: list[tuple[str, dict]] = []

    def __deepcopy__(self, memo) -> RecordingClient:
        """Bolt copies the context for lazy functions; they share this client."""
        return self

    def api_call(self, api_method: str, **kwargs) -> SlackResponse:
        arguments = {**(kwargs.get("params") or {}), **(kwargs.get("json") or {})}
        arguments |= kwargs.get("data") or {}
        self.calls.append((api_method, arguments))
        return self._response(api_method, self._answer(api_method, arguments))

    def files_upload_v2(self, **kwargs) -> SlackResponse:
        self.calls.append(("files.upload_v2", kwargs))
        return self._response("files.completeUploadExternal", {"ok": True})

    def sent(self, method: str) -> list[dict]:
        """The arguments of each call to ``method``, in order."""
        return [arguments for name, arguments in self.calls if name == method]

    def _answer(self, method: str, arguments: dict) -> dict:
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"}
        if method == "users.info":
            email = self.emails.get(arguments.get("user"))
            return {"ok": True, "user": {"profile": {"email": email}}}
        if method == "views.open":
            view = arguments["view"]
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": view | {"id": "V0FORM"}}
        if method == "chat.postMessage":
            return {"ok": True, "ts": f"1700000000.{len(self.calls):06d}"}
        return {"ok": True}

    def _response(self, method: str, data: dict) -> SlackResponse:
        return SlackResponse(
            client=self,
            http_verb="POST",
            api_url=self.base_url + method,
            req_args={},
            data=data,
            headers={},
            status_code=200,
        )


class InlineExecutor(Executor):
    """Runs lazy functions at once, so a test sees their work when dispatch returns."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # noqa: BLE001 - handed to the future
            future.set_exception(error)
        return future


def bolt_app(client: RecordingClient) -> App:
    """A Bolt app with no request signing, talking to ``client``.

    Bolt makes a fresh client per request; a middleware hands it ``client``.
    """
    app = App(
        client=client,
        authorize=lambda **_: AuthorizeResult(
            enterprise_id=None, team_id="T1", bot_token=client.token, bot_user_id="UBOT"
        ),
        request_verification_enabled=False,
        token_verification_enabled=False,
        listener_executor=InlineExecutor(),
    )

    @app.middleware
    def use_recording_client(context, next):
        context["client"] = client
        return next()

    return app


def slash_command(app: App, command: str, text: str, user: str, **fields) -> str:
    """Dispatch a slash command; returns the ack's body."""
    form = {
        "command": command,
        "text": text,
        "user_id": user,
        "channel_id": fields.pop("channel_id", "C0SALES"),
        "team_id": "T1",
        "trigger_id": fields.pop("trigger_id", "111.222.trigger"),
        "response_url": "https://hooks.slack.com/commands/T1/1/x",
        **fields,
    }
    return dispatch(app, urlencode(form)).body


def interaction(app: App, payload: dict) -> BoltResponse:
    """Dispatch an interaction (view submission, options request, button)."""
    return dispatch(app, urlencode({"payload": json.dumps(payload)}))


def dispatch(app: App, body: str) -> BoltResponse:
    return app.dispatch(BoltRequest(body=body, headers=FORM))

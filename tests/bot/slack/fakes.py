"""A stand-in for the Slack Web API client that records what the bot sent."""

from __future__ import annotations

import itertools


class RecordingClient:
    """Answers the Web API calls the bot makes and keeps each call's arguments.

    ``channels`` maps names to ids for ``conversations.list``; a channel in
    ``failing`` makes ``chat.postMessage`` raise, as a Slack error would.
    """

    def __init__(self, channels: dict[str, str] | None = None, failing=()) -> None:
        self.channels = channels or {}
        self.failing = set(failing)
        self.posts: list[dict] = []
        self.uploads: list[dict] = []
        self.views: list[dict] = []
        self._ts = itertools.count(1)

    def chat_postMessage(self, **kwargs) -> dict:
        if kwargs["channel"] in self.failing:
            raise RuntimeError(f"channel_not_found: {kwargs['channel']}")
        self.posts.append(kwargs)
        return {"ok": True, "ts": f"1700000000.{next(self._ts):06d}"}

    def files_upload_v2(self, **kwargs) -> dict:
        self.uploads.append(kwargs)
        return {"ok": True}

    def conversations_list(self, **_kwargs) -> dict:
        channels = [{"id": id_, "name": name} for name, id_ in self.channels.items()]
        return {"channels": channels, "response_metadata": {"next_cursor": ""}}

    def conversations_open(self, users: str) -> dict:
        return {"channel": {"id": f"D{users}"}}

    def views_publish(self, **kwargs) -> dict:
        self.views.append(kwargs)
        return {"ok": True, "view": kwargs["view"]}

    def users_info(self, user: str) -> dict:
        return {"user": {"id": user, "profile": {}}}

    def posted_text(self) -> str:
        """Every posted message's blocks' text, for assertions about content."""
        return "\n".join(str(post["blocks"]) for post in self.posts)

"""The limits Slack enforces on Block Kit, and how replies are fitted inside them.

Slack rejects a whole message or view (``invalid_blocks``) when one text is a
character too long or one list an item too many. Everything the bot sends goes
through ``fit_message`` or ``fit_view`` first:

- texts too long are cut and end with "…" (ids are cut without it);
- lists people read (blocks, section fields, context elements) keep what fits
  and end with an "…and N more" element;
- lists people choose from (buttons, select options) keep the first that fit,
  since a "more" button or option would do nothing when chosen.

``violations`` says what Slack would reject, in Slack's own json-pointer terms.
The numbers are Slack's (shared/slack/block_kit_limits.json); a test checks
them against that file.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

logger = logging.getLogger(__name__)

MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
MESSAGE_TEXT_MAX = 40000
ATTACHMENTS_MAX = 100
BLOCK_ID_MAX = 255
ACTION_ID_MAX = 255
CALLBACK_ID_MAX = 255
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
SECTION_FIELD_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
MARKDOWN_TEXT_MAX = 12000
CONTEXT_ELEMENTS_MAX = 10
ACTIONS_ELEMENTS_MAX = 25
CONTEXT_ACTIONS_ELEMENTS_MAX = 5
IMAGE_URL_MAX = 3000
IMAGE_ALT_TEXT_MAX = 2000
IMAGE_TITLE_MAX = 2000
INPUT_LABEL_MAX = 2000
INPUT_HINT_MAX = 2000
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
BUTTON_URL_MAX = 3000
BUTTON_ACCESSIBILITY_LABEL_MAX = 75
OPTIONS_MAX = 100
OPTION_GROUPS_MAX = 100
PLACEHOLDER_MAX = 150
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
OPTION_GROUP_LABEL_MAX = 75
OVERFLOW_OPTIONS_MAX = 5
CONFIRM_TITLE_MAX = 100
CONFIRM_TEXT_MAX = 300
CONFIRM_BUTTON_MAX = 30
VIEW_TITLE_MAX = 24
VIEW_SUBMIT_MAX = 24
VIEW_CLOSE_MAX = 24
PRIVATE_METADATA_MAX = 3000
FILE_ALT_TEXT_MAX = 1000
"""files.getUploadURLExternal's ``alt_txt`` (shared/slack/files_upload_v2_wire.md)."""

ELLIPSIS = "…"
FENCE = "```"

Node = dict[str, Any]

_TEXTS: dict[str, dict[str, int]] = {
    "section": {"text": SECTION_TEXT_MAX},
    "header": {"text": HEADER_TEXT_MAX},
    "markdown": {"text": MARKDOWN_TEXT_MAX},
    "image": {"alt_text": IMAGE_ALT_TEXT_MAX, "title": IMAGE_TITLE_MAX},
    "input": {"label": INPUT_LABEL_MAX, "hint": INPUT_HINT_MAX},
    "button": {
        "text": BUTTON_TEXT_MAX,
        "value": BUTTON_VALUE_MAX,
        "accessibility_label": BUTTON_ACCESSIBILITY_LABEL_MAX,
    },
    "option": {"text": OPTION_TEXT_MAX, "value": OPTION_VALUE_MAX},
    "option_group": {"label": OPTION_GROUP_LABEL_MAX},
    "confirm": {
        "title": CONFIRM_TITLE_MAX,
        "text": CONFIRM_TEXT_MAX,
        "confirm": CONFIRM_BUTTON_MAX,
        "deny": CONFIRM_BUTTON_MAX,
    },
    "view": {
        "title": VIEW_TITLE_MAX,
        "submit": VIEW_SUBMIT_MAX,
        "close": VIEW_CLOSE_MAX,
    },
}
"""Text limits by kind of node: plain strings or text objects under these keys."""

_ANY_TEXTS = {"placeholder": PLACEHOLDER_MAX}
_IDS = {"block_id": BLOCK_ID_MAX, "action_id": ACTION_ID_MAX}
_URLS = {"image_url": IMAGE_URL_MAX, "url": BUTTON_URL_MAX}

_READ_LISTS = {
    ("section", "fields"): SECTION_FIELDS_MAX,
    ("context", "elements"): CONTEXT_ELEMENTS_MAX,
}
_CHOICE_LISTS = {
    ("actions", "elements"): ACTIONS_ELEMENTS_MAX,
    ("context_actions", "elements"): CONTEXT_ACTIONS_ELEMENTS_MAX,
    ("overflow", "options"): OVERFLOW_OPTIONS_MAX,
    ("option_group", "options"): OPTIONS_MAX,
}
_OPTION_KEYS = ("options", "initial_options", "initial_option")


def cut_text(text: str, limit: int) -> str:
    """``text`` if it fits, else its start ending in "…" (a code block stays closed)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if head.count(FENCE) % 2 == 0:
        return head + ELLIPSIS
    return text[: limit - len(FENCE) - 2] + ELLIPSIS + "\n" + FENCE


def fit_message(blocks: list[Node]) -> list[Node]:
    """A copy of a message's ``blocks`` that Slack accepts, cut where needed."""
    fitted = copy.deepcopy(list(blocks))
    _Fitter(fix=True).blocks(fitted, MESSAGE_BLOCKS_MAX, "/blocks")
    return fitted


def fit_view(view: Node) -> Node:
    """A copy of a modal or App Home ``view`` that Slack accepts, cut where needed.

    ``private_metadata`` is never cut, since cut state would be read back wrong;
    a view with too much of it raises ``ValueError``.
    """
    fitted = copy.deepcopy(view)
    _Fitter(fix=True).view(fitted)
    return fitted


def violations(blocks_or_view: list[Node] | Node) -> list[str]:
    """What Slack would reject in a message's blocks or a view, one line each."""
    checker = _Fitter(fix=False)
    if isinstance(blocks_or_view, dict):
        checker.view(blocks_or_view)
    else:
        checker.blocks(list(blocks_or_view), MESSAGE_BLOCKS_MAX, "/blocks")
    return checker.problems


def more_element(count: int) -> Node:
    """The element that ends a list cut short."""
    return {"type": "mrkdwn", "text": f"{ELLIPSIS}and {count} more"}


class _Fitter:
    """Walks blocks the way Slack validates them; cuts what is over when ``fix``."""

    def __init__(self, fix: bool) -> None:
        self.fix = fix
        self.problems: list[str] = []

    def view(self, view: Node) -> None:
        metadata = view.get("private_metadata") or ""
        if len(metadata) > PRIVATE_METADATA_MAX:
            self._over("/view/private_metadata", len(metadata), PRIVATE_METADATA_MAX)
            if self.fix:
                raise ValueError(
                    f"The view's private_metadata is {len(metadata)} characters and "
                    f"Slack takes at most {PRIVATE_METADATA_MAX}; keep the state in "
                    "the store and put its id in private_metadata."
                )
        self._ids(view, {"callback_id": CALLBACK_ID_MAX}, "/view")
        self._texts(view, _TEXTS["view"], "/view")
        self.blocks(view.get("blocks", []), VIEW_BLOCKS_MAX, "/view/blocks")

    def blocks(self, blocks: list[Node], limit: int, path: str) -> None:
        if len(blocks) > limit:
            self._too_many(path, len(blocks), limit)
            if self.fix:
                hidden = len(blocks) - (limit - 1)
                blocks[limit - 1 :] = [
                    {"type": "context", "elements": [more_element(hidden)]}
                ]
        for index, block in enumerate(blocks):
            self.node(block, block.get("type", ""), f"{path}/{index}")

    def node(self, node: Node, kind: str, path: str) -> None:
        if kind == "section":
            self._section_text(node, path)
        self._texts(node, _TEXTS.get(kind, {}) | _ANY_TEXTS, path)
        self._ids(node, _IDS, path)
        self._urls(node, path)
        for key, value in list(node.items()):
            self._child(node, kind, key, value, f"{path}/{key}")

    def _child(self, node: Node, kind: str, key: str, value: Any, path: str) -> None:
        if key in _OPTION_KEYS and isinstance(value, dict):
            self.node(value, "option", path)
        elif isinstance(value, list):
            self._list(kind, key, value, path)
        elif key == "confirm" and kind != "confirm" and isinstance(value, dict):
            self.node(value, "confirm", path)
        elif key in ("accessory", "element") and isinstance(value, dict):
            self.node(value, value.get("type", ""), path)

    def _list(self, kind: str, key: str, items: list, path: str) -> None:
        if (kind, key) in _READ_LISTS:
            self._cut_read_list(items, _READ_LISTS[kind, key], path)
        else:
            self._cut_choices(items, _choice_limit(kind, key), path)

        if (kind, key) == ("section", "fields"):
            self._field_texts(items, path)
        else:
            self._items(key, items, path)

    def _field_texts(self, fields: list, path: str) -> None:
        for index in range(len(fields)):
            self._text(fields, index, SECTION_FIELD_TEXT_MAX, f"{path}/{index}")

    def _items(self, key: str, items: list, path: str) -> None:
        """Walk each item: as an option or option group where ``key`` says so."""
        item_kind = _item_kind(key)
        for index, item in enumerate(items):
            if isinstance(item, dict):
                own = item_kind or item.get("type", "")
                self.node(item, own, f"{path}/{index}")

    def _cut_read_list(self, items: list, limit: int, path: str) -> None:
        if len(items) <= limit:
            return
        self._too_many(path, len(items), limit)
        if self.fix:
            items[limit - 1 :] = [more_element(len(items) - (limit - 1))]

    def _cut_choices(self, items: list, limit: int | None, path: str) -> None:
        if limit is None or len(items) <= limit:
            return
        self._too_many(path, len(items), limit)
        if self.fix:
            logger.warning("kept %s of %s choices at %s", limit, len(items), path)
            del items[limit:]

    def _section_text(self, node: Node, path: str) -> None:
        text = node.get("text")
        if isinstance(text, dict) and not text.get("text"):
            self.problems.append(f"{path}/text/text: must not be empty")
            if self.fix:
                text["text"] = ELLIPSIS

    def _texts(self, node: Node, limits: dict[str, int], path: str) -> None:
        for key, limit in limits.items():
            if key in node:
                self._text(node, key, limit, f"{path}/{key}")

    def _text(self, holder: Node | list, key: Any, limit: int, path: str) -> None:
        value = holder[key]
        if isinstance(value, dict) and isinstance(value.get("text"), str):
            holder, key, path = value, "text", f"{path}/text"
            value = value["text"]
        if not isinstance(value, str) or len(value) <= limit:
            return
        self._over(path, len(value), limit)
        if self.fix:
            holder[key] = cut_text(value, limit)

    def _ids(self, node: Node, limits: dict[str, int], path: str) -> None:
        for key, limit in limits.items():
            value = node.get(key)
            if isinstance(value, str) and len(value) > limit:
                self._over(f"{path}/{key}", len(value), limit)
                if self.fix:
                    node[key] = value[:limit]

    def _urls(self, node: Node, path: str) -> None:
        for key, limit in _URLS.items():
            value = node.get(key)
            if isinstance(value, str) and len(value) > limit:
                self._over(f"{path}/{key}", len(value), limit)
                if self.fix:
                    raise ValueError(
                        f"The link at {path}/{key} is {len(value)} characters and "
                        f"Slack takes at most {limit}; link to a shorter address."
                    )

    def _over(self, path: str, length: int, limit: int) -> None:
        self.problems.append(f"{path}: {length} characters, at most {limit} allowed")

    def _too_many(self, path: str, count: int, limit: int) -> None:
        self.problems.append(f"{path}: {count} items, at most {limit} allowed")


def _choice_limit(kind: str, key: str) -> int | None:
    if (kind, key) in _CHOICE_LISTS:
        return _CHOICE_LISTS[kind, key]
    if key in ("options", "initial_options"):
        return OPTIONS_MAX
    if key == "option_groups":
        return OPTION_GROUPS_MAX
    return None


def _item_kind(key: str) -> str | None:
    if key in _OPTION_KEYS:
        return "option"
    return "option_group" if key == "option_groups" else None

"""Turning a ``ToolResult`` into Block Kit, plain text or JSON."""

from bot.render.blocks import to_blocks
from bot.render.text import to_text

__all__ = ["to_blocks", "to_text"]

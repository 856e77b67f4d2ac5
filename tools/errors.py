"""Errors a tool raises on purpose; their messages are shown to the person asking.

ToolError
 +-- AccessError         the asker is unknown or may not see what they asked for
 +-- NotEnoughDataError  the store has too little history to answer honestly
"""


class ToolError(Exception):
    """Root of every error a tool raises on purpose."""


class AccessError(ToolError):
    """The asker is not a known rep, or asked for accounts outside their scope."""


class NotEnoughDataError(ToolError):
    """Too little history to answer; the message says how much is needed."""

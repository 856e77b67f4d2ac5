"""Natural-language understanding: intents and entities from a message."""

from bot.nlu.classifier import Classification, classify

__all__ = ["Classification", "classify"]

"""All configuration, read once from the environment (or a ``.env`` file)."""

from __future__ import annotations

from functools import cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_DEFAULT_API_URL = "https://slack.com/api/"


class SettingsError(Exception):
    """The configuration cannot work; the message names the variable to set."""


class Settings(BaseSettings):
    """Environment variables are the field names in upper case."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///quotebot.db"
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = SLACK_DEFAULT_API_URL
    host: str = "127.0.0.1"
    port: int = Field(default=3000, ge=1, le=65535)
    log_level: str = "INFO"
    reports_dir: str = "reports"
    cache_dir: str = "~/.cache/quotebot"
    quotebot_llm: str | None = None
    """A chat model to route messages, as "provider:model"; unset, none is used."""

    @property
    def slack_enabled(self) -> bool:
        """Slack mode is on as soon as any Slack credential is configured."""
        credentials = (
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
        )
        return any(value is not None for value in credentials)

    def require_http_mode(self) -> None:
        """Fail with the missing variable's name before serving Slack over HTTP."""
        self._require("SLACK_BOT_TOKEN", self.slack_bot_token)
        self._require("SLACK_SIGNING_SECRET", self.slack_signing_secret)

    def require_socket_mode(self) -> None:
        """Fail with the missing variable's name before opening a Socket Mode link."""
        self._require("SLACK_BOT_TOKEN", self.slack_bot_token)
        self._require("SLACK_APP_TOKEN", self.slack_app_token)

    @staticmethod
    def _require(name: str, value: SecretStr | None) -> None:
        if value is None or not value.get_secret_value().strip():
            raise SettingsError(
                f"{name} is not set. Set it in the environment or in .env "
                "(see the README's 'Connect a Slack workspace')."
            )


@cache
def get_settings() -> Settings:
    return Settings()

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
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    """With the client id, installs go through OAuth, one bot token per workspace."""
    slack_redirect_uri: str | None = None
    """The public ``.../slack/oauth_redirect`` address the app's settings list."""
    scheduler_enabled: bool = True
    """Post scheduled reports from the server process; off when cron runs them."""
    scheduler_interval_seconds: float = Field(default=60.0, gt=0)
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
            self.slack_client_id,
            self.slack_client_secret,
        )
        return any(value is not None for value in credentials)

    @property
    def oauth_enabled(self) -> bool:
        """Installs go through OAuth once both the client id and secret are set."""
        return bool(self.slack_client_id and self.slack_client_secret)

    def require_http_mode(self) -> None:
        """Fail with the missing variable's name before serving Slack over HTTP."""
        self._require_bot_token_or_oauth()
        self._require("SLACK_SIGNING_SECRET", self.slack_signing_secret)

    def require_socket_mode(self) -> None:
        """Fail with the missing variable's name before opening a Socket Mode link."""
        self._require_bot_token_or_oauth()
        self._require("SLACK_APP_TOKEN", self.slack_app_token)

    def _require_bot_token_or_oauth(self) -> None:
        """One workspace needs its bot token; OAuth needs the client id and secret."""
        if self.slack_client_id or self.slack_client_secret:
            self._require("SLACK_CLIENT_ID", self.slack_client_id)
            self._require("SLACK_CLIENT_SECRET", self.slack_client_secret)
            return
        self._require("SLACK_BOT_TOKEN", self.slack_bot_token)

    @staticmethod
    def _require(name: str, value: str | SecretStr | None) -> None:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if value is None or not value.strip():
            raise SettingsError(
                f"{name} is not set. Set it in the environment or in .env "
                "(see the README's 'Connect a Slack workspace')."
            )


@cache
def get_settings() -> Settings:
    return Settings()

import pytest

from bot.settings import Settings, SettingsError


def test_without_slack_credentials_the_bot_runs_locally(monkeypatch):
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)

    assert Settings(_env_file=None).slack_enabled is False


def test_http_mode_names_the_missing_signing_secret(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    settings = Settings(_env_file=None)

    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        settings.require_http_mode()


def test_socket_mode_names_the_missing_app_token(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)

    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        Settings(_env_file=None).require_socket_mode()


def test_secrets_do_not_show_in_the_settings_repr(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")

    assert "xoxb-very-secret" not in repr(Settings(_env_file=None))


def test_oauth_mode_serves_http_without_a_bot_token():
    settings = Settings(
        _env_file=None,
        slack_client_id="1111.2222",
        slack_client_secret="test-client-secret",
        slack_signing_secret="signing",
        slack_bot_token=None,
    )

    settings.require_http_mode()

    assert settings.slack_enabled and settings.oauth_enabled


def test_oauth_mode_names_the_missing_client_secret():
    settings = Settings(
        _env_file=None,
        slack_client_id="1111.2222",
        slack_client_secret=None,
        slack_signing_secret="signing",
    )

    assert settings.oauth_enabled is False
    with pytest.raises(SettingsError, match="SLACK_CLIENT_SECRET"):
        settings.require_http_mode()


def test_the_scheduler_runs_in_the_server_unless_turned_off(monkeypatch):
    monkeypatch.setenv("SCHEDULER_ENABLED", "false")

    assert Settings(_env_file=None).scheduler_enabled is False
    assert Settings(_env_file=None, scheduler_enabled=True).scheduler_enabled

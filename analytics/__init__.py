"""Models as pure code over pandas frames; no database, no Slack."""

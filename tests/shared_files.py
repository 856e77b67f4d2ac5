"""Files shared with the project but kept outside it: real data sets, Slack specs.

They live in ``QUOTEBOT_SHARED`` or, by default, ``../shared`` beside the
repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import STRICT_VARIABLE, strict

REPO = Path(__file__).resolve().parents[1]


def shared_file(relative: str) -> Path:
    """The path of a shared file; skip (fail in CI) when it is absent."""
    root = Path(os.environ.get("QUOTEBOT_SHARED", REPO.parent / "shared"))
    path = root / relative
    if not path.exists():
        message = f"{path} is not present; set QUOTEBOT_SHARED to the shared folder"
        if strict():
            pytest.fail(f"{STRICT_VARIABLE}=1: {message}")
        pytest.skip(message)
    return path

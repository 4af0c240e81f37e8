"""Shared fixtures: every test gets its own workspace folder; none touches a real one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

# Documents carry local times with their UTC offset; fix the zone so golden files hold anywhere.
os.environ["TZ"] = "UTC"
time.tzset()

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


@pytest.fixture(autouse=True)
def _isolated_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the default workspace at a temp dir, so a forgotten -w never writes elsewhere."""
    monkeypatch.setenv("SCRIPTLAB_WORKSPACE", str(tmp_path / "default-ws"))


@pytest.fixture
def workspace(tmp_path: Path):
    """A fresh, initialised workspace."""
    from scriptlab.store.workspace import init_workspace

    ws, _ = init_workspace(tmp_path / "ws")
    return ws

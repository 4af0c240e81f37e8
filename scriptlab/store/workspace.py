"""Find, create and open a team's workspace (settings + database + reports)."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy.engine import Connection, Engine

from scriptlab.errors import ScriptlabError
from scriptlab.settings import SETTINGS_FILE, Settings, default_settings_toml, load_settings
from scriptlab.store.engine import make_engine, writer
from scriptlab.store.migrations import migrate

DB_FILE = "scriptlab.db"
ENV_VAR = "SCRIPTLAB_WORKSPACE"


@dataclass(frozen=True)
class Workspace:
    """An opened workspace. `engine` connects lazily to its database."""

    root: Path
    settings: Settings = field(default_factory=Settings)

    @property
    def db_url(self) -> str:
        return self.settings.store.url or f"sqlite:///{self.root / DB_FILE}"

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.db_url, busy_timeout=self.settings.store.busy_timeout)

    def write(self) -> AbstractContextManager[Connection]:
        """A write transaction: waits (bounded) for another process's writes to finish."""
        return writer(self.engine).begin()

    @property
    def reports_dir(self) -> Path:
        """Default folder for generated reports."""
        return self.root / "reports"

    @property
    def templates_dir(self) -> Path:
        """Templates dropped here override the built-in ones."""
        return self.root / "templates"


def resolve_root(path: Path | str | None) -> Path:
    """The workspace folder: the given path, else $SCRIPTLAB_WORKSPACE, else the current one."""
    if path is None or str(path) == "":
        path = os.environ.get(ENV_VAR) or "."
    return Path(path).expanduser().resolve()


def init_workspace(path: Path | str | None = None) -> tuple[Workspace, bool]:
    """Create (or bring up to date) a workspace; returns it and whether it was new."""
    root = resolve_root(path)
    if root.exists() and not root.is_dir():
        raise ScriptlabError(f"{root} is a file; give a folder for the workspace.")
    root.mkdir(parents=True, exist_ok=True)
    settings_path = root / SETTINGS_FILE
    created = not settings_path.exists()
    if created:
        settings_path.write_text(default_settings_toml(), encoding="utf-8")
    ws = Workspace(root=root, settings=load_settings(settings_path))
    migrate(ws.engine)
    return ws, created


def open_workspace(path: Path | str | None = None) -> Workspace:
    """Open an existing workspace, migrating its database forward if needed."""
    root = resolve_root(path)
    settings_path = root / SETTINGS_FILE
    if not settings_path.exists():
        raise ScriptlabError(
            f"No scriptlab workspace at {root} (no {SETTINGS_FILE}). "
            f"Create one with: scriptlab init {root}"
        )
    ws = Workspace(root=root, settings=load_settings(settings_path))
    migrate(ws.engine)
    return ws

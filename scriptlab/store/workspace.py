"""Find, create and open a team's workspace (settings + database + reports)."""

from __future__ import annotations

import os
import tomllib
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy.engine import Connection, Engine

from scriptlab.errors import ScriptlabError
from scriptlab.settings import (
    SETTINGS_FILE,
    Settings,
    default_settings_toml,
    load_settings,
    settings_from_dict,
)
from scriptlab.store import postgres
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

    @property
    def display_db_url(self) -> str:
        """The database URL as it may be shown (never a password)."""
        return postgres.display_url(self.db_url)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.db_url, busy_timeout=self.settings.store.busy_timeout,
                           password_env=self.settings.store.password_env)

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


def init_workspace(
    path: Path | str | None = None, *, db_url: str | None = None
) -> tuple[Workspace, bool]:
    """Create (or bring up to date) a workspace; returns it and whether it was new.

    `db_url` puts the database elsewhere (e.g. a team's PostgreSQL server): it is written to
    `[store] url`, and the database is reached (and its tables made) before any file is.
    """
    root = resolve_root(path)
    if root.exists() and not root.is_dir():
        raise ScriptlabError(f"{root} is a file; give a folder for the workspace.")
    settings_path = root / SETTINGS_FILE
    created = not settings_path.exists()
    if created:
        chosen = {"store": {"url": db_url}} if db_url else {}
        text = default_settings_toml(chosen)
        ws = Workspace(root=root, settings=settings_from_dict(tomllib.loads(text)))
        made = not root.exists()
        root.mkdir(parents=True, exist_ok=True)
        try:
            migrate(ws.engine)  # a wrong URL or an unreachable server fails before the file
        except ScriptlabError:
            if made and not any(root.iterdir()):
                root.rmdir()
            raise
        settings_path.write_text(text, encoding="utf-8")
        return ws, True
    ws = Workspace(root=root, settings=load_settings(settings_path))
    if db_url and db_url != ws.settings.store.url:
        raise ScriptlabError(
            f"The workspace {root} already keeps its data in {postgres.display_url(ws.db_url)}; "
            f"to move it, use: scriptlab workspace copy --to {db_url}"
        )
    migrate(ws.engine)
    return ws, False


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

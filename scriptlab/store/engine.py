"""The database engine: dialect-specific setup and error wording live here only.

SQLite is set up for several processes at once: WAL (readers never wait for a writer), a
busy timeout (a second writer waits a bounded time) and ``BEGIN IMMEDIATE`` for write
transactions, so a writer takes the lock before it reads instead of failing halfway when
another process committed in between. Driver errors a user can cause or fix (a busy, read-only
or full database) become one `ScriptlabError` naming the folder and the fix. A PostgreSQL URL
gets the engine of `scriptlab.store.postgres` (same guarantees, the server's way).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from scriptlab.errors import ScriptlabError

WRITE_OPTION = "scriptlab_write"

BUSY_MESSAGE = ("another scriptlab command is writing to this workspace; try again when it has "
                "finished (waited {seconds:g} s; [store] busy_timeout in scriptlab.toml).")


class WorkspaceBusy(ScriptlabError):
    """Another process holds the workspace's write lock for longer than the busy timeout."""


def make_engine(url: str, busy_timeout: float = 30.0,
                password_env: str = "SCRIPTLAB_DB_PASSWORD") -> Engine:
    """An engine with SQLite set up for safety: foreign keys on, WAL, real transactions.

    Python's sqlite3 driver commits DDL implicitly; taking BEGIN into our own hands (the
    recipe in SQLAlchemy's SQLite dialect docs) makes every transaction atomic, migrations
    included. `password_env` names the variable holding a PostgreSQL password.
    """
    from scriptlab.store import postgres  # only for PostgreSQL URLs

    if postgres.is_postgres_url(url):
        return postgres.make_postgres_engine(url, password_env=password_env,
                                             busy_timeout=busy_timeout, busy_error=WorkspaceBusy,
                                             busy_message=BUSY_MESSAGE)
    is_sqlite = sa.engine.make_url(url).get_backend_name() == "sqlite"
    connect_args = {"timeout": busy_timeout} if is_sqlite else {}
    engine = sa.create_engine(url, connect_args=connect_args)
    if is_sqlite:
        folder = _sqlite_folder(url)

        @sa.event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # noqa: ANN001
            writing = conn.get_execution_options().get(WRITE_OPTION, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

        @sa.event.listens_for(engine, "handle_error")
        def _sqlite_error(context):  # noqa: ANN001
            problem = sqlite_problem(str(context.original_exception), folder, busy_timeout)
            if problem is not None:
                raise problem from None

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine (same pool), with transactions that take the write lock up front."""
    return engine.execution_options(**{WRITE_OPTION: True})


def sqlite_problem(message: str, folder: Path, busy_timeout: float) -> ScriptlabError | None:
    """The user's words for an SQLite error they can fix, or None for anything else."""
    text = message.lower()
    if "database is locked" in text or "database is busy" in text:
        return WorkspaceBusy(BUSY_MESSAGE.format(seconds=busy_timeout))
    if "readonly" in text or "read-only" in text or "unable to open database file" in text:
        return ScriptlabError(
            f"Cannot write the workspace database in {folder}: the folder or scriptlab.db is "
            "read-only. Make it writable (chmod u+w, or remount the disk read-write) or work "
            "on a writable copy of the workspace."
        )
    if "disk is full" in text or "disk i/o error" in text:
        return ScriptlabError(
            f"The disk holding {folder} is full (or failing); nothing was changed. Free some "
            "space there and run the command again."
        )
    return None


def _sqlite_folder(url: str) -> Path:
    database = sa.engine.make_url(url).database or ""
    return Path(database).parent if database and database != ":memory:" else Path(".")

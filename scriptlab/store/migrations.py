"""Forward-only schema migrations.

A new database is created from `schema.metadata` and stamped with the latest
version. An existing one runs, in order, every migration newer than its stamp,
each in its own transaction. To change the schema: edit `schema.py` *and*
append a function here that brings a database of the previous version forward.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from scriptlab.errors import ScriptlabError
from scriptlab.store import schema
from scriptlab.store.engine import writer
from scriptlab.store.types import Instant


def _topic_decisions(conn: Connection) -> None:
    """v2: topics remember the trainer's ban, merge and split decisions."""
    for ddl in ("ALTER TABLE topics ADD COLUMN status VARCHAR(16) NOT NULL DEFAULT 'active'",
                "ALTER TABLE topics ADD COLUMN merged_into INTEGER",
                "ALTER TABLE topics ADD COLUMN phrasings JSON",
                "ALTER TABLE topics ADD COLUMN excluded JSON"):
        conn.execute(sa.text(ddl))


def _add_people(conn: Connection) -> None:
    """v3: users, sign-in links, browser sessions, answer drafts, quiz closures."""
    for table in (schema.users, schema.sign_in_links, schema.web_sessions,
                  schema.answer_drafts, schema.quiz_closures):
        table.create(conn, checkfirst=True)


def _library_codes_and_reviews(conn: Connection) -> None:
    """v4: library entries get a stored quick-reply code and a last-review time.

    Existing entries get the default code (their id, zero-padded) and count as reviewed
    when they last changed.
    """
    for name, kind in (("short_code", sa.String(32)), ("reviewed_at", Instant())):
        ddl = kind.compile(dialect=conn.dialect)
        conn.execute(sa.text(f"ALTER TABLE library_entries ADD COLUMN {name} {ddl}"))
    conn.execute(sa.text("UPDATE library_entries SET reviewed_at = updated_at"))
    for (entry_id,) in conn.execute(sa.text("SELECT id FROM library_entries")).all():
        conn.execute(sa.text("UPDATE library_entries SET short_code = :code WHERE id = :id"),
                     {"code": f"{entry_id:03d}", "id": entry_id})
    conn.execute(sa.text("CREATE UNIQUE INDEX ix_library_entries_short_code "
                         "ON library_entries (short_code)"))


# MIGRATIONS[i] brings a database from version i+1 to version i+2.
MIGRATIONS: list[Callable[[Connection], None]] = [
    _topic_decisions, _add_people, _library_codes_and_reviews,
]

LATEST_VERSION = 1 + len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    """The schema version a database is at; 0 for an empty database."""
    if not sa.inspect(conn).has_table(schema.schema_version.name):
        return 0
    found = conn.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar()
    return int(found or 0)


def migrate(engine: Engine) -> int:
    """Bring the database to `LATEST_VERSION`; returns the version it was at.

    The version is read first without taking the write lock, so opening an up-to-date
    workspace never waits for another command's writes; a database that needs work is
    looked at again under the lock (another process may have just migrated it).
    """
    with engine.connect() as conn:
        start = _checked_version(conn)
    if start == LATEST_VERSION:
        return start
    with writer(engine).begin() as conn:
        start = _checked_version(conn)
        if start == 0:
            create_latest(conn)
            return 0
    for version in range(start, LATEST_VERSION):
        with writer(engine).begin() as conn:
            if current_version(conn) != version:
                continue  # another process got there first
            MIGRATIONS[version - 1](conn)
            _stamp(conn, version + 1)
    return start


def _checked_version(conn: Connection) -> int:
    start = current_version(conn)
    if start > LATEST_VERSION:
        raise ScriptlabError(
            f"The workspace database is at schema version {start}, newer than this scriptlab "
            f"understands ({LATEST_VERSION}). Upgrade scriptlab: pip install -U scriptlab."
        )
    return start


def create_latest(conn: Connection) -> None:
    """Make every table of an empty database, at the latest version (in the caller's
    transaction, so a copy into a new database is one transaction, tables included)."""
    schema.metadata.create_all(conn)
    _stamp(conn, LATEST_VERSION)


def _stamp(conn: Connection, version: int) -> None:
    row = {"version": version, "applied_at": datetime.now()}
    conn.execute(sa.insert(schema.schema_version).values(**row))

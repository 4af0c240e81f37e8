"""Copy a workspace's database to another one (SQLite ⇄ PostgreSQL), verified table by table.

The copy reads the source in one snapshot and writes the target in one transaction, tables
included: it either lands whole, with every table's row count and content hash equal to the
source's, or not at all. Hashes are taken over the values as the stages see them (JSON as
stored, times as local ISO strings), so the same data hashes the same on either backend.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from scriptlab.errors import ScriptlabError
from scriptlab.settings import SETTINGS_FILE, write_store_url
from scriptlab.store import migrations, postgres, schema
from scriptlab.store.engine import make_engine
from scriptlab.store.workspace import Workspace

BATCH = 5000


@dataclass(frozen=True)
class CopyResult:
    """What `copy_workspace` did."""

    source: str  # display URLs, never a password
    target: str
    tables: list[TableDigest]
    switched: bool  # scriptlab.toml now points at the target


@dataclass(frozen=True)
class TableDigest:
    """A table's row count and the SHA-256 of its rows in primary-key order."""

    table: str
    rows: int
    sha256: str


def tables() -> list[sa.Table]:
    """Every workspace table, parents before children (the order rows can be inserted in)."""
    return list(schema.metadata.sorted_tables)


def copy_workspace(
    ws: Workspace,
    to_url: str,
    *,
    switch: bool = True,
    on_table: Callable[[TableDigest], None] | None = None,
) -> CopyResult:
    """Copy the workspace's database to `to_url`; with `switch`, the workspace then uses it.

    The source database is left as it was (a backup until you remove it).
    """
    if to_url == ws.db_url:
        raise ScriptlabError(f"The workspace already uses {ws.display_db_url}; give another "
                             "database to copy to.")
    target = make_engine(to_url, busy_timeout=ws.settings.store.busy_timeout,
                         password_env=ws.settings.store.password_env)
    try:
        copied = copy_database(ws.engine, target, on_table=on_table)
    finally:
        target.dispose()
    if switch:
        write_store_url(ws.root / SETTINGS_FILE, to_url)
    return CopyResult(ws.display_db_url, postgres.display_url(to_url), copied, switch)


def table_digests(conn: Connection) -> list[TableDigest]:
    """Row count and content hash of every workspace table (read in the caller's transaction)."""
    return [_digest(table, _rows(conn, table)) for table in tables()]


def copy_database(
    source: Engine,
    target: Engine,
    *,
    on_table: Callable[[TableDigest], None] | None = None,
) -> list[TableDigest]:
    """Copy every workspace table from `source` into the empty database `target`.

    Returns the digests, equal on both sides; raises (and writes nothing) if the target
    already holds data, the source is not at the latest schema version, or any table's
    count or hash differs after the copy.
    """
    with source.connect() as read:
        version = migrations.current_version(read)
        if version != migrations.LATEST_VERSION:
            raise ScriptlabError(
                f"The source database is at schema version {version}, not "
                f"{migrations.LATEST_VERSION}; open the workspace once with this scriptlab "
                "(any command) to bring it forward, then copy."
            )
        with target.begin() as write:
            _prepare_target(write)
            copied = []
            for table in tables():
                digest = _digest(table, _copy_rows(read, write, table))
                copied.append(digest)
                if on_table:
                    on_table(digest)
            if write.dialect.name == "postgresql":
                postgres.reset_identities(write, tables())
            landed = table_digests(write)
            if landed != copied:
                wrong = [f"{a.table} ({a.rows} rows → {b.rows})"
                         for a, b in zip(copied, landed, strict=True) if a != b]
                raise ScriptlabError(
                    "The copy does not match the source in " + ", ".join(wrong) +
                    "; nothing was written to the target."
                )
    return copied


def _prepare_target(conn: Connection) -> None:
    """Refuse a target holding data; give an empty one the tables (a stamped empty one is fine)."""
    version = migrations.current_version(conn)
    inspector = sa.inspect(conn)
    if version == 0:
        present = [t.name for t in tables() if inspector.has_table(t.name)]
        if present:
            raise ScriptlabError(
                f"The target database has tables of its own ({', '.join(present[:3])}…) but "
                "is no scriptlab workspace; copy into an empty database."
            )
        migrations.create_latest(conn)
    elif version != migrations.LATEST_VERSION:
        raise ScriptlabError(
            f"The target database is a scriptlab workspace at schema version {version}; copy "
            "into an empty database."
        )
    else:
        filled = [t.name for t in tables() if t is not schema.schema_version
                  and conn.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first()]
        if filled:
            raise ScriptlabError(
                f"The target database already holds workspace data (in {', '.join(filled[:3])}"
                "); copy into an empty database, or drop that one first."
            )
    conn.execute(sa.delete(schema.schema_version))  # the source's history replaces the stamp


def _rows(conn: Connection, table: sa.Table) -> Iterator[dict[str, Any]]:
    ordered = sa.select(table).order_by(*table.primary_key.columns)
    result = conn.execute(ordered, execution_options={"yield_per": BATCH})
    for row in result:
        yield dict(row._mapping)


def _copy_rows(read: Connection, write: Connection, table: sa.Table) -> Iterator[dict[str, Any]]:
    """Stream the table across in batches, yielding each row (for the source's digest)."""
    batch: list[dict[str, Any]] = []
    for row in _rows(read, table):
        batch.append(row)
        yield row
        if len(batch) >= BATCH:
            write.execute(sa.insert(table), batch)
            batch = []
    if batch:
        write.execute(sa.insert(table), batch)


def _digest(table: sa.Table, rows: Iterator[dict[str, Any]]) -> TableDigest:
    digest = hashlib.sha256()
    json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    count = 0
    for row in rows:
        line = [_canonical(row[c.name], c.name in json_columns) for c in table.columns]
        digest.update(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode())
        digest.update(b"\n")
        count += 1
    return TableDigest(table.name, count, digest.hexdigest())


def _canonical(value: Any, is_json: bool) -> Any:
    if value is None:
        return None
    if is_json:  # as stored: key order kept, so a reordering database would show
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return value

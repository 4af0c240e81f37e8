"""The workspace's record of imported files (`imports` table): one row per file taken in,
known by its SHA-256, so a file imported twice is recognised."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from scriptlab.store import schema


def find_import(conn: sa.Connection, kind: str, sha256: str) -> int | None:
    """The id of an earlier import of this kind with this hash, if any."""
    row = conn.execute(
        sa.select(schema.imports.c.id).where(
            schema.imports.c.kind == kind, schema.imports.c.sha256 == sha256
        )
    ).first()
    return None if row is None else row[0]


def record_import(
    conn: sa.Connection, *, kind: str, source: str, sha256: str, rows: int, skipped: int = 0,
    detail: dict[str, Any] | None = None, at: datetime | None = None,
) -> int:
    """Store that `source` (a file's path, or what a browser upload is called) was imported
    (kind: chat_log, agents, answers, ratings); its id."""
    values: dict[str, Any] = {"kind": kind, "source": source, "sha256": sha256,
                              "rows": rows, "skipped": skipped,
                              "imported_at": at or datetime.now()}
    if detail is not None:
        values["detail"] = detail
    return conn.execute(sa.insert(schema.imports).values(**values)).inserted_primary_key[0]

"""Column types whose meaning must not depend on the database behind the workspace."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa


class Instant(sa.types.TypeDecorator):
    """A moment something happened (imported, approved, computed), as local time to the stages.

    On PostgreSQL it is a `timestamp with time zone`: team leads in different zones share one
    server, and each sees the same instant in their own local time. SQLite keeps the naive
    local time it always kept (same DDL, so no migration). Wall-clock times that belong to
    the data (a chat message's time stamp) stay plain `sa.DateTime`.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> Any:
        if value is None or dialect.name != "postgresql" or value.tzinfo is not None:
            return value
        return value.astimezone()  # naive means local: say which instant that is

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> Any:
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone().replace(tzinfo=None)

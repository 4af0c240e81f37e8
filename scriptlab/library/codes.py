"""Quick-reply codes (快捷编码): what an agent types in 千牛/飞鸽/京麦 to insert a script.

Each entry keeps one code for life, stored in the workspace, so agents' muscle memory
survives new versions. A new entry gets its id, zero-padded (``007``); a lead can change it
with `scriptlab library code`. Codes are unique across the library, retired entries too
(a reinstated entry comes back with its code).
"""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.library.approval import Change, _actor, _now, _record, get_entry
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace

MAX_CODE = 16
_CODE = re.compile(r"^[\w/#.-]{1,16}$")


def default_code(entry_id: int) -> str:
    return f"{entry_id:03d}"


def assign_default(conn: Connection, entry_id: int) -> str:
    """Give an entry without a code its default one (the id, or the id plus a letter if a
    lead already used that as another entry's code)."""
    e = schema.library_entries
    base = default_code(entry_id)
    code, n = base, 0
    while conn.execute(sa.select(e.c.id).where(e.c.short_code == code,
                                               e.c.id != entry_id)).first():
        n += 1
        code = f"{base}{chr(ord('a') + n - 1)}" if n <= 26 else f"{base}-{n}"
    conn.execute(sa.update(e).where(e.c.id == entry_id).values(short_code=code))
    return code


def check_code(code: str) -> str:
    """A usable code: 1-16 letters, digits, CJK or / # . - _; no spaces."""
    code = code.strip()
    if not _CODE.match(code):
        raise UsageError(f"Quick-reply code {code!r} is not usable: give 1-{MAX_CODE} letters, "
                         "digits or Chinese characters (also / # . - _), no spaces, e.g. fh1")
    return code


def set_code(ws: Workspace, entry_id: int, code: str, *, by: str | None = None,
             now: datetime | None = None) -> Change:
    """Change an entry's quick-reply code; it appears in the next published files."""
    actor, when = _actor(by), now or _now()
    code = check_code(code)
    e = schema.library_entries
    with ws.write() as conn:
        entry = get_entry(conn, entry_id)
        owner = conn.execute(sa.select(e.c.id).where(e.c.short_code == code)).first()
        if owner is not None and owner.id != entry_id:
            raise ScriptlabError(f"Quick-reply code {code!r} belongs to entry {owner.id}; "
                                 "codes are unique. Choose another, or change that one first.")
        old = conn.execute(sa.select(e.c.short_code).where(e.c.id == entry_id)).scalar()
        conn.execute(sa.update(e).where(e.c.id == entry_id).values(short_code=code))
        _record(conn, entry_id, "code", actor, when, {"code": code, "previous_code": old})
    return Change(entry_id, entry.topic_id, "code", entry.question, actor, when)

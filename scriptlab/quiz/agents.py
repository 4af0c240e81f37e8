"""The team roster: import agents from a CSV/XLSX export, list them.

Every quiz sheet and answer template is made per agent, so the roster is the quiz's
audience. Imports are validated as a whole (every problem reported with its row
number, as a spreadsheet shows it) and written in one transaction, or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from scriptlab.errors import ScriptlabError
from scriptlab.files import file_sha256
from scriptlab.io.tables import read_frame
from scriptlab.store import schema
from scriptlab.store.imports import record_import
from scriptlab.store.workspace import Workspace
from scriptlab.text.mask import mask_text

if TYPE_CHECKING:
    import pandas as pd

# Standard field -> header names seen in rosters (compared after `_key`).
AGENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("agent_id", "agentid", "工号", "客服id", "客服工号", "客服账号", "员工编号", "员工号",
           "staff_id", "账号", "编号", "id"),
    "name": ("name", "agent_name", "姓名", "名字", "客服姓名", "客服名称", "员工姓名"),
    "team": ("team", "group", "组", "团队", "小组", "分组", "班组", "组别"),
    "email": ("email", "e_mail", "mail", "邮箱", "电子邮件", "电子邮箱", "邮件"),
}
REQUIRED_COLUMNS = ("id", "name")
MAX_PROBLEMS = 10
AGENT_FRAME_COLUMNS = ["agent_id", "name", "team", "email", "active"]


@dataclass(frozen=True)
class AgentImport:
    """What an agents import did."""

    source: str
    rows: int
    added: int
    updated: int
    unchanged: int
    deactivated: int = 0


def _key(name: object) -> str:
    return re.sub(r"[\s_\-()（）:：.]+", "_", str(name).strip().lower().lstrip("\ufeff")).strip("_")


def read_roster(path: Path) -> pd.DataFrame:
    """Read and check a roster file; columns agent_id, name, team, email (None when empty).

    Parameters
    ----------
    path
        A CSV (UTF-8 or GBK) or XLSX file with one row per agent and a header row.

    Returns
    -------
    pandas.DataFrame
        One row per agent, in file order.

    Raises
    ------
    ScriptlabError
        Unreadable file, missing columns, empty id/name, duplicate ids or bad e-mail,
        with the row numbers of every problem (the header is row 1).
    """
    raw = _read_table(path)
    columns = _resolve_columns([str(c) for c in raw.columns], path)
    import pandas as pd

    records = [
        (int(row), {field: _cell(raw.at[row, columns[field]]) if field in columns else None
                    for field in AGENT_COLUMNS})
        for row in raw.index
    ]
    records = [(row, r) for row, r in records if any(v is not None for v in r.values())]
    _check_rows(records, path)
    frame = pd.DataFrame([r for _row, r in records], columns=list(AGENT_COLUMNS), dtype=object)
    frame = frame.astype(object).where(frame.notna(), None)
    for column in ("name", "team"):  # a roster cell can hold "我叫张三丰13800138000"
        frame[column] = frame[column].map(lambda v: None if v is None else mask_text(v))
    return frame.rename(columns={"id": "agent_id"})[["agent_id", "name", "team", "email"]]


def _read_table(path: Path) -> pd.DataFrame:
    return read_frame(path, "agents")


def _resolve_columns(header: list[str], path: Path) -> dict[str, str]:
    by_key = {_key(h): h for h in header}
    found: dict[str, str] = {}
    for field, aliases in AGENT_COLUMNS.items():
        for alias in aliases:
            if alias in by_key:
                found[field] = by_key[alias]
                break
    missing = [f for f in REQUIRED_COLUMNS if f not in found]
    if missing:
        wanted = {"id": "agent id (工号/客服ID/agent_id)", "name": "name (姓名/name)"}
        raise ScriptlabError(
            f"{path}: missing column(s) {', '.join(wanted[m] for m in missing)}. "
            f"Columns in the file: {', '.join(header) or '(none)'}. "
            "Expected agent id, name, optional team (组/团队/team) and e-mail (邮箱/email)."
        )
    return found


def _cell(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _check_rows(records: list[tuple[int, dict[str, str | None]]], path: Path) -> None:
    problems: list[str] = []
    first_row: dict[str, int] = {}
    for row, record in records:
        agent_id, name, email = record["id"], record["name"], record["email"]
        if agent_id is None:
            problems.append(f"row {row}: empty agent id")
        elif agent_id in first_row:
            problems.append(
                f"row {row}: duplicate agent id '{agent_id}' (also row {first_row[agent_id]})"
            )
        else:
            first_row[agent_id] = row
        if agent_id is not None and len(agent_id) > 64:
            problems.append(f"row {row}: agent id longer than 64 characters")
        if name is None:
            problems.append(f"row {row}: empty name")
        if email is not None and "@" not in email:
            problems.append(f"row {row}: e-mail '{email}' has no @")
    if not records:
        problems.append("no agent rows under the header")
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        suffix = f"; and {more} more" if more else ""
        raise ScriptlabError(
            f"{path}: {'; '.join(shown)}{suffix}. Fix the file and import it again "
            "(nothing was imported)."
        )


def import_agents(
    ws: Workspace, path: Path | str, *, deactivate_missing: bool = False,
    now: datetime | None = None,
) -> AgentImport:
    """Add or update (by agent id) every agent in a roster file, in one transaction.

    An imported agent is active. Agents missing from the file are left as they are, or,
    with `deactivate_missing`, marked inactive (they get no more quiz sheets; their past
    answers stay).
    """
    path = Path(path)
    roster = read_roster(path)
    now = now or datetime.now()
    table = schema.agents
    added = updated = unchanged = 0
    ids = roster["agent_id"].tolist()
    with ws.write() as conn:
        existing = {row.id: row for row in conn.execute(sa.select(table)
                                                        .where(table.c.id.in_(ids)))}
        for record in roster.to_dict("records"):
            values = {"name": record["name"], "team": record["team"], "email": record["email"],
                      "active": True}
            old = existing.get(record["agent_id"])
            if old is None:
                conn.execute(sa.insert(table).values(id=record["agent_id"], updated_at=now,
                                                     **values))
                added += 1
            elif all(getattr(old, k) == v for k, v in values.items()):
                unchanged += 1
            else:
                conn.execute(
                    sa.update(table).where(table.c.id == record["agent_id"])
                    .values(updated_at=now, **values)
                )
                updated += 1
        deactivated = 0
        if deactivate_missing:
            deactivated = conn.execute(
                sa.update(table).where(table.c.id.not_in(ids), table.c.active.is_(True))
                .values(active=False, updated_at=now)
            ).rowcount
        record_import(conn, kind="agents", source=str(path), sha256=file_sha256(path),
                      rows=len(roster), at=now,
                      detail={"added": added, "updated": updated, "unchanged": unchanged,
                              "deactivated": deactivated})
    return AgentImport(path.name, len(roster), added, updated, unchanged, deactivated)




def list_agents(ws: Workspace, *, team: str | None = None,
                active_only: bool = False) -> pd.DataFrame:
    """Agents sorted by team then id; columns agent_id, name, team, email, active."""
    import pandas as pd

    table = schema.agents
    query = sa.select(
        table.c.id.label("agent_id"), table.c.name, table.c.team, table.c.email, table.c.active
    ).order_by(table.c.team, table.c.id)
    if team is not None:
        query = query.where(table.c.team == team)
    if active_only:
        query = query.where(table.c.active.is_(True))
    with ws.engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame([r._asdict() for r in rows], columns=AGENT_FRAME_COLUMNS, dtype=object)
    return frame.where(frame.notna(), None)


def known_teams(ws: Workspace) -> list[str]:
    """Team names in the roster, sorted."""
    table = schema.agents
    with ws.engine.connect() as conn:
        rows = conn.execute(
            sa.select(table.c.team).where(table.c.team.is_not(None)).distinct()
            .order_by(table.c.team)
        ).all()
    return [r.team for r in rows]

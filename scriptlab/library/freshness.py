"""Which library entries need a lead's second look, and why.

An entry is *due* when it was last reviewed (approved, replaced, edited or confirmed with
`scriptlab library reviewed`) longer ago than the review interval (`[library] review_days`),
or when customers started asking its question differently since: mining runs after the last
review found wordings the entry has never seen, or the question's share of all questions
rose by `review_rise` or more from one run to the next. `publish` writes the result into
faq.json (``stale``, ``review_due``, ``review_reasons``) and the page marks such entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError
from scriptlab.library.approval import ACTIVE, RETIRED, _actor, _now, _record, get_entry
from scriptlab.library.settings import LibrarySettings
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace

MAX_EXAMPLES = 3  # new wordings quoted per reason


@dataclass(frozen=True)
class Review:
    """An entry's review state at a moment."""

    entry_id: int
    topic_id: int | None
    question: str
    reviewed_at: datetime
    due_at: datetime
    stale: bool
    reasons: tuple[str, ...]
    new_wordings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Group:
    run_id: int
    run_at: datetime
    share: float
    count: int
    variants: tuple[tuple[str, int], ...]


def review_states(
    conn: Connection, settings: LibrarySettings, rows: Iterable[Any], now: datetime
) -> dict[int, Review]:
    """Entry id → its `Review`, for library_entries rows (id, topic_id, question, variants,
    reviewed_at/updated_at)."""
    rows = list(rows)
    groups = _topic_groups(conn, [r.topic_id for r in rows if r.topic_id is not None])
    return {r.id: review_state(r, groups.get(r.topic_id, []), settings, now) for r in rows}


def review_state(row: Any, groups: Sequence[_Group], settings: LibrarySettings,
                 now: datetime) -> Review:
    """One entry's review state from its mined groups (oldest run first)."""
    reviewed = row.reviewed_at or row.updated_at
    due = reviewed + timedelta(days=settings.review_days)
    reasons: list[str] = []
    if now >= due:
        reasons.append(f"last reviewed {reviewed:%Y-%m-%d}, {(now - reviewed).days} days ago "
                       f"(review every {settings.review_days} days)")
    before = [g for g in groups if g.run_at <= reviewed]
    after = [g for g in groups if g.run_at > reviewed]
    known = {row.question.strip(), *(str(v).strip() for v in (row.variants or ()))}
    known.update(text.strip() for g in before for text, _ in g.variants)
    new: dict[str, int] = {}
    for g in after:
        for text, count in g.variants:
            text = text.strip()
            if text and text not in known and count >= settings.review_min_count:
                new[text] = new.get(text, 0) + count
    if new:
        runs = ", ".join(str(g.run_id) for g in after)
        examples = sorted(new, key=lambda t: -new[t])[:MAX_EXAMPLES]
        reasons.append(f"{len(new)} new wording{'s' if len(new) > 1 else ''} in mining "
                       f"run{'s' if len(after) > 1 else ''} {runs}: "
                       + ", ".join(f"“{t}”" for t in examples))
    chain = before[-1:] + after
    for prev, cur in zip(chain, chain[1:], strict=False):
        if prev.share > 0 and cur.share >= prev.share * (1 + settings.review_rise):
            reasons.append(f"asked more often: {prev.share:.1%} → {cur.share:.1%} of questions "
                           f"(run {prev.run_id} → {cur.run_id})")
            break
    return Review(
        entry_id=row.id, topic_id=row.topic_id, question=row.question, reviewed_at=reviewed,
        due_at=due, stale=bool(reasons), reasons=tuple(reasons),
        new_wordings=tuple(sorted(new, key=lambda t: -new[t])),
    )


def _topic_groups(conn: Connection, topic_ids: Sequence[int]) -> dict[int, list[_Group]]:
    """Topic → its question groups in every mining run, oldest run first.

    The topics are selected through the library table (a subquery), not a literal list, so a
    library of thousands of entries over many runs stays within SQL's parameter limits.
    """
    wanted = set(topic_ids)
    if not wanted:
        return {}
    g, v, r, e = (schema.question_groups, schema.group_variants, schema.mine_runs,
                  schema.library_entries)
    in_library = g.c.topic_id.in_(sa.select(e.c.topic_id).distinct().scalar_subquery())
    found = conn.execute(
        sa.select(g.c.id, g.c.topic_id, g.c.run_id, g.c.share, g.c.count, r.c.created_at)
        .select_from(g.join(r, r.c.id == g.c.run_id))
        .where(in_library)
        .order_by(r.c.created_at, r.c.id)
    ).all()
    variants: dict[int, list[tuple[str, int]]] = {}
    if found:
        rows = conn.execute(sa.select(v.c.group_id, v.c.text, v.c.count)
                            .select_from(v.join(g, g.c.id == v.c.group_id)).where(in_library))
        for vr in rows:
            variants.setdefault(vr.group_id, []).append((vr.text, vr.count))
    out: dict[int, list[_Group]] = {}
    for f in found:
        if f.topic_id in wanted:
            out.setdefault(f.topic_id, []).append(_Group(
                run_id=f.run_id, run_at=f.created_at, share=float(f.share), count=int(f.count),
                variants=tuple(variants.get(f.id, ())),
            ))
    return out


def due_entries(ws: Workspace, now: datetime | None = None) -> list[Review]:
    """Active entries to re-check now, most overdue first."""
    when = now or _now()
    e = schema.library_entries
    with ws.engine.connect() as conn:
        rows = conn.execute(sa.select(e).where(e.c.status == ACTIVE).order_by(e.c.id)).all()
        states = review_states(conn, ws.settings.library, rows, when)
    due = [s for s in states.values() if s.stale]
    return sorted(due, key=lambda s: (s.due_at, s.entry_id))


def mark_reviewed(ws: Workspace, entry_id: int, *, by: str | None = None,
                  note: str | None = None, now: datetime | None = None) -> Review:
    """Record that a lead checked an entry and it is still right (restarts its interval)."""
    actor, when = _actor(by), now or _now()
    e = schema.library_entries
    with ws.write() as conn:
        entry = get_entry(conn, entry_id)
        if entry.status == RETIRED:
            raise ScriptlabError(f"Library entry {entry_id} is retired; only active entries are "
                                 "reviewed. See them with: scriptlab library due")
        conn.execute(sa.update(e).where(e.c.id == entry_id).values(reviewed_at=when))
        _record(conn, entry_id, "review", actor, when, {"note": note or ""})
        row = conn.execute(sa.select(e).where(e.c.id == entry_id)).one()
        return review_states(conn, ws.settings.library, [row], when)[entry_id]

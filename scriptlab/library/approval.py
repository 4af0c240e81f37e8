"""Which winning answers become library scripts, and the record of who decided what, when.

The library holds at most one entry per topic (a customer question across mining runs).
A team lead approves a topic's winning quiz answer (or another answer, or their own edit of
it); a later, better-scoring winner *replaces* the script of the same entry, so its id stays
stable for agents; `retire` takes an entry out of the next published version. Every change
is one row in `library_events` (action, actor, time, details), written in the same
transaction as the change itself.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.library.categories import derive_category
from scriptlab.library.settings import word_table
from scriptlab.mine.queries import latest_phrasings, topic_label
from scriptlab.scoring.queries import Winner, answer_as_winner, latest_winners
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace
from scriptlab.text.mask import mask_text

ACTIVE, RETIRED = "active", "retired"


@dataclass(frozen=True)
class Entry:
    """A library entry as stored (active or retired)."""

    id: int
    topic_id: int
    question: str
    variants: tuple[str, ...]
    script: str
    category: str | None
    tags: tuple[str, ...]
    answer_id: int | None
    author_agent_id: str | None
    score: float | None
    quiz_week: str | None
    status: str
    approved_by: str
    approved_at: datetime
    updated_at: datetime
    code: str | None = None  # quick-reply code (see scriptlab.library.codes)
    reviewed_at: datetime | None = None


@dataclass(frozen=True)
class Candidate:
    """A winner worth approving: new to the library, or better than the current script."""

    winner: Winner
    reason: str
    entry_id: int | None


@dataclass(frozen=True)
class Change:
    """One recorded library change."""

    entry_id: int
    topic_id: int
    action: str  # approve | replace | edit | retire
    question: str
    actor: str
    at: datetime


@dataclass(frozen=True)
class Event:
    """A row of the library's history."""

    id: int
    entry_id: int
    action: str
    actor: str
    at: datetime
    detail: dict[str, Any]


def default_actor() -> str:
    """Who is making the change when `--by` is not given: the login name."""
    try:
        return os.environ.get("USER") or getpass.getuser() or "unknown"
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _actor(by: str | None) -> str:
    actor = (by if by is not None else default_actor()).strip()
    if not actor:
        raise UsageError("--by is empty: say who approves, e.g. --by 张三")
    return actor


# -- reading -------------------------------------------------------------------------------


def _entry(row: Any) -> Entry:
    return Entry(
        id=row.id, topic_id=row.topic_id, question=row.question,
        variants=tuple(row.variants or ()), script=row.script, category=row.category,
        tags=tuple(row.tags or ()), answer_id=row.answer_id,
        author_agent_id=row.author_agent_id,
        score=None if row.score is None else float(row.score), quiz_week=row.quiz_week,
        status=row.status, approved_by=row.approved_by, approved_at=row.approved_at,
        updated_at=row.updated_at, code=row.short_code, reviewed_at=row.reviewed_at,
    )


def _entries_by_topic(conn: Connection) -> dict[int, Entry]:
    e = schema.library_entries
    rows = conn.execute(sa.select(e).order_by(e.c.id))
    return {row.topic_id: _entry(row) for row in rows}


def list_entries(ws: Workspace, include_retired: bool = False) -> list[Entry]:
    """Library entries (active only unless `include_retired`), by category then id."""
    e = schema.library_entries
    query = sa.select(e).order_by(e.c.category, e.c.id)
    if not include_retired:
        query = query.where(e.c.status == ACTIVE)
    with ws.engine.connect() as conn:
        return [_entry(row) for row in conn.execute(query)]


def entry_of_topic(ws: Workspace, topic_id: int) -> int:
    """The active library entry of a topic (what `library retire TOPIC` retires)."""
    e = schema.library_entries
    with ws.engine.connect() as conn:
        ids = list(conn.execute(sa.select(e.c.id).where(e.c.topic_id == topic_id,
                                                         e.c.status == ACTIVE)
                                .order_by(e.c.id)).scalars())
    if not ids:
        raise ScriptlabError(f"Topic {topic_id} has no active script in the library. See the "
                             "topics that have one with: scriptlab library list")
    if len(ids) > 1:
        raise ScriptlabError(f"Topic {topic_id} has {len(ids)} active library entries "
                             f"({', '.join(map(str, ids))}); retire one with --entry N.")
    return ids[0]


def get_entry(conn: Connection, entry_id: int) -> Entry:
    e = schema.library_entries
    row = conn.execute(sa.select(e).where(e.c.id == entry_id)).first()
    if row is None:
        raise ScriptlabError(
            f"Unknown library entry {entry_id}. See the entries with: scriptlab library list --all"
        )
    return _entry(row)


def list_candidates(ws: Workspace) -> list[Candidate]:
    """Winners not in the library yet, or scoring better than the topic's current script.

    A winner whose answer is the one a lead retired is not suggested again.
    """
    with ws.engine.connect() as conn:
        winners = latest_winners(conn)
        entries = _entries_by_topic(conn)
    out: list[Candidate] = []
    for topic_id, winner in sorted(winners.items()):
        entry = entries.get(topic_id)
        reason = _candidate_reason(winner, entry)
        if reason:
            out.append(Candidate(winner, reason, entry.id if entry else None))
    return out


def _candidate_reason(winner: Winner, entry: Entry | None) -> str:
    if entry is None:
        return "new"
    if entry.answer_id == winner.answer_id:
        return ""
    if entry.status == RETIRED:
        return f"new (entry {entry.id} was retired)"
    if entry.score is None or (winner.score is not None and winner.score > entry.score):
        current = "unscored" if entry.score is None else f"{entry.score:.2f}"
        return f"better than current script ({_fmt(winner.score)} > {current})"
    return ""


def _fmt(score: float | None) -> str:
    return "-" if score is None else f"{score:.2f}"


def history(ws: Workspace, entry_id: int | None = None) -> list[Event]:
    """The recorded changes, oldest first (of one entry, or of all)."""
    v = schema.library_events
    query = sa.select(v).order_by(v.c.at, v.c.id)
    with ws.engine.connect() as conn:
        if entry_id is not None:
            get_entry(conn, entry_id)
            query = query.where(v.c.entry_id == entry_id)
        return [Event(r.id, r.entry_id, r.action, r.actor, r.at, dict(r.detail or {}))
                for r in conn.execute(query)]


# -- changing ------------------------------------------------------------------------------


def approve(
    ws: Workspace,
    topic_id: int,
    *,
    answer_id: int | None = None,
    text: str | None = None,
    category: str | None = None,
    by: str | None = None,
    now: datetime | None = None,
) -> Change:
    """Put a topic's winning answer (or `answer_id`, or an edited `text`) in the library.

    Parameters
    ----------
    topic_id:
        The question's topic (GROUP in the CLI).
    answer_id:
        Approve this answer instead of the latest winner; it must answer the same topic.
    text:
        The script to publish, when the lead edited the answer.
    category:
        Set the category instead of keeping/deriving it.
    by, now:
        Who approves (default: the login name) and when (default: now).

    Returns
    -------
    Change
        With action ``approve`` (new or reinstated entry), ``replace`` (another answer) or
        ``edit`` (same answer, new text or category).
    """
    actor, when = _actor(by), now or _now()
    with ws.write() as conn:
        winner = _chosen_answer(conn, topic_id, answer_id)
        entries = _entries_by_topic(conn)
        return _approve(ws, conn, winner, entries.get(topic_id), text, category, actor, when)


def draft_script(ws: Workspace, topic_id: int, answer_id: int | None = None) -> str:
    """The script `approve` would publish for a topic (what `--edit` starts from)."""
    with ws.engine.connect() as conn:
        return _chosen_answer(conn, topic_id, answer_id).text.strip()


def approve_all_winners(
    ws: Workspace, *, by: str | None = None, now: datetime | None = None
) -> list[Change]:
    """Approve every current candidate (see `list_candidates`) in one transaction."""
    actor, when = _actor(by), now or _now()
    candidates = list_candidates(ws)
    changes = []
    with ws.write() as conn:
        entries = _entries_by_topic(conn)
        for candidate in candidates:
            w = candidate.winner
            changes.append(_approve(ws, conn, w, entries.get(w.topic_id), None, None, actor, when))
    return changes


def retire(
    ws: Workspace,
    entry_id: int,
    *,
    by: str | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> Change:
    """Take an entry out of the library (it disappears from the next published version)."""
    actor, when = _actor(by), now or _now()
    e = schema.library_entries
    with ws.write() as conn:
        entry = get_entry(conn, entry_id)
        if entry.status == RETIRED:
            raise ScriptlabError(
                f"Library entry {entry_id} is already retired. To bring it back, approve its "
                f"topic again: scriptlab library approve {entry.topic_id}"
            )
        conn.execute(sa.update(e).where(e.c.id == entry_id).values(status=RETIRED,
                                                                     updated_at=when))
        _record(conn, entry_id, "retire", actor, when, {"reason": reason or ""})
    return Change(entry_id, entry.topic_id, "retire", entry.question, actor, when)


def _chosen_answer(conn: Connection, topic_id: int, answer_id: int | None) -> Winner:
    label = topic_label(conn, topic_id)
    if label is None:
        raise ScriptlabError(
            f"Unknown topic {topic_id}. See the topics with a winning answer with: "
            "scriptlab library candidates"
        )
    if answer_id is None:
        winner = latest_winners(conn, topic_id).get(topic_id)
        if winner is None:
            raise ScriptlabError(
                f"Topic {topic_id} ({label}) has no winning answer yet. Score its quiz "
                "first, or choose an answer yourself with --answer ID."
            )
        return winner
    return _answer(conn, topic_id, answer_id)


def _answer(conn: Connection, topic_id: int, answer_id: int) -> Winner:
    # Any answer may be chosen, winner or not.
    winner = answer_as_winner(conn, answer_id)
    if winner is None:
        raise ScriptlabError(f"Unknown answer {answer_id}. Answer ids are listed by "
                             "scriptlab library candidates (column answer).")
    if winner.topic_id != topic_id:
        raise ScriptlabError(
            f"Answer {answer_id} answers group {winner.topic_id}, not group {topic_id}. "
            f"Approve it with: scriptlab library approve {winner.topic_id} --answer {answer_id}"
        )
    if not winner.text.strip():
        raise ScriptlabError(f"Answer {answer_id} is empty (the agent gave no answer); "
                             "choose another with --answer ID.")
    return winner


def _approve(
    ws: Workspace,
    conn: Connection,
    winner: Winner,
    entry: Entry | None,
    text: str | None,
    category: str | None,
    actor: str,
    when: datetime,
) -> Change:
    script = (winner.text if text is None else mask_text(text)).strip()
    if not script:
        raise ScriptlabError("The script is empty; nothing was approved. Give the text to "
                             "publish with --text or --edit.")
    if category is not None and not category.strip():
        raise UsageError("--category is empty: give a name such as 物流, or leave it out.")
    variants, tags = _phrasings(conn, ws, winner)
    settings = ws.settings.library
    chosen = (category.strip() if category else None) or (entry.category if entry else None)
    if chosen is None:
        rules = word_table(settings.categories, "categories")
        chosen = derive_category([winner.question, *variants, *tags], rules,
                                 settings.default_category)
    values = {
        "topic_id": winner.topic_id, "question": winner.question, "variants": variants,
        "script": script, "category": chosen, "tags": tags, "answer_id": winner.answer_id,
        "author_agent_id": winner.agent_id, "score": winner.score,
        "quiz_week": winner.quiz_week, "status": ACTIVE, "approved_by": actor,
        "approved_at": when, "updated_at": when, "reviewed_at": when,
    }
    detail: dict[str, Any] = {
        "answer_id": winner.answer_id, "score": winner.score, "quiz_week": winner.quiz_week,
        "edited": script != winner.text.strip(), "category": chosen,
    }
    e = schema.library_entries
    if entry is None:
        entry_id = conn.execute(sa.insert(e).values(**values)).inserted_primary_key[0]
        action = "approve"
    else:
        entry_id, action = entry.id, _action(entry, winner, script, chosen)
        if action == "approve":
            detail["reinstated"] = True
        else:
            detail["previous_script"] = entry.script
            detail["previous_answer_id"] = entry.answer_id
        conn.execute(sa.update(e).where(e.c.id == entry.id).values(**values))
    if conn.execute(sa.select(e.c.short_code).where(e.c.id == entry_id)).scalar() is None:
        from scriptlab.library.codes import assign_default  # codes builds on this module

        assign_default(conn, entry_id)
    _record(conn, entry_id, action, actor, when, detail)
    return Change(entry_id, winner.topic_id, action, winner.question, actor, when)


def _action(entry: Entry, winner: Winner, script: str, category: str) -> str:
    if entry.status == RETIRED:
        return "approve"
    if entry.answer_id != winner.answer_id:
        return "replace"
    if entry.script != script or entry.category != category:
        return "edit"
    raise ScriptlabError(
        f"Topic {entry.topic_id} is already in the library with this answer (entry "
        f"{entry.id}); nothing changed. To change its script use --edit or --text."
    )


def _phrasings(conn: Connection, ws: Workspace, winner: Winner) -> tuple[list[str], list[str]]:
    """Customer phrasings (latest mining run's group of the topic, then the quiz's) and tags."""
    texts, keywords = latest_phrasings(conn, winner.topic_id)
    settings = ws.settings.library
    seen = {winner.question.strip()}
    variants: list[str] = []
    for text in [*texts, *winner.phrasings]:
        text = str(text).strip()
        if text and text not in seen:
            seen.add(text)
            variants.append(text)
    tags = list(dict.fromkeys(k.strip() for k in keywords if k.strip()))
    return variants[: settings.max_variants], tags[: settings.max_tags]


def _record(conn: Connection, entry_id: int, action: str, actor: str, when: datetime,
            detail: dict[str, Any]) -> None:
    conn.execute(sa.insert(schema.library_events).values(
        entry_id=entry_id, action=action, actor=actor, at=when, detail=detail,
    ))

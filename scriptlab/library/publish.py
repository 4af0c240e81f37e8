"""`scriptlab publish`: freeze the active entries as library version N with a changelog, and
write the files agents use (faq.json, index.html, faq.md, faq.csv, faq.xlsx).

A version is a snapshot stored in `library_versions`, so the changelog of the next one
(added / changed / retired entries) is a plain comparison of two snapshots, whatever
happened in between. Publishing when nothing changed creates no version unless forced.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError
from scriptlab.files import move_files, write_files
from scriptlab.library.approval import ACTIVE, _actor
from scriptlab.library.codes import assign_default
from scriptlab.library.faq import LATEST_DIR, FaqEntry, FaqLibrary, entry_from_json
from scriptlab.library.freshness import review_states
from scriptlab.library.lookup import INDEX_FILE, SAVE_INDEX_FROM, write_index
from scriptlab.library.quickreply import QuickReplyFile, write_quick_replies
from scriptlab.library.settings import word_table
from scriptlab.quiz.queries import agent_names
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace


@dataclass(frozen=True)
class Version:
    """A published library version, as recorded in the workspace."""

    version: int
    created_at: datetime
    created_by: str
    changelog: dict[str, list[dict[str, Any]]]
    entries: tuple[FaqEntry, ...]


@dataclass(frozen=True)
class PublishResult:
    """What `publish` did: a new version and its files, or nothing (no changes)."""

    created: bool
    library: FaqLibrary | None  # the new version (None when nothing was published)
    previous: Version | None
    out_dir: Path | None
    files: tuple[Path, ...]
    quick_replies: tuple[QuickReplyFile, ...] = ()  # per platform: rows written, left out


def default_out_dir(ws: Workspace, version: int) -> Path:
    return ws.reports_dir / f"library-v{version}"


def list_versions(ws: Workspace) -> list[Version]:
    """Every published version, oldest first."""
    v = schema.library_versions
    with ws.engine.connect() as conn:
        return [_version(r) for r in conn.execute(sa.select(v).order_by(v.c.version))]


def _version(row: Any) -> Version:
    return Version(
        version=row.version, created_at=row.created_at, created_by=row.created_by,
        changelog=dict(row.changelog),
        entries=tuple(entry_from_json(e, n) for n, e in enumerate(row.snapshot)),
    )


def _latest(conn: Connection) -> Version | None:
    v = schema.library_versions
    row = conn.execute(sa.select(v).order_by(v.c.version.desc()).limit(1)).first()
    return _version(row) if row else None


def changelog(
    previous: Sequence[FaqEntry], current: Sequence[FaqEntry]
) -> dict[str, list[dict[str, Any]]]:
    """Entries added, changed (what agents see differs) and retired between two versions."""
    before = {e.id: e for e in previous}
    now = {e.id: e for e in current}

    def item(e: FaqEntry) -> dict[str, Any]:
        return {"id": e.id, "question": e.question}

    return {
        "added": [item(e) for e in current if e.id not in before],
        "changed": [item(e) for e in current if e.id in before and not same(before[e.id], e)],
        "retired": [item(e) for e in previous if e.id not in now],
    }


def same(old: FaqEntry, new: FaqEntry) -> bool:
    """Agents see no difference: same content and quick-reply code (a snapshot from before
    codes existed has none, which is no change)."""
    return old.content == new.content and (not old.code or old.code == new.code)


def is_empty(log: dict[str, list[Any]]) -> bool:
    return not any(log.values())


def current_entries(
    conn: Connection, ws: Workspace, previous: Version | None, version: int,
    now: datetime | None = None,
) -> list[FaqEntry]:
    """The active entries as they would be published in `version` at `now`.

    An entry keeps the version number it last changed in; new or changed ones get `version`.
    Each carries its quick-reply code and review state (stale or not, and why).
    """
    e = schema.library_entries
    rows = conn.execute(sa.select(e).where(e.c.status == ACTIVE)).all()
    names = agent_names(conn)
    before = {x.id: x for x in previous.entries} if previous else {}
    order = _category_order(ws)
    reviews = review_states(conn, ws.settings.library, rows, now or datetime.now())
    entries = []
    for r in sorted(rows, key=lambda r: (order.get(r.category, len(order)), r.category or "",
                                         r.id)):
        review = reviews[r.id]
        entry = FaqEntry(
            id=r.id, topic_id=r.topic_id,
            category=r.category or ws.settings.library.default_category,
            tags=tuple(r.tags or ()), question=r.question, variants=tuple(r.variants or ()),
            script=r.script, author_agent_id=r.author_agent_id,
            author_agent_name=names.get(r.author_agent_id),
            score=None if r.score is None else round(float(r.score), 4),
            quiz_week=r.quiz_week, version=version, approved_by=r.approved_by,
            approved_at=_iso(r.approved_at), updated_at=_iso(r.updated_at),
            code=r.short_code or assign_default(conn, r.id), reviewed_at=_iso(review.reviewed_at),
            review_due=_iso(review.due_at), stale=review.stale, review_reasons=review.reasons,
        )
        old = before.get(r.id)
        if old is not None and same(old, entry):
            entry = replace(entry, version=old.version)
        entries.append(entry)
    return entries


def _category_order(ws: Workspace) -> dict[str, int]:
    settings = ws.settings.library
    names = [*word_table(settings.categories, "categories"), settings.default_category]
    return {name: n for n, name in enumerate(dict.fromkeys(names))}


def _iso(value: datetime) -> str:
    """RFC 3339 with the UTC offset: faq.json's schema says date-time, which requires one."""
    return value.replace(microsecond=0).astimezone().isoformat()


def publish(
    ws: Workspace,
    *,
    out: Path | None = None,
    by: str | None = None,
    force: bool = False,
    now: datetime | None = None,
) -> PublishResult:
    """Create the next library version and write its files.

    Parameters
    ----------
    out:
        Folder for the files (default ``reports/library-v<N>/``). The newest version is
        also copied to ``reports/library-latest/``, where `scriptlab lookup` finds it.
    by:
        Who publishes (default: the login name).
    force:
        Create a version even when nothing changed since the last one.
    now:
        Publication time (default: now).

    Returns
    -------
    PublishResult
        ``created`` is False (and nothing is written) when nothing changed.
    """
    from scriptlab.library.render import write_outputs

    actor = _actor(by)
    when = (now or datetime.now()).replace(microsecond=0)
    with ws.write() as conn:
        previous = _latest(conn)
        number = previous.version + 1 if previous else 1
        entries = current_entries(conn, ws, previous, number, when)
        log = changelog(previous.entries if previous else (), entries)
        if previous is None and not entries:
            raise ScriptlabError(
                "The library is empty: nothing to publish. Approve scripts first: see "
                "`scriptlab library candidates`, then `scriptlab library approve GROUP` "
                "(or --all-winners)."
            )
        if previous is not None and is_empty(log) and not force:
            return PublishResult(False, None, previous, None, ())
        library = FaqLibrary(
            version=number, published_at=_iso(when), published_by=actor, changelog=log,
            min_confidence=ws.settings.library.min_confidence,
            synonyms=word_table(ws.settings.library.synonyms, "synonyms"),
            entries=tuple(entries),
        )
        out_dir = (out or default_out_dir(ws, number)).expanduser().resolve()
        staging = _staging_dir(out_dir)
        try:
            written = write_outputs(library, staging, templates_dir=ws.templates_dir)
            quick = write_quick_replies(library, staging, ws.settings.library.quick_replies)
            written.extend(q.path for q in quick)
            if len(entries) >= SAVE_INDEX_FROM:  # big: agents' lookups load it, not build it
                written.append(write_index(library, written[0]))
            conn.execute(sa.insert(schema.library_versions).values(
                version=number, created_at=when, created_by=actor, changelog=log,
                snapshot=[e.to_json() for e in entries],
            ))
            files = tuple(move_files(written, out_dir,
                                     force_hint="give another folder with --out DIR"))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    latest = (ws.reports_dir / LATEST_DIR).resolve()
    if latest != out_dir:
        _copy_latest(files, latest)
    quick = tuple(replace(q, path=out_dir / q.path.name) for q in quick)
    return PublishResult(True, library, previous, out_dir, files, quick)


def _staging_dir(out_dir: Path) -> Path:
    """A temp folder next to `out_dir`, so the final moves are renames on one disk."""
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScriptlabError(f"Cannot create {out_dir.parent} ({exc.strerror}); "
                             "choose another folder with --out DIR.") from None
    if out_dir.exists() and not out_dir.is_dir():
        raise ScriptlabError(f"{out_dir} is a file; give a folder with --out DIR.")
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))


def _copy_latest(files: Sequence[Path], latest: Path) -> None:
    """`reports/library-latest/` is scriptlab's own folder: its files are always replaced."""
    if not any(path.name == INDEX_FILE for path in files):  # a smaller library: no index
        (latest / INDEX_FILE).unlink(missing_ok=True)
    write_files(latest, {path.name: path.read_bytes() for path in files}, force=True)


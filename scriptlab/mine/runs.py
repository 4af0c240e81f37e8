"""Store mining runs in the workspace and read them back; keep topics across runs.

A run is stored in one transaction: the ``mine_runs`` row, its ``question_groups`` with
their ``group_variants`` and ``group_replies``, and the ``topics`` they belong to. A topic
is a question's identity across runs: each new group is matched to the topic of the most
similar group of earlier runs (text of the representative and variants, compared the way
grouping compares questions), each topic at most once per run; a group like nothing seen
before starts a new topic. That is how the quiz and the library can say "asked again".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError
from scriptlab.mine import queries
from scriptlab.mine.pipeline import MineResult
from scriptlab.store import schema
from scriptlab.store.topic_rules import pinned_phrasings, resolve, resolve_map

GROUP_COLUMNS = ["group_id", "run_id", "topic_id", "rank", "representative", "count",
                 "sessions", "customers", "share", "prev_count", "trend", "keywords",
                 "variants", "replies"]


@dataclass(frozen=True)
class StoredRun:
    """Ids given to a stored run: the run, each reported cluster's group, each group's topic."""

    run_id: int
    group_ids: dict[int, int] = field(default_factory=dict)  # cluster -> question_groups.id
    topic_ids: dict[int, int] = field(default_factory=dict)  # group id -> topics.id
    new_topics: int = 0


def store_run(
    ws,  # noqa: ANN001 - scriptlab.store.workspace.Workspace
    result: MineResult,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    synonyms: Mapping[str, str] | None = None,
) -> StoredRun:
    """Store a mining result in one transaction; returns the ids it was given."""
    settings = result.settings
    groups = result.groups
    with ws.write() as conn:
        run_id = conn.execute(
            sa.insert(schema.mine_runs).values(
                created_at=datetime.now(),
                sources=list(result.stats.sources),
                since=since, until=until,
                first_ts=result.stats.first_ts, last_ts=result.stats.last_ts,
                stats=result.stats.as_dict(),
                settings=dict(settings.__dict__),
            )
        ).inserted_primary_key[0]
        topic_ids, new_topics = _assign_topics(conn, groups, run_id, settings.topic_threshold,
                                               synonyms)
        cluster_to_id: dict[int, int] = {}
        group_topics: dict[int, int] = {}
        for row, topic_id in zip(groups.itertuples(index=False), topic_ids, strict=True):
            group_id = conn.execute(
                sa.insert(schema.question_groups).values(
                    run_id=run_id, topic_id=topic_id, rank=int(row.rank),
                    representative=row.representative, count=int(row.count),
                    sessions=int(row.sessions), customers=int(row.customers),
                    share=float(row.share),
                    prev_count=None if pd.isna(row.prev_count) else int(row.prev_count),
                    trend=None if row.trend is None or pd.isna(row.trend) else float(row.trend),
                    keywords=list(row.keywords),
                )
            ).inserted_primary_key[0]
            cluster_to_id[int(row.group)] = group_id
            group_topics[group_id] = topic_id
            if row.variants:
                conn.execute(sa.insert(schema.group_variants), [
                    {"group_id": group_id, "text": text, "count": int(count)}
                    for text, count in row.variants
                ])
            if row.replies:
                conn.execute(sa.insert(schema.group_replies), [
                    {"group_id": group_id, "text": text, "count": int(count),
                     "agents": list(agents)}
                    for (text, count), agents in zip(row.replies, row.reply_agents, strict=True)
                ])
    return StoredRun(run_id=run_id, group_ids=cluster_to_id, topic_ids=group_topics,
                     new_topics=new_topics)


def _assign_topics(
    conn: Connection,
    groups: pd.DataFrame,
    run_id: int,
    threshold: float,
    synonyms: Mapping[str, str] | None,
) -> tuple[list[int], int]:
    """Topic id per group row (matched to an earlier topic, else new) and how many are new."""
    now = datetime.now()
    previous = _topic_texts(conn)
    matches: dict[int, int] = {}
    if not previous.empty and not groups.empty:
        new_texts = [_weighted_texts(r.representative, r.variants)
                     for r in groups.itertuples(index=False)]
        sims = text_profile_similarity(new_texts, list(previous["texts"]), synonyms)
        taken: set[int] = set()
        for flat in np.argsort(-sims, axis=None, kind="stable"):
            i, j = divmod(int(flat), sims.shape[1])
            if sims[i, j] < threshold:
                break
            if i in matches or j in taken:
                continue
            matches[i] = int(previous["topic_id"].iloc[j])
            taken.add(j)
    merged = resolve_map(conn)
    matches = {i: int(resolve(t, merged)) for i, t in matches.items()}
    topic_ids: list[int] = []
    new = 0
    for i, row in enumerate(groups.itertuples(index=False)):
        if i in matches:
            conn.execute(sa.update(schema.topics).where(schema.topics.c.id == matches[i])
                         .values(last_run_id=run_id))
            topic_ids.append(matches[i])
        else:
            new += 1
            topic_ids.append(conn.execute(
                sa.insert(schema.topics).values(label=row.representative, created_at=now,
                                                first_run_id=run_id, last_run_id=run_id)
            ).inserted_primary_key[0])
    return topic_ids, new


def _topic_texts(conn: Connection) -> pd.DataFrame:
    """Per topic, the phrasings of its most recent group (representative + variants)."""
    g = schema.question_groups
    latest = (sa.select(g.c.topic_id, sa.func.max(g.c.id).label("group_id"))
              .where(g.c.topic_id.is_not(None)).group_by(g.c.topic_id).subquery())
    rows = conn.execute(
        sa.select(latest.c.topic_id, latest.c.group_id, g.c.representative)
        .select_from(latest.join(g, g.c.id == latest.c.group_id))
        .order_by(latest.c.topic_id)
    ).all()
    pinned, excluded = pinned_phrasings(conn)
    variants = queries.group_texts(conn, schema.group_variants, [r.group_id for r in rows])
    profiles: dict[int, list[tuple[str, int]]] = {}
    for r in rows:
        away = excluded.get(r.topic_id, set())
        texts = [(t, c) for t, c in _weighted_texts(r.representative,
                                                    variants.get(r.group_id, []))
                 if t not in away]
        if texts:
            profiles[r.topic_id] = texts
    for topic_id, texts in pinned.items():  # split off by the trainer
        profiles[topic_id] = [(t, 1) for t in texts] + profiles.get(topic_id, [])
    if not profiles:
        return pd.DataFrame(columns=["topic_id", "texts"])
    ids = sorted(profiles)
    return pd.DataFrame({"topic_id": ids, "texts": [profiles[i] for i in ids]})


def _weighted_texts(representative: str, variants: Sequence[tuple[str, int]]):
    texts = [(representative, max([c for _, c in variants], default=1))]
    return texts + [(t, c) for t, c in variants if t != representative]


def text_profile_similarity(
    left: Sequence[Sequence[tuple[str, int]]],
    right: Sequence[Sequence[tuple[str, int]]],
    synonyms: Mapping[str, str] | None = None,
) -> np.ndarray:
    """Cosine similarity of phrasing profiles: each side a list of (text, count) lists.

    A profile is the count-weighted (√count) sum of its phrasings' TF-IDF vectors, in
    the feature space grouping uses (`scriptlab.mine.group.vectorize`).
    """
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    from scriptlab.mine.group import vectorize
    from scriptlab.text.normalize import normalize_text

    owners, texts, weights = [], [], []
    for side, profiles in enumerate((left, right)):
        for k, profile in enumerate(profiles):
            for text, count in profile:
                owners.append((side, k))
                texts.append(normalize_text(text))
                weights.append(np.sqrt(max(count, 1)))
    matrix, _ = vectorize(pd.Series(texts, dtype=object), synonyms)
    rows = [0 if side == 0 else len(left) for side, _ in owners]
    rows = [base + k for base, (_, k) in zip(rows, owners, strict=True)]
    member = sp.csr_matrix((np.asarray(weights, dtype=np.float32),
                            (rows, np.arange(len(texts)))),
                           shape=(len(left) + len(right), len(texts)))
    profiles = normalize(member @ matrix)
    return (profiles[: len(left)] @ profiles[len(left):].T).toarray()


# -- reading runs back ---------------------------------------------------------------------


def latest_run_id(ws) -> int | None:  # noqa: ANN001
    """The id of the most recent mining run, or None when the workspace has none."""
    with ws.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.max(schema.mine_runs.c.id))).scalar()


def load_groups(ws, run_id: int | None = None) -> pd.DataFrame:  # noqa: ANN001
    """The question groups of a run (default: the latest), best rank first.

    Returns
    -------
    pandas.DataFrame
        Columns `GROUP_COLUMNS`; ``variants`` and ``replies`` are lists of
        ``(text, count)``, most frequent first.

    Raises
    ------
    ScriptlabError
        The workspace has no mining run, or `run_id` does not exist.
    """
    run_id = _resolve_run(ws, run_id)
    with ws.engine.connect() as conn:
        return queries.groups(conn, run_id)[GROUP_COLUMNS]


def load_run(ws, run_id: int | None = None) -> dict:  # noqa: ANN001
    """The ``mine_runs`` row of a run (default: the latest) as a dict."""
    run_id = _resolve_run(ws, run_id)
    with ws.engine.connect() as conn:
        row = conn.execute(sa.select(schema.mine_runs)
                           .where(schema.mine_runs.c.id == run_id)).one()
    return row._asdict()


def _resolve_run(ws, run_id: int | None) -> int:  # noqa: ANN001
    latest = latest_run_id(ws)
    if latest is None:
        raise ScriptlabError(
            f"No mining run in the workspace {ws.root}. Run one first: scriptlab mine "
            "chats.csv (or scriptlab logs import chats.csv, then scriptlab mine)."
        )
    if run_id is None:
        return latest
    with ws.engine.connect() as conn:
        found = conn.execute(sa.select(schema.mine_runs.c.id)
                             .where(schema.mine_runs.c.id == run_id)).first()
    if found is None:
        raise ScriptlabError(f"No mining run {run_id} in the workspace; the latest is "
                             f"{latest}.")
    return run_id

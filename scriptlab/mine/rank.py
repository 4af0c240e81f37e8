"""Rank question groups and describe each one for a trainer.

For every group: how many messages, distinct sessions and customers asked it, its share of
all questions, its trend, a representative question, the top phrasings (variants) with
counts, keywords, and the agent replies that followed in the logs (candidate reference
answers) with counts and the agents who sent them.

Definitions (also stated in the report):

- **customers**: chat logs carry no customer id, so distinct sessions stand in for
  distinct customers (one chat session ≈ one customer);
- **trend**: the covered time range is split into two halves of equal length; the trend
  compares the later half with the earlier one: ``prev_count`` is the count in the earlier
  half and ``trend = later / earlier - 1`` (``None`` when the earlier half has none);
- **representative**: the phrasing with the best ``centrality × √count`` (close to the
  group's centre *and* often asked), shown in the customers' own (masked) words; wordings
  with placeholders (<订单号>) or in traditional script count for less, so the title reads
  cleanly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

GROUP_COLUMNS = ["group", "rank", "representative", "count", "sessions", "customers", "share",
                 "prev_count", "trend", "keywords", "variants", "replies", "reply_agents"]


@dataclass(frozen=True)
class QuestionTallies:
    """Question messages summed up per question key (what ranking needs, not per message).

    ``count`` and ``earlier`` are per key (``earlier``: messages in the earlier half of the
    time range, ``None`` when the range is a single instant); ``sessions`` holds the
    distinct (``key_id``, ``session``) pairs; ``replies`` the messages per (``key_id``,
    ``reply`` text code, ``reply_agent`` code) in column ``n`` (answered questions only).
    """

    count: np.ndarray
    earlier: np.ndarray | None
    sessions: pd.DataFrame
    replies: pd.DataFrame


def tally_questions(
    questions: pd.DataFrame, n_keys: int, first_ts: pd.Timestamp, last_ts: pd.Timestamp
) -> QuestionTallies:
    """`QuestionTallies` from one row per question message (see `describe_groups`)."""
    key = questions["key_id"].to_numpy()
    earlier = None
    if last_ts > first_ts:
        middle = (first_ts + (last_ts - first_ts) / 2).value
        earlier = np.bincount(key[questions["ts"].to_numpy() <= middle], minlength=n_keys)
    answered = questions[questions["reply"] >= 0]
    replies = answered.groupby(["key_id", "reply", "reply_agent"]).size().rename("n")
    return QuestionTallies(
        count=np.bincount(key, minlength=n_keys),
        earlier=earlier,
        sessions=questions[["key_id", "session"]].drop_duplicates(),
        replies=replies.reset_index(),
    )


def describe_groups(
    questions: pd.DataFrame,
    grouped: pd.DataFrame,
    reply_texts: pd.Series,
    agent_ids: list[str],
    *,
    first_ts: pd.Timestamp,
    last_ts: pd.Timestamp,
    min_count: int,
    top: int,
    n_variants: int = 10,
    n_replies: int = 5,
) -> pd.DataFrame:
    """The `top` largest groups with at least `min_count` messages, described.

    Parameters
    ----------
    questions
        One row per question message: ``key_id`` (row of `grouped`), ``session`` (code),
        ``ts`` (int64 ns), ``reply`` (code into `reply_texts`, -1 for none) and
        ``reply_agent`` (index into `agent_ids`, -1 for none).
    grouped
        One row per distinct question (index = key id): ``group``, ``count``,
        ``centrality``, ``keywords``, ``display`` (readable masked wording).
    reply_texts
        Masked agent reply per reply code.
    agent_ids
        Agent id per agent code.

    Returns
    -------
    pandas.DataFrame
        `GROUP_COLUMNS`, one row per group, ``rank`` 1 = most asked. ``variants`` and
        ``replies`` are lists of ``(text, count)``; ``reply_agents`` lists the agent ids
        of each reply.
    """
    if questions.empty:
        return pd.DataFrame(columns=GROUP_COLUMNS)
    tallies = tally_questions(questions, len(grouped), first_ts, last_ts)
    return describe_tallies(tallies, grouped, reply_texts, agent_ids, min_count=min_count,
                            top=top, n_variants=n_variants, n_replies=n_replies)


def describe_tallies(
    tallies: QuestionTallies,
    grouped: pd.DataFrame,
    reply_texts: pd.Series,
    agent_ids: list[str],
    *,
    min_count: int,
    top: int,
    n_variants: int = 10,
    n_replies: int = 5,
) -> pd.DataFrame:
    """`describe_groups` from questions already summed up per key, so memory grows with
    the distinct questions, sessions and replies, not with the messages."""
    total = int(tallies.count.sum())
    if total == 0:
        return pd.DataFrame(columns=GROUP_COLUMNS)
    key_group = grouped["group"].to_numpy()
    sizes = np.bincount(key_group, weights=tallies.count).astype(np.int64)
    eligible = np.flatnonzero(sizes >= max(min_count, 1))
    chosen = eligible[np.lexsort((eligible, -sizes[eligible]))][: max(top, 0)]
    if chosen.size == 0:
        return pd.DataFrame(columns=GROUP_COLUMNS)
    pair_group = key_group[tallies.sessions["key_id"].to_numpy()]
    in_chosen = np.isin(pair_group, chosen)
    sessions = pd.DataFrame({"group": pair_group[in_chosen],
                             "session": tallies.sessions["session"].to_numpy()[in_chosen]})
    sessions = sessions.drop_duplicates().groupby("group").size()
    prev = later = None
    if tallies.earlier is not None:
        prev = np.bincount(key_group, weights=tallies.earlier,
                           minlength=sizes.size).astype(np.int64)
        later = sizes - prev
    phrasings = grouped[grouped["group"].isin(chosen)]
    rows = []
    for rank, g in enumerate(chosen, start=1):
        members = phrasings[phrasings["group"] == g]
        count = int(sizes[g])
        earlier = int(prev[g]) if prev is not None else None
        recent = int(later[g]) if later is not None else None
        rows.append({
            "group": int(g),
            "rank": rank,
            "representative": _representative(members),
            "count": count,
            "sessions": int(sessions.get(g, 0)),
            "customers": int(sessions.get(g, 0)),
            "share": count / total,
            "prev_count": earlier,
            "trend": (recent / earlier - 1.0) if earlier else None,
            "keywords": list(members["keywords"].iloc[0]),
            "variants": _variants(members, n_variants),
        })
    out = pd.DataFrame(rows)
    answered = tallies.replies
    answered = answered.assign(group=key_group[answered["key_id"].to_numpy()])
    answered = answered[answered["group"].isin(chosen)]
    replies, agents = _replies(answered, chosen, reply_texts, agent_ids, n_replies)
    out["replies"] = replies
    out["reply_agents"] = agents
    return out[GROUP_COLUMNS]


def _representative(members: pd.DataFrame) -> str:
    """Most central × most asked, preferring wordings a trainer can read as they are."""
    from scriptlab.text.normalize import to_simplified

    display = members["display"].astype(str)
    tidy = np.array([1.0 if "<" not in d else 0.5 for d in display])
    tidy *= np.array([1.0 if to_simplified(d) == d else 0.7 for d in display])
    score = members["centrality"].to_numpy() * np.sqrt(members["count"].to_numpy()) * tidy
    best = np.lexsort((display.str.len().to_numpy(), -score))[0]
    return str(display.iloc[best])


def _variants(members: pd.DataFrame, limit: int) -> list[tuple[str, int]]:
    counts = members.groupby("display", sort=False)["count"].sum()
    counts = counts.sort_values(ascending=False, kind="stable")
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(str(text), int(n)) for text, n in ordered[:limit]]


def _replies(
    answered: pd.DataFrame,
    chosen: np.ndarray,
    reply_texts: pd.Series,
    agent_ids: list[str],
    limit: int,
) -> tuple[list[list[tuple[str, int]]], list[list[list[str]]]]:
    """Top replies per group (by masked text) with counts and the agents who sent them.

    `answered` has ``group``, ``reply``, ``reply_agent`` and the messages ``n`` of each.
    """
    texts = reply_texts.reindex(answered["reply"].to_numpy()).to_numpy()
    agents = np.asarray(agent_ids, dtype=object)[answered["reply_agent"].to_numpy()] \
        if len(agent_ids) else np.full(len(answered), "", dtype=object)
    frame = pd.DataFrame({"group": answered["group"].to_numpy(), "text": texts,
                          "agent": agents, "n": answered["n"].to_numpy()})
    frame = frame[frame["text"].astype(str).str.len() > 0]
    counts = frame.groupby(["group", "text"])["n"].sum().reset_index()
    who = frame[frame["agent"] != ""].groupby(["group", "text"])["agent"].agg(
        lambda s: sorted(set(s))
    )
    replies: list[list[tuple[str, int]]] = []
    reply_agents: list[list[list[str]]] = []
    by_group = dict(tuple(counts.groupby("group"))) if len(counts) else {}
    for g in chosen:
        part = by_group.get(g)
        if part is None:
            replies.append([])
            reply_agents.append([])
            continue
        part = part.sort_values(["n", "text"], ascending=[False, True]).head(limit)
        replies.append([(str(t), int(n)) for t, n in zip(part["text"], part["n"], strict=True)])
        reply_agents.append([list(who.get((g, t), [])) for t in part["text"]])
    return replies, reply_agents

"""The selection policy: which question groups make this week's quiz, and why.

A pure function over DataFrames (a mining run's groups, past quizzes with their best
scores, the topics with an approved script), so every rule is testable alone:

1. Groups asked fewer than `min_count` times, or not linked to a topic, never make it.
2. Topics with an approved library script are skipped (`refresh_approved = "skip"`) or
   offered as refreshers, at most `max_refreshers` of them (`"include"`).
3. New groups (topic first seen in this run, or not asked in the first half of the mined
   period) and fast-rising ones (the run's `trend`, growth from the first to the second
   half, at least `rising_min_growth`) are always included, at most `max_rising`, even
   when quizzed recently, unless that quiz was already made from this mining run.
4. Topics quizzed within `skip_recent_weeks` weeks are skipped, unless their last best
   score was below `retry_below`: what the team answers badly comes back.
5. The remaining places go to the most frequent groups.

Ties in frequency are broken by a random order drawn from the seed, so the same seed
gives the same quiz. Every pick and every skip carries its reason in words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from scriptlab.errors import ScriptlabError
from scriptlab.quiz.settings import REFRESH_CHOICES, QuizSettings
from scriptlab.quiz.weeks import weeks_between

if TYPE_CHECKING:
    import pandas as pd

PICK_KINDS = ("new", "rising", "retry", "refresher", "frequent")
PICK_COLUMNS = ["position", "group_id", "topic_id", "kind", "reason"]
SKIP_COLUMNS = ["group_id", "topic_id", "representative", "count", "rule", "reason"]
# Which rule skipped a group.
SKIP_RULES = ("banned", "no_topic", "same_topic", "min_count", "approved", "recent",
              "max_refreshers")


def check_policy(policy: QuizSettings) -> None:
    """Reject values no rule can work with, naming the setting to fix."""
    if policy.size < 1:
        raise ScriptlabError(f"The quiz size must be at least 1, got {policy.size}.")
    if policy.refresh_approved not in REFRESH_CHOICES:
        raise ScriptlabError(
            f'[quiz] refresh_approved must be "skip" or "include", '
            f"got {policy.refresh_approved!r}; fix scriptlab.toml."
        )
    for name in ("min_count", "skip_recent_weeks", "max_rising", "max_refreshers"):
        if getattr(policy, name) < 0:
            raise ScriptlabError(f"[quiz] {name} must be 0 or more; fix scriptlab.toml.")
    if not 0.0 <= policy.retry_below <= 1.0:
        raise ScriptlabError(
            f"[quiz] retry_below is a score between 0 and 1, got {policy.retry_below}; "
            "fix scriptlab.toml."
        )


@dataclass(frozen=True)
class Selection:
    """The picks (in quiz order, columns `PICK_COLUMNS`) and the policy's skips."""

    picks: pd.DataFrame
    skipped: pd.DataFrame


@dataclass(frozen=True)
class _Candidate:
    group_id: int
    topic_id: int
    order: int  # 0 = most frequent (ties broken by the seed)
    kind: str
    reason: str


def select_questions(
    groups: pd.DataFrame,
    history: pd.DataFrame,
    approved_topics: Iterable[int],
    *,
    week: str,
    policy: QuizSettings,
    seed: int,
    banned_topics: Iterable[int] = (),
) -> Selection:
    """Pick the quiz's questions from a mining run's groups.

    Parameters
    ----------
    groups
        One row per question group: group_id, topic_id, representative, count and
        optionally run_id, rank, share, prev_count, trend, is_new (see
        `scriptlab.mine.queries.groups`).
    history
        Past quiz questions: week, topic_id, best_score (0-1, NaN when not scored) and
        optionally run_id (the mining run each quiz was made from).
    approved_topics
        Topic ids with an active library script.
    week
        The quiz's ISO week (`2026-W48`); "recent" is measured from it.
    policy
        The rules' parameters.
    seed
        Breaks ties in frequency; the same inputs and seed give the same picks.
    banned_topics
        Topics the trainer banned (`scriptlab topics ban`): never picked, whatever else.

    Returns
    -------
    Selection
        `picks`: position (1-based, most frequent first), group_id, topic_id, kind
        (one of `PICK_KINDS`) and reason; `skipped`: the groups a rule left out, with why.
    """
    import pandas as pd

    check_policy(policy)
    approved = {int(t) for t in approved_topics}
    banned = {int(t) for t in banned_topics}
    last_quizzed = _last_quizzed(history, week, policy.skip_recent_weeks)
    skipped: list[dict] = []
    rising: list[_Candidate] = []
    refreshers: list[_Candidate] = []
    pool: list[_Candidate] = []
    seen_topics: dict[int, int] = {}

    ordered = _frequency_order(_with_defaults(groups), seed)
    for order, row in enumerate(ordered.itertuples(index=False)):
        topic = None if _missing(row.topic_id) else int(row.topic_id)
        if topic is not None and topic in banned:
            bucket, label, reason = ("skip", "banned", f"topic {topic} is banned by the "
                                     f"trainer (scriptlab topics unban {topic})")
        elif topic is not None and topic in seen_topics:
            bucket, label, reason = ("skip", "same_topic",
                                     f"same topic as group {seen_topics[topic]}, which is "
                                     "asked more")
        else:
            if topic is not None:
                seen_topics[topic] = int(row.group_id)
            bucket, label, reason = _judge(row, topic, last_quizzed.get(topic),
                                           topic in approved, policy)
        if bucket == "skip":
            skipped.append({"group_id": int(row.group_id), "topic_id": row.topic_id,
                            "representative": row.representative, "count": int(row.count),
                            "rule": label, "reason": reason})
            continue
        candidate = _Candidate(int(row.group_id), int(topic), order, label, reason)
        {"rising": rising, "refresher": refreshers, "pool": pool}[bucket].append(candidate)

    picks = _fill(rising, refreshers, pool, policy)
    by_id = groups.set_index("group_id")
    for c in refreshers[policy.max_refreshers:]:
        skipped.append({"group_id": c.group_id, "topic_id": c.topic_id,
                        "representative": by_id.at[c.group_id, "representative"],
                        "count": int(by_id.at[c.group_id, "count"]),
                        "rule": "max_refreshers",
                        "reason": f"refresher over max_refreshers {policy.max_refreshers}"})
    picks.sort(key=lambda c: c.order)
    frame = pd.DataFrame(
        [{"position": i, "group_id": c.group_id, "topic_id": c.topic_id, "kind": c.kind,
          "reason": c.reason} for i, c in enumerate(picks, start=1)],
        columns=PICK_COLUMNS,
    )
    return Selection(picks=frame, skipped=pd.DataFrame(skipped, columns=SKIP_COLUMNS))


def _judge(row, topic: int | None, recent: _Recent | None,  # noqa: ANN001
           approved: bool, policy: QuizSettings) -> tuple[str, str, str]:
    """Apply the rules to one group: (bucket, kind or skip rule, reason in words).

    Buckets: "skip", "rising" (always in, capped), "refresher" (capped), "pool" (frequency).
    """
    if topic is None:
        return "skip", "no_topic", "not linked to a topic by the mining run"
    if row.count < policy.min_count:
        return ("skip", "min_count",
                f"asked {int(row.count)} times, below min_count {policy.min_count}")
    blocked = recent is not None and not _needs_retry(recent.score, policy)
    if approved:
        if policy.refresh_approved == "skip":
            return ("skip", "approved",
                    'has an approved library script (refresh_approved = "skip")')
        if blocked:
            return "skip", "recent", _recent_reason(recent, policy)
        return ("refresher", "refresher",
                f"refresher: has an approved library script; {_frequency(row)}")
    growth, new_reason = _growth(row), _new_words(row)
    rising = new_reason or (growth is not None and growth >= policy.rising_min_growth)
    if rising and blocked and _rise_already_quizzed(recent, row):
        return ("skip", "recent", _recent_reason(recent, policy)
                + f"; its rise was already quizzed from mining run {recent.run_id}")
    if rising:
        reason = (f"new: {new_reason}; {_frequency(row)}" if new_reason else
                  f"rising: {_growth_words(row, growth)}; {_frequency(row)}")
        if recent is not None:
            reason += f"; also quizzed {recent.week} ({_score_words(recent.score)})"
        return "rising", "new" if new_reason else "rising", reason
    if blocked:
        return "skip", "recent", _recent_reason(recent, policy)
    if recent is not None:
        return ("pool", "retry",
                f"retry: quizzed {recent.week} with best score {recent.score:.2f} < "
                f"retry_below {policy.retry_below:.2f}; {_frequency(row)}")
    return "pool", "frequent", f"frequent: {_frequency(row)}"


def _with_defaults(groups: pd.DataFrame) -> pd.DataFrame:
    """Optional columns (share, prev_count, trend, is_new) filled in when absent."""
    defaults = {"share": None, "prev_count": None, "trend": None, "is_new": False,
                "rank": None}
    missing = {k: v for k, v in defaults.items() if k not in groups.columns}
    return groups.assign(**missing) if missing else groups


def _fill(rising: list[_Candidate], refreshers: list[_Candidate], pool: list[_Candidate],
          policy: QuizSettings) -> list[_Candidate]:
    """Rising first (capped), then refreshers (capped), then the most frequent of the rest."""
    picks = rising[: min(policy.max_rising, policy.size)]
    room = policy.size - len(picks)
    picks += refreshers[: min(policy.max_refreshers, room)]
    # Rising groups over the cap still compete on frequency like any other group.
    rest = sorted(pool + rising[policy.max_rising:], key=lambda c: c.order)
    return picks + rest[: policy.size - len(picks)]


def _frequency_order(groups: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Most asked first; equal counts in an order drawn from the seed."""
    import numpy as np

    ordered = groups.sort_values("group_id", kind="stable").reset_index(drop=True)
    tiebreak = np.random.default_rng(seed).permutation(len(ordered))
    return (ordered.assign(_tiebreak=tiebreak, _neg_count=-ordered["count"])
            .sort_values(["_neg_count", "_tiebreak"], kind="stable")
            .drop(columns=["_tiebreak", "_neg_count"]))


class _Recent(NamedTuple):
    """A topic's latest quiz within the recent weeks."""

    week: str
    score: float  # best score 0-1, NaN when not scored
    run_id: int | None  # the mining run that quiz was made from


def _last_quizzed(history: pd.DataFrame, week: str, recent_weeks: int) -> dict[int, _Recent]:
    """topic -> its latest quiz within `recent_weeks` of `week` (best score of that week)."""
    out: dict[int, _Recent] = {}
    if recent_weeks <= 0 or history.empty:
        return out
    has_run = "run_id" in history.columns
    for row in history.sort_values("week", kind="stable").itertuples(index=False):
        if abs(weeks_between(row.week, week)) > recent_weeks:
            continue
        topic = int(row.topic_id)
        score = float(row.best_score) if not _missing(row.best_score) else math.nan
        run = int(row.run_id) if has_run and not _missing(row.run_id) else None
        previous = out.get(topic)
        if previous is not None and previous.week == row.week and not math.isnan(previous.score):
            score = previous.score if math.isnan(score) else max(score, previous.score)
        out[topic] = _Recent(row.week, score, run)
    return out


def _rise_already_quizzed(recent: _Recent | None, row) -> bool:  # noqa: ANN001
    """The topic was quizzed from this mining run (or a later one): its rise is old news."""
    run = getattr(row, "run_id", None)
    return (recent is not None and recent.run_id is not None and not _missing(run)
            and recent.run_id >= int(run))


def _needs_retry(score: float, policy: QuizSettings) -> bool:
    return not math.isnan(score) and score < policy.retry_below


def _recent_reason(recent: _Recent, policy: QuizSettings) -> str:
    if math.isnan(recent.score):
        return (f"quizzed {recent.week}, not scored yet "
                f"(skip_recent_weeks = {policy.skip_recent_weeks})")
    return (f"quizzed {recent.week} with best score {recent.score:.2f} >= retry_below "
            f"{policy.retry_below:.2f} (skip_recent_weeks = {policy.skip_recent_weeks})")


def _score_words(score: float) -> str:
    return "not scored yet" if math.isnan(score) else f"best score {score:.2f}"


def _new_words(row) -> str | None:  # noqa: ANN001 - a DataFrame itertuples row
    """Why a group counts as new, or None: its topic is new, or the first half lacked it."""
    if bool(row.is_new):
        return "first seen in this mining run"
    if not _missing(row.prev_count) and row.prev_count == 0:
        return "not asked in the first half of the mined period"
    return None


def _growth(row) -> float | None:  # noqa: ANN001
    """The run's trend: growth from the first to the second half of the mined period."""
    return None if _missing(row.trend) else float(row.trend)


def _growth_words(row, growth: float) -> str:  # noqa: ANN001
    words = f"{growth:+.0%} in the second half of the mined period"
    if not _missing(row.prev_count):
        words += f" ({int(row.prev_count)} → {int(row.count - row.prev_count)})"
    return words


def _frequency(row) -> str:  # noqa: ANN001
    rank = "" if _missing(row.rank) else f"rank {int(row.rank)}, "
    share = "" if _missing(row.share) else f", {row.share:.1%} of questions"
    return f"{rank}asked {int(row.count)} times{share}"


def _missing(value: object) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))

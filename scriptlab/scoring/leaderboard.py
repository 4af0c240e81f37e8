"""The agent leaderboard of a quiz week, and each agent's trend over past weeks.

An agent's week score is the mean total over *all* the quiz's questions, a missing or
empty answer counting 0, so skipping hard questions never pays. Ties share a rank.
"""

from __future__ import annotations

import pandas as pd

LEADERBOARD_COLUMNS = ["rank", "agent_id", "agent_name", "score", "answered", "questions",
                       "wins", "best_rank", "previous", "change", "trend"]


def leaderboard(scored: pd.DataFrame, agents: pd.DataFrame, n_questions: int,
                history: pd.DataFrame | None = None, week: str = "") -> pd.DataFrame:
    """One row per agent who answered, best first.

    Parameters
    ----------
    scored
        `combine` output (``agent_id``, ``total``, ``empty``, ``is_winner``, ``rank``).
    agents
        ``agent_id`` → ``agent_name``.
    n_questions
        Questions in the quiz (the denominator of the week score).
    history
        Earlier weeks: ``week``, ``agent_id``, ``score`` (see `week_scores`); the trend
        lists them oldest first, ending with this week.
    """
    if scored.empty:
        return pd.DataFrame(columns=LEADERBOARD_COLUMNS)
    grouped = scored.groupby("agent_id")
    board = pd.DataFrame({
        "score": grouped["total"].sum() / max(n_questions, 1),
        "answered": grouped["no_answer"].apply(lambda e: int((~e).sum())),
        "wins": grouped["is_winner"].sum().astype(int),
        "best_rank": grouped["rank"].min().astype(int),
    }).reset_index()
    board["questions"] = n_questions
    names = dict(zip(agents["agent_id"], agents["agent_name"], strict=True))
    board["agent_name"] = board["agent_id"].map(names).fillna("")
    board = board.sort_values(["score", "wins", "agent_id"], ascending=[False, False, True],
                              kind="mergesort")
    board["rank"] = board["score"].round(6).rank(method="min", ascending=False).astype(int)
    board = _with_trend(board, history, week)
    return board[LEADERBOARD_COLUMNS].reset_index(drop=True)


def week_scores(scored: pd.DataFrame, n_questions: int, week: str) -> pd.DataFrame:
    """This week's score per agent in the shape of `history` rows."""
    score = scored.groupby("agent_id")["total"].sum() / max(n_questions, 1)
    return pd.DataFrame({"week": week, "agent_id": score.index, "score": score.to_numpy()})


def _with_trend(board: pd.DataFrame, history: pd.DataFrame | None, week: str) -> pd.DataFrame:
    past = history if history is not None else pd.DataFrame(columns=["week", "agent_id",
                                                                       "score"])
    past = past[past["week"] < week] if week else past
    trends, previous = {}, {}
    for agent_id, group in past.sort_values("week").groupby("agent_id"):
        trends[agent_id] = [(w, round(float(s), 4)) for w, s in zip(group["week"],
                                                                    group["score"], strict=True)]
        previous[agent_id] = float(group["score"].iloc[-1])
    board = board.copy()
    board["previous"] = board["agent_id"].map(previous)
    board["change"] = board["score"] - board["previous"]
    board["trend"] = [trends.get(a, []) + [(week, round(float(s), 4))]
                      for a, s in zip(board["agent_id"], board["score"], strict=True)]
    return board

"""Combining signals and ratings, winners and their tie-breaks, the leaderboard."""

from __future__ import annotations

import pandas as pd
import pytest

from scriptlab.scoring.combine import combine, rank_and_pick
from scriptlab.scoring.leaderboard import leaderboard
from scriptlab.scoring.signal import Signal

WEIGHTS = {"reference": 0.25, "consensus": 0.25, "keypoints": 0.25, "style": 0.25}
RUBRIC = {"准确完整": 1.0}


def answers(*rows: tuple[int, int, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["answer_id", "question_id", "agent_id", "text"])


def signals(*values: tuple[float, float, float, float], applies_ref: bool = True
            ) -> pd.DataFrame:
    return pd.DataFrame({
        "reference": [Signal("reference", v[0], "r", applies_ref) for v in values],
        "consensus": [Signal("consensus", v[1], "c") for v in values],
        "keypoints": [Signal("keypoints", v[2], "k") for v in values],
        "style": [Signal("style", v[3], "s") for v in values],
    })


def rated(rows: dict[int, tuple[float, int]]) -> pd.DataFrame:
    frame = pd.DataFrame({"rating": {a: r for a, (r, _) in rows.items()},
                          "raw": {a: r for a, (r, _) in rows.items()},
                          "reviewers": {a: n for a, (_, n) in rows.items()},
                          "准确完整": {a: 1 + 4 * r for a, (r, _) in rows.items()}})
    frame.index.name = "answer_id"
    return frame


def run(ans, sig, rat, min_ratings: int = 2, rating_weight: float = 0.7) -> pd.DataFrame:
    return combine(ans, sig, rat, signal_weights=WEIGHTS, rating_weight=rating_weight,
                   min_ratings=min_ratings, rubric=RUBRIC).set_index("answer_id")


def test_automatic_only_is_the_weighted_mean_and_winner_is_unreviewed() -> None:
    out = run(answers((1, 1, "kf_01", "亲，好的"), (2, 1, "kf_02", "好")),
              signals((1.0, 0.5, 1.0, 0.5), (0.2, 0.2, 0.2, 0.2)), rated({}))
    assert out.loc[1, "total"] == pytest.approx(0.75)
    assert out.loc[1, "automatic"] == pytest.approx(0.75)
    assert out.loc[1, "components"]["reference"] == {
        "value": 1.0, "weight": 0.25, "contribution": 0.25, "reason": "r", "applies": True}
    assert out.loc[1, "components"]["ratings"]["reason"] == "not rated yet"
    assert out.loc[1, "is_winner"] and out.loc[1, "winner_basis"] == "unreviewed"
    assert not out.loc[2, "is_winner"] and out.loc[2, "winner_basis"] is None


def test_signals_that_do_not_apply_are_dropped_and_weights_renormalised() -> None:
    out = run(answers((1, 1, "kf_01", "x")), signals((0.0, 0.6, 0.6, 0.6), applies_ref=False),
              rated({}))
    assert out.loc[1, "automatic"] == pytest.approx(0.6)
    assert out.loc[1, "components"]["reference"]["weight"] == 0.0
    assert out.loc[1, "components"]["consensus"]["weight"] == pytest.approx(1 / 3, abs=1e-4)


def test_ratings_dominate_when_present() -> None:
    out = run(answers((1, 1, "kf_01", "a"), (2, 1, "kf_02", "b")),
              signals((1.0, 1.0, 1.0, 1.0), (0.0, 0.0, 0.0, 0.0)),
              rated({1: (0.0, 3), 2: (1.0, 3)}))
    # kf_02's answer looks bad to the automatic signals but reviewers love it.
    assert out.loc[2, "total"] == pytest.approx(0.7)
    assert out.loc[1, "total"] == pytest.approx(0.3)
    assert out.loc[2, "is_winner"] and out.loc[2, "winner_basis"] == "reviewed"
    ratings = out.loc[2, "components"]["ratings"]
    assert ratings["weight"] == 0.7
    assert ratings["reason"] == ("3 reviewers: 5.00/5 after bias correction (raw mean "
                                 "5.00/5); 准确完整 5.0")
    assert out.loc[2, "components"]["style"]["weight"] == pytest.approx(0.075)


def test_winner_needs_min_ratings_even_if_ranked_lower() -> None:
    out = run(answers((1, 1, "kf_01", "a"), (2, 1, "kf_02", "b")),
              signals((1, 1, 1, 1), (1, 1, 1, 1)), rated({1: (1.0, 1), 2: (0.5, 2)}))
    assert out.loc[1, "rank"] == 1 and not out.loc[1, "is_winner"]
    assert out.loc[2, "rank"] == 2 and out.loc[2, "is_winner"]
    assert out.loc[2, "winner_basis"] == "reviewed"


def test_no_answer_with_enough_ratings_gives_an_unreviewed_winner() -> None:
    out = run(answers((1, 1, "kf_01", "a"), (2, 1, "kf_02", "b")),
              signals((1, 1, 1, 1), (0, 0, 0, 0)), rated({1: (0.2, 1), 2: (0.9, 1)}))
    assert out.loc[2, "is_winner"] and out.loc[2, "winner_basis"] == "unreviewed"
    assert out["is_winner"].sum() == 1


def test_empty_answers_score_zero_and_never_win() -> None:
    out = run(answers((1, 1, "kf_01", ""), (2, 2, "kf_01", " ")),
              signals((1, 1, 1, 1), (1, 1, 1, 1)), rated({1: (1.0, 3)}))
    assert out["total"].tolist() == [0.0, 0.0]
    assert not out["is_winner"].any()
    assert out.loc[1, "components"]["ratings"]["reason"] == "no answer"


def scored_rows(*rows: tuple[int, str, float, int, float]) -> pd.DataFrame:
    """(answer id, agent, total, reviewers, automatic) for one question."""
    return pd.DataFrame([
        {"answer_id": a, "question_id": 1, "agent_id": agent, "no_answer": False,
         "automatic": auto, "rating": None, "raw_rating": None, "reviewers": n,
         "total": total, "components": {}}
        for a, agent, total, n, auto in rows
    ])


def test_tie_breaks_in_stated_order() -> None:
    # Equal totals (up to float noise): more reviewers first.
    out = rank_and_pick(scored_rows((1, "kf_01", 0.8, 2, 0.5),
                                    (2, "kf_02", 0.8 + 1e-12, 3, 0.1)), 2)
    assert out.sort_values("rank")["agent_id"].tolist() == ["kf_02", "kf_01"]
    # Same reviewers: higher automatic score first.
    out = rank_and_pick(scored_rows((1, "kf_01", 0.8, 3, 0.5), (2, "kf_02", 0.8, 3, 0.6)), 2)
    assert out.sort_values("rank")["agent_id"].tolist() == ["kf_02", "kf_01"]
    # Everything equal: agent id alphabetical, whatever the input order.
    out = rank_and_pick(scored_rows((1, "kf_09", 0.8, 3, 0.5), (2, "kf_03", 0.8, 3, 0.5)), 2)
    assert out.sort_values("rank")["agent_id"].tolist() == ["kf_03", "kf_09"]
    assert out.set_index("agent_id").loc["kf_03", "is_winner"]


def test_leaderboard_counts_missing_answers_as_zero_and_shows_trend() -> None:
    scored = pd.DataFrame({
        "agent_id": ["kf_01", "kf_01", "kf_02"], "total": [0.9, 0.7, 0.9],
        "no_answer": [False, False, False], "is_winner": [True, False, True],
        "rank": [1, 2, 1],
    })
    agents = pd.DataFrame({"agent_id": ["kf_01", "kf_02"], "agent_name": ["小美", "阿强"]})
    history = pd.DataFrame({"week": ["2026-W46", "2026-W47", "2026-W47", "2026-W49"],
                            "agent_id": ["kf_01", "kf_01", "kf_02", "kf_01"],
                            "score": [0.5, 0.6, 0.2, 0.99]})
    board = leaderboard(scored, agents, n_questions=2, history=history, week="2026-W48")
    first, second = board.to_dict("records")
    assert (first["agent_id"], first["rank"], first["score"]) == ("kf_01", 1, pytest.approx(0.8))
    assert (second["agent_id"], second["score"], second["wins"]) == ("kf_02", 0.45, 1)
    assert first["trend"] == [("2026-W46", 0.5), ("2026-W47", 0.6), ("2026-W48", 0.8)]
    assert first["change"] == pytest.approx(0.2)
    assert second["answered"] == 1 and second["questions"] == 2


def test_leaderboard_ties_share_a_rank() -> None:
    scored = pd.DataFrame({"agent_id": ["b", "a"], "total": [0.5, 0.5],
                           "no_answer": [False, False], "is_winner": [False, False],
                           "rank": [1, 1]})
    agents = pd.DataFrame({"agent_id": ["a", "b"], "agent_name": ["A", "B"]})
    board = leaderboard(scored, agents, 1)
    assert board[["agent_id", "rank"]].values.tolist() == [["a", 1], ["b", 1]]
    assert pd.isna(board.loc[0, "change"])

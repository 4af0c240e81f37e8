"""The selection policy as a pure function: one test (at least) per rule."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from scriptlab.errors import ScriptlabError
from scriptlab.quiz.select import check_policy, select_questions
from scriptlab.quiz.settings import QuizSettings

WEEK = "2026-W48"


def groups(*rows: tuple) -> pd.DataFrame:
    """rows: (group_id, topic_id, count[, prev_count[, trend[, is_new]]])."""
    records = []
    total = sum(r[2] for r in rows)
    for rank, row in enumerate(rows, start=1):
        group_id, topic_id, count, *rest = row
        prev_count, trend, is_new = (list(rest) + [None, None, False][len(rest):])[:3]
        records.append({"group_id": group_id, "topic_id": topic_id, "rank": rank,
                        "representative": f"问题{group_id}", "count": count,
                        "share": count / total, "prev_count": prev_count, "trend": trend,
                        "is_new": is_new})
    return pd.DataFrame(records)


def history(*rows: tuple) -> pd.DataFrame:
    """rows: (week, topic_id, best_score or None)."""
    return pd.DataFrame(
        [{"week": w, "topic_id": t, "best_score": math.nan if s is None else s}
         for w, t, s in rows],
        columns=["week", "topic_id", "best_score"],
    )


NO_HISTORY = history()
TEN = groups(*[(i, 100 + i, 200 - 10 * i, 200 - 10 * i) for i in range(1, 11)])


FIVE = QuizSettings(size=5)


def pick(frame, policy=FIVE, hist=NO_HISTORY, approved=(), seed=1):
    return select_questions(frame, hist, approved, week=WEEK, policy=policy, seed=seed)


def test_most_frequent_groups_first_up_to_size() -> None:
    result = pick(TEN)
    assert result.picks["group_id"].tolist() == [1, 2, 3, 4, 5]
    assert result.picks["position"].tolist() == [1, 2, 3, 4, 5]
    assert set(result.picks["kind"]) == {"frequent"}
    assert result.picks["reason"].iloc[0] == (
        "frequent: rank 1, asked 190 times, 13.1% of questions"
    )
    assert result.skipped.empty


def test_min_count_leaves_rare_groups_out() -> None:
    frame = groups((1, 11, 50, 50), (2, 12, 4, 4), (3, 13, 2, 2))
    result = pick(frame, QuizSettings(size=5, min_count=3))
    assert result.picks["group_id"].tolist() == [1, 2]
    (skip,) = result.skipped.to_dict("records")
    assert (skip["group_id"], skip["rule"], skip["reason"]) == (
        3, "min_count", "asked 2 times, below min_count 3"
    )


def test_recently_quizzed_topic_with_good_score_is_skipped() -> None:
    hist = history(("2026-W46", 101, 0.82), ("2026-W40", 102, 0.9))  # W40: 8 weeks ago
    result = pick(TEN, QuizSettings(size=3, skip_recent_weeks=4), hist)
    assert result.picks["group_id"].tolist() == [2, 3, 4]
    (skip,) = result.skipped.to_dict("records")
    assert skip["group_id"] == 1 and skip["rule"] == "recent"
    assert skip["reason"] == (
        "quizzed 2026-W46 with best score 0.82 >= retry_below 0.60 (skip_recent_weeks = 4)"
    )


def test_recent_topic_with_low_score_comes_back_as_retry() -> None:
    hist = history(("2026-W47", 101, 0.35))
    result = pick(TEN, QuizSettings(size=3, retry_below=0.6), hist)
    assert result.picks["group_id"].tolist() == [1, 2, 3]
    first = result.picks.iloc[0]
    assert first["kind"] == "retry"
    assert first["reason"] == (
        "retry: quizzed 2026-W47 with best score 0.35 < retry_below 0.60; "
        "rank 1, asked 190 times, 13.1% of questions"
    )


def test_only_the_latest_quiz_of_a_topic_counts() -> None:
    # Bad three weeks ago, good last week: the team has learnt it, skip.
    hist = history(("2026-W45", 101, 0.2), ("2026-W47", 101, 0.9))
    assert 1 not in pick(TEN, hist=hist).picks["group_id"].tolist()
    # Good before, bad last week: back it comes.
    hist = history(("2026-W45", 101, 0.9), ("2026-W47", 101, 0.2))
    assert pick(TEN, hist=hist).picks.iloc[0]["kind"] == "retry"


def test_unscored_recent_quiz_is_skipped_and_zero_weeks_disables_the_rule() -> None:
    hist = history(("2026-W47", 101, None))
    result = pick(TEN, QuizSettings(size=3), hist)
    assert result.skipped["reason"].tolist() == [
        "quizzed 2026-W47, not scored yet (skip_recent_weeks = 4)"
    ]
    result = pick(TEN, QuizSettings(size=3, skip_recent_weeks=0), hist)
    assert result.picks["group_id"].tolist() == [1, 2, 3] and result.skipped.empty


def test_rising_and_new_groups_are_always_included_up_to_max_rising() -> None:
    steady = [(i, 100 + i, 200 - 10 * i, 100 - 5 * i, 0.0) for i in range(1, 9)]
    frame = groups(*steady, (9, 109, 30, 10, 1.0), (10, 110, 25, 0), (11, 111, 20, 8, 0.5),
                   (12, 112, 15, 5, 1.0))
    result = pick(frame, QuizSettings(size=5, rising_min_growth=0.5, max_rising=2))
    by_group = result.picks.set_index("group_id")
    # The two most frequent rising/new groups get in; the rest is the top 3.
    assert result.picks["group_id"].tolist() == [1, 2, 3, 9, 10]
    assert by_group.at[9, "kind"] == "rising"
    assert by_group.at[9, "reason"] == (
        "rising: +100% in the second half of the mined period (10 → 20); "
        "rank 9, asked 30 times, 2.3% of questions"
    )
    assert by_group.at[10, "kind"] == "new"
    assert by_group.at[10, "reason"] == (
        "new: not asked in the first half of the mined period; rank 10, asked 25 times, "
        "1.9% of questions"
    )
    # Below rising_min_growth a group is just frequent (or not).
    result = pick(frame, QuizSettings(size=5, rising_min_growth=2.0, max_rising=5))
    assert result.picks["group_id"].tolist() == [1, 2, 3, 4, 10]


def test_rising_without_prev_count_overrides_recent() -> None:
    frame = groups((1, 101, 100, 50, 0.0), (2, 102, 90, 45, 0.0), (3, 103, 10, None, 1.5))
    hist = history(("2026-W47", 103, 0.95))
    result = pick(frame, QuizSettings(size=2, max_rising=1), hist)
    assert result.picks["group_id"].tolist() == [1, 3]
    assert result.picks.iloc[1]["reason"] == (
        "rising: +150% in the second half of the mined period; rank 3, "
        "asked 10 times, 5.0% of questions; also quizzed 2026-W47 (best score 0.95)"
    )


def test_a_rise_already_quizzed_from_the_same_run_is_not_repeated() -> None:
    frame = groups((1, 101, 100, 50, 0.0), (2, 102, 90, 45, 0.0),
                   (3, 103, 10, 3, 1.5)).assign(run_id=2)
    same_run = history(("2026-W47", 103, 0.95)).assign(run_id=2)
    result = pick(frame, QuizSettings(size=2), same_run)
    assert result.picks["group_id"].tolist() == [1, 2]
    assert result.skipped["reason"].tolist() == [
        "quizzed 2026-W47 with best score 0.95 >= retry_below 0.60 (skip_recent_weeks = 4); "
        "its rise was already quizzed from mining run 2"
    ]
    older_run = same_run.assign(run_id=1)  # rising again in a newer run: back it comes
    assert pick(frame, QuizSettings(size=2), older_run).picks["group_id"].tolist() == [1, 3]
    badly_answered = history(("2026-W47", 103, 0.2)).assign(run_id=2)
    assert pick(frame, QuizSettings(size=2), badly_answered).picks["kind"].tolist() == [
        "frequent", "rising"]


def test_is_new_flag_marks_topics_new_in_this_run() -> None:
    frame = groups((1, 101, 100), (2, 102, 90), (3, 103, 10, None, None, True))
    result = pick(frame, QuizSettings(size=2))
    assert result.picks["kind"].tolist() == ["frequent", "new"]
    assert result.picks.iloc[1]["reason"].startswith("new: first seen in this mining run; ")


def test_approved_topics_are_skipped_by_default() -> None:
    result = pick(TEN, QuizSettings(size=3), approved=[101, 103])
    assert result.picks["group_id"].tolist() == [2, 4, 5]
    assert result.skipped["reason"].tolist() == [
        'has an approved library script (refresh_approved = "skip")'] * 2


def test_approved_topics_as_refreshers_capped() -> None:
    policy = QuizSettings(size=4, refresh_approved="include", max_refreshers=1)
    result = pick(TEN, policy, approved=[102, 106, 107])
    assert result.picks["group_id"].tolist() == [1, 2, 3, 4]
    assert result.picks.set_index("group_id").at[2, "reason"] == (
        "refresher: has an approved library script; rank 2, asked 180 times, "
        "12.4% of questions"
    )
    assert result.skipped["group_id"].tolist() == [6, 7]
    assert set(result.skipped["reason"]) == {"refresher over max_refreshers 1"}


def test_refreshers_get_their_place_even_when_less_frequent() -> None:
    policy = QuizSettings(size=3, refresh_approved="include", max_refreshers=1)
    result = pick(TEN, policy, approved=[109])
    assert result.picks["group_id"].tolist() == [1, 2, 9]
    assert result.picks["kind"].tolist() == ["frequent", "frequent", "refresher"]


def test_groups_without_topic_or_with_a_repeated_topic_are_skipped() -> None:
    frame = groups((1, 101, 50, 50), (2, None, 40, 40), (3, 101, 30, 30), (4, 104, 20, 20))
    result = pick(frame)
    assert result.picks["group_id"].tolist() == [1, 4]
    assert result.skipped["reason"].tolist() == [
        "not linked to a topic by the mining run",
        "same topic as group 1, which is asked more",
    ]


def test_ties_are_broken_by_the_seed_deterministically() -> None:
    tied = groups(*[(i, 100 + i, 50, 50) for i in range(1, 21)])
    policy = QuizSettings(size=5)
    first = pick(tied, policy, seed=7).picks["group_id"].tolist()
    assert pick(tied, policy, seed=7).picks["group_id"].tolist() == first
    others = {tuple(pick(tied, policy, seed=s).picks["group_id"]) for s in range(8, 14)}
    assert len(others | {tuple(first)}) > 1
    # Input row order does not matter, only the seed.
    shuffled = tied.sample(frac=1, random_state=3)
    assert pick(shuffled, policy, seed=7).picks["group_id"].tolist() == first


def test_bad_policy_values_name_the_setting() -> None:
    check_policy(QuizSettings(max_rising=1, size=9))  # fine
    with pytest.raises(ScriptlabError) as err:
        check_policy(QuizSettings(refresh_approved="maybe"))
    assert str(err.value) == (
        '[quiz] refresh_approved must be "skip" or "include", got \'maybe\'; '
        "fix scriptlab.toml."
    )
    with pytest.raises(ScriptlabError, match="retry_below is a score between 0 and 1"):
        check_policy(QuizSettings(retry_below=60))
    with pytest.raises(ScriptlabError, match="max_rising must be 0 or more"):
        check_policy(QuizSettings(max_rising=-1))
    with pytest.raises(ScriptlabError, match="The quiz size must be at least 1, got 0."):
        pick(TEN, QuizSettings(size=0))


def test_minimal_group_columns_are_enough() -> None:
    frame = pd.DataFrame({"group_id": [1, 2], "topic_id": [11, 12], "count": [5, 9],
                          "representative": ["甲", "乙"]})
    result = pick(frame)
    assert result.picks["reason"].tolist() == ["frequent: asked 9 times",
                                               "frequent: asked 5 times"]

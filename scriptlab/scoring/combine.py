"""Combine the signals into one score per answer, rank answers and pick winners.

* automatic = weighted mean of the automatic signals that apply (``signal_weights``,
  renormalised when e.g. a question has no reference);
* an answer with ratings: total = ``rating_weight`` × rating + (1 - ``rating_weight``) ×
  automatic, so reviewers dominate; without ratings: total = automatic;
* an empty answer scores 0 and never wins.

Ranks and winners are deterministic. Within a question answers are ordered by total
(rounded to 6 decimals, so float noise never decides), then more reviewers, then higher
automatic score, then agent id (alphabetical). The winner is the first answer in that order
with at least ``min_ratings`` reviewers ("reviewed"). If no answer to the question has that
many — e.g. nobody has rated this quiz yet — the first non-empty answer wins provisionally
("unreviewed"): the report flags it and the library should confirm it before publishing.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from scriptlab.scoring.signal import Signal

AUTOMATIC = ("reference", "consensus", "keypoints", "style")
TIE_BREAKS = ("higher total", "more reviewers", "higher automatic score",
              "agent id (alphabetical)")
SCORED_COLUMNS = ["answer_id", "question_id", "agent_id", "no_answer", "automatic", "rating",
                  "raw_rating", "reviewers", "total", "components", "rank", "is_winner",
                  "winner_basis"]


def combine(
    answers: pd.DataFrame,
    signals: pd.DataFrame,
    rated: pd.DataFrame,
    *,
    signal_weights: Mapping[str, float],
    rating_weight: float,
    min_ratings: int,
    rubric: Mapping[str, float],
) -> pd.DataFrame:
    """Totals, components, ranks and winners for every answer.

    Parameters
    ----------
    answers
        Columns ``answer_id``, ``question_id``, ``agent_id``, ``text``.
    signals
        Indexed like `answers`; one column of `Signal` per automatic signal name.
    rated
        `RatingAnalysis.answers`: indexed by ``answer_id`` with ``rating`` (0-1), ``raw``,
        ``reviewers`` and one 1-5 column per rubric dimension.

    Returns
    -------
    DataFrame with `SCORED_COLUMNS`; ``components`` maps each signal name to
    ``{value, weight, contribution, reason, applies}`` where weight is its share of the total.
    """
    rows = []
    by_answer = rated.to_dict("index")
    columns = {name: signals[name].tolist() for name in AUTOMATIC if name in signals}
    for position, answer in enumerate(answers.itertuples(index=False)):
        empty = not str(answer.text or "").strip()
        sigs = {name: values[position] for name, values in columns.items()}
        rating = by_answer.get(answer.answer_id)
        rows.append(_score_one(answer, empty, sigs, rating, signal_weights, rating_weight,
                               rubric))
    scored = pd.DataFrame(rows, columns=SCORED_COLUMNS[:10])
    return rank_and_pick(scored, min_ratings)


def _score_one(answer, empty: bool, sigs: dict[str, Signal], rating, weights,
               rating_weight: float, rubric) -> dict:
    applying = {n: s for n, s in sigs.items() if s.applies and weights.get(n, 0) > 0}
    weight_sum = sum(weights[n] for n in applying) or 1.0
    automatic = 0.0 if empty else sum(weights[n] * s.value for n, s in applying.items()) / \
        weight_sum
    reviewers = 0 if rating is None or pd.isna(rating["reviewers"]) else int(rating["reviewers"])
    has_rating = reviewers > 0 and not empty
    auto_share = (1 - rating_weight) if has_rating else 1.0
    components: dict[str, dict] = {}
    for name, sig in sigs.items():
        share = auto_share * weights.get(name, 0) / weight_sum if name in applying else 0.0
        components[name] = {"value": round(sig.value, 4), "weight": round(share, 4),
                            "contribution": round(share * sig.value, 4), "reason": sig.reason,
                            "applies": sig.applies}
    rating_value = float(rating["rating"]) if has_rating else None
    raw_value = float(rating["raw"]) if has_rating else None
    if has_rating:
        components["ratings"] = {
            "value": round(rating_value, 4), "weight": rating_weight,
            "contribution": round(rating_weight * rating_value, 4),
            "reason": _rating_reason(rating, reviewers, rubric), "applies": True,
        }
    else:
        components["ratings"] = {"value": 0.0, "weight": 0.0, "contribution": 0.0,
                                 "reason": "no answer" if empty else "not rated yet",
                                 "applies": False}
    total = 0.0 if empty else (rating_weight * rating_value + (1 - rating_weight) * automatic
                               if has_rating else automatic)
    return {"answer_id": answer.answer_id, "question_id": answer.question_id,
            "agent_id": answer.agent_id, "no_answer": empty, "automatic": automatic,
            "rating": rating_value, "raw_rating": raw_value, "reviewers": reviewers,
            "total": float(total), "components": components}


def _rating_reason(rating, reviewers: int, rubric) -> str:
    dims = ", ".join(f"{d} {rating[d]:.1f}" for d in rubric
                     if d in rating and pd.notna(rating[d]))
    noun = "reviewer" if reviewers == 1 else "reviewers"
    return (f"{reviewers} {noun}: {1 + 4 * rating['rating']:.2f}/5 after bias correction "
            f"(raw mean {1 + 4 * rating['raw']:.2f}/5); {dims}")


def rank_and_pick(scored: pd.DataFrame, min_ratings: int) -> pd.DataFrame:
    """Rank answers within each question (see module docstring) and mark the winners."""
    if scored.empty:
        return scored.assign(rank=pd.Series(dtype=int), is_winner=pd.Series(dtype=bool),
                             winner_basis=pd.Series(dtype=object))[SCORED_COLUMNS]
    order = scored.assign(_total=scored["total"].round(6), _auto=scored["automatic"].round(6))
    order = order.sort_values(["question_id", "_total", "reviewers", "_auto", "agent_id"],
                              ascending=[True, False, False, False, True], kind="mergesort")
    order["rank"] = order.groupby("question_id").cumcount() + 1
    order["is_winner"] = False
    order["winner_basis"] = None
    for _, group in order.groupby("question_id", sort=False):
        filled = group[~group["no_answer"]]
        if filled.empty:
            continue
        eligible = filled[filled["reviewers"] >= min_ratings]
        pick, basis = (eligible.index[0], "reviewed") if len(eligible) else (
            filled.index[0], "unreviewed")
        order.loc[pick, "is_winner"] = True
        order.loc[pick, "winner_basis"] = basis
    order["rank"] = order["rank"].astype(int)
    order["reviewers"] = order["reviewers"].astype(int)
    return order[SCORED_COLUMNS].reset_index(drop=True)


"""Reviewer ratings: bias correction, aggregation, agreement and disagreements.

Why a model and not per-reviewer z-scores: a z-score assumes every reviewer saw the same
mix of answers. When reviewers split the work (each answer rated by 2 of 5 people), a
reviewer who happened to get the weak answers looks "harsh" and is wrongly corrected.
We fit instead an additive model per rubric dimension,

    rating = dimension mean + answer effect + reviewer effect + noise (variance per reviewer)

by alternating least squares: answer effects are precision-weighted means of the ratings
minus the reviewer effects, reviewer effects are means of the ratings minus the answer
effects (shrunk towards 0 by ``reviewer_prior`` pseudo-ratings), and each reviewer's noise
variance is re-estimated from their residuals (with a leverage correction), so a noisy
reviewer counts less. Answer effects are shrunk towards the mean by an empirical-Bayes
prior, so an answer with one enthusiastic rating does not beat one with three good ones.
This is the standard two-way random-effects ("reviewer leniency") model used for peer
grading; with a complete design and equal noise it reduces to the raw mean.

Agreement is Krippendorff's alpha (ordinal), computed by the maintained ``krippendorff``
package per dimension and over the whole quiz (every answer × dimension is a unit).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SCALE = (1, 2, 3, 4, 5)
RATING_COLUMNS = ["answer_id", "reviewer", "dimension", "value"]


@dataclass(frozen=True)
class RatingAnalysis:
    """Everything the ratings say about a quiz.

    Attributes
    ----------
    answers
        One row per rated answer (index ``answer_id``): ``rating`` (bias-corrected, 0-1),
        ``raw`` (plain mean, 0-1), ``reviewers`` (distinct people), and one column per
        rubric dimension with the corrected 1-5 score.
    reviewers
        One row per reviewer × dimension: ``leniency`` (points above an average reviewer),
        ``noise`` (residual SD of the reviewer, pooled over dimensions), ``ratings``.
    agreement
        One row per dimension plus ``(all)``: Krippendorff ``alpha`` (None if it cannot be
        computed), ``units`` with ≥ 2 ratings, and ``note``.
    disagreements
        Answers where reviewers disagree most: ``answer_id``, ``dimension``, ``spread``
        (max - min), ``values`` ({reviewer: value}), ``comments``.
    method
        The bias correction used: model, zscore or none.
    """

    answers: pd.DataFrame
    reviewers: pd.DataFrame
    agreement: pd.DataFrame
    disagreements: pd.DataFrame
    method: str


def analyse_ratings(
    ratings: pd.DataFrame,
    rubric: dict[str, float],
    *,
    method: str = "model",
    reviewer_prior: float = 5.0,
    top_disagreements: int = 20,
) -> RatingAnalysis:
    """Correct, aggregate and check the agreement of a quiz's ratings.

    Parameters
    ----------
    ratings
        Columns ``answer_id``, ``reviewer``, ``dimension``, ``value`` (1-5) and optionally
        ``comment``; dimensions not in `rubric` are ignored.
    rubric
        Dimension -> weight in the overall rating score.
    method
        ``model`` (additive reviewer effects, see module docstring), ``zscore`` or ``none``.
    """
    ratings = ratings[ratings["dimension"].isin(list(rubric))].copy()
    if ratings.empty:
        return _empty(rubric, method)
    ratings["value"] = ratings["value"].astype(float)
    corrected, reviewers = correct(ratings, method=method, reviewer_prior=reviewer_prior)
    answers = aggregate(ratings, corrected, rubric)
    return RatingAnalysis(
        answers=answers,
        reviewers=reviewers,
        agreement=agreement(ratings, list(rubric)),
        disagreements=disagreements(ratings, top_disagreements),
        method=method,
    )


def correct(ratings: pd.DataFrame, *, method: str = "model",
            reviewer_prior: float = 5.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bias-corrected 1-5 score per answer × dimension, and the reviewer effects.

    Returns
    -------
    (corrected, reviewers): ``corrected`` has columns answer_id, dimension, score;
    ``reviewers`` has reviewer, dimension, leniency, noise, ratings.
    """
    if method == "model":
        return _fit_additive(ratings, reviewer_prior)
    if method == "zscore":
        return _zscore(ratings)
    if method == "none":
        raw = ratings.groupby(["answer_id", "dimension"], sort=True)["value"].mean()
        return raw.rename("score").reset_index(), _reviewer_summary(ratings, None, None)
    raise ValueError(f"unknown bias correction {method!r}")


def _fit_additive(ratings: pd.DataFrame, prior: float, n_iter: int = 100,
                  tol: float = 1e-7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Alternating least squares for value = mu_d + theta_(answer,d) + b_(reviewer,d) + e."""
    y = ratings["value"].to_numpy(float)
    unit_keys = pd.MultiIndex.from_frame(ratings[["answer_id", "dimension"]])
    unit, units = pd.factorize(unit_keys, sort=True)
    group, groups = pd.factorize(pd.MultiIndex.from_frame(ratings[["reviewer", "dimension"]]),
                                 sort=True)
    rev, revs = pd.factorize(ratings["reviewer"], sort=True)
    dim, dims = pd.factorize(ratings["dimension"], sort=True)
    group_dim = pd.Index(dims).get_indexer(groups.get_level_values(1))
    n_units, n_groups, n_revs = len(units), len(groups), len(revs)

    mu = np.bincount(dim, y) / np.bincount(dim)
    b = np.zeros(n_groups)
    weight = np.ones(n_revs)
    theta = np.zeros(n_units)
    pooled = max(float(np.var(y - mu[dim])), 1e-3)
    tau2 = pooled
    sigma2 = np.full(n_revs, pooled)
    for _ in range(n_iter):
        w = weight[rev]
        precision = np.bincount(unit, w, n_units)
        raw_theta = np.bincount(unit, w * (y - mu[dim] - b[group]), n_units) / precision
        # Empirical-Bayes shrinkage of answer effects: between-answer variance tau2.
        tau2 = max(float(np.var(raw_theta) - np.mean(1.0 / precision)), 1e-3)
        new_theta = raw_theta * precision / (precision + 1.0 / tau2)
        counts = np.bincount(group, minlength=n_groups)
        b = np.bincount(group, y - mu[dim] - new_theta[unit], n_groups) / (counts + prior)
        shift = np.bincount(group_dim, counts * b, len(dims)) / np.bincount(group_dim, counts,
                                                                           len(dims))
        b -= shift[group_dim]
        mu = mu + shift
        resid = y - mu[dim] - new_theta[unit] - b[group]
        leverage = w / precision[unit]
        dof = np.bincount(rev, 1.0 - leverage, n_revs)
        sigma2 = (np.bincount(rev, resid**2, n_revs) + 2.0 * pooled) / (dof + 2.0)
        sigma2 = np.maximum(sigma2, 0.05)
        weight = pooled / sigma2
        done = np.max(np.abs(new_theta - theta)) < tol
        theta = new_theta
        if done:
            break
    corrected = pd.DataFrame({
        "answer_id": units.get_level_values(0),
        "dimension": units.get_level_values(1),
        "score": np.clip(mu[pd.Index(dims).get_indexer(units.get_level_values(1))] + theta,
                         1.0, 5.0),
    })
    reviewers = pd.DataFrame({
        "reviewer": groups.get_level_values(0),
        "dimension": groups.get_level_values(1),
        "leniency": b,
        "noise": np.sqrt(sigma2)[pd.Index(revs).get_indexer(groups.get_level_values(0))],
        "ratings": np.bincount(group, minlength=n_groups),
    })
    return corrected, reviewers


def _zscore(ratings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per reviewer × dimension standardisation, mapped back onto the dimension's scale."""
    keys = ["reviewer", "dimension"]
    mean = ratings.groupby(keys)["value"].transform("mean")
    sd = ratings.groupby(keys)["value"].transform("std").fillna(0.0)
    z = ((ratings["value"] - mean) / sd.where(sd > 0)).fillna(0.0)
    dim_mean = ratings.groupby("dimension")["value"].transform("mean")
    dim_sd = ratings.groupby("dimension")["value"].transform("std").fillna(0.0)
    frame = ratings.assign(score=dim_mean + z * dim_sd)
    corrected = frame.groupby(["answer_id", "dimension"], sort=True)["score"].mean()
    corrected = corrected.clip(1.0, 5.0).reset_index()
    return corrected, _reviewer_summary(ratings, None, None)


def _reviewer_summary(ratings: pd.DataFrame, leniency: pd.Series | None,
                      noise: pd.Series | None) -> pd.DataFrame:
    grouped = ratings.groupby(["reviewer", "dimension"])["value"]
    out = grouped.size().rename("ratings").reset_index()
    if leniency is None:
        mean = grouped.mean()
        leniency = mean - ratings.groupby("dimension")["value"].mean().reindex(
            mean.index.get_level_values(1)).to_numpy()
    out["leniency"] = leniency.to_numpy()
    out["noise"] = np.nan if noise is None else noise.to_numpy()
    return out[["reviewer", "dimension", "leniency", "noise", "ratings"]]


def aggregate(ratings: pd.DataFrame, corrected: pd.DataFrame,
              rubric: dict[str, float]) -> pd.DataFrame:
    """Per answer: weighted corrected rating (0-1), raw mean (0-1), reviewer count, dims."""
    weights = pd.Series(rubric, dtype=float)
    wide = corrected.pivot(index="answer_id", columns="dimension", values="score")
    wide = wide.reindex(columns=list(rubric))
    present = wide.notna()
    w = present * weights
    rating = ((wide.fillna(0.0) - 1.0) / 4.0 * weights).sum(axis=1) / w.sum(axis=1)
    raw_wide = ratings.groupby(["answer_id", "dimension"])["value"].mean().unstack()
    raw_wide = raw_wide.reindex(index=wide.index, columns=list(rubric))
    raw = ((raw_wide.fillna(0.0) - 1.0) / 4.0 * weights).sum(axis=1) / (
        raw_wide.notna() * weights).sum(axis=1)
    out = pd.DataFrame({
        "rating": rating.clip(0.0, 1.0),
        "raw": raw.clip(0.0, 1.0),
        "reviewers": ratings.groupby("answer_id")["reviewer"].nunique().reindex(wide.index),
    })
    out.index.name = "answer_id"
    return out.join(wide)


def krippendorff_alpha(matrix: np.ndarray) -> float | None:
    """Ordinal alpha on a 1-5 scale for a reviewers × units matrix (NaN = not rated)."""
    import krippendorff

    if matrix.size == 0 or (np.sum(~np.isnan(matrix), axis=0) >= 2).sum() == 0:
        return None
    observed = np.unique(matrix[~np.isnan(matrix)])
    if len(observed) < 2:
        return None  # everyone gave the same value: agreement is undefined, not perfect
    try:
        value = krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal",
                                   value_domain=list(SCALE))
    except ValueError:
        return None
    return None if np.isnan(value) else float(value)


def agreement(ratings: pd.DataFrame, dimensions: list[str]) -> pd.DataFrame:
    """Krippendorff's alpha (ordinal) per dimension and over all dimensions together."""
    rows = []
    for dimension in [*dimensions, None]:
        subset = ratings if dimension is None else ratings[ratings["dimension"] == dimension]
        matrix = subset.pivot_table(index="reviewer", columns=["answer_id", "dimension"],
                                    values="value", aggfunc="first")
        data = matrix.to_numpy(float)
        units = int((np.sum(~np.isnan(data), axis=0) >= 2).sum()) if data.size else 0
        alpha = krippendorff_alpha(data)
        note = "" if alpha is not None else (
            "needs answers rated by at least two reviewers" if units == 0
            else "all ratings identical")
        rows.append({"dimension": dimension or "(all)", "alpha": alpha, "units": units,
                     "note": note})
    return pd.DataFrame(rows)


def disagreements(ratings: pd.DataFrame, top: int = 20) -> pd.DataFrame:
    """Answers whose reviewers are furthest apart on some dimension (for calibration)."""
    columns = ["answer_id", "dimension", "spread", "sd", "values", "comments"]
    grouped = ratings.groupby(["answer_id", "dimension"])["value"]
    stats = pd.DataFrame({"spread": grouped.max() - grouped.min(), "sd": grouped.std(ddof=0),
                          "n": grouped.size()}).reset_index()
    stats = stats[(stats["n"] >= 2) & (stats["spread"] > 0)]
    if stats.empty:
        return pd.DataFrame(columns=columns)
    stats = stats.sort_values(["spread", "sd", "answer_id", "dimension"],
                              ascending=[False, False, True, True])
    stats = stats.drop_duplicates("answer_id").head(top)
    chosen = ratings.merge(stats[["answer_id", "dimension"]], on=["answer_id", "dimension"])
    values: dict[tuple, dict[str, int]] = {}
    for answer_id, dimension, reviewer, value in zip(
            chosen["answer_id"], chosen["dimension"], chosen["reviewer"], chosen["value"],
            strict=True):
        values.setdefault((answer_id, dimension), {})[reviewer] = int(value)
    comments: dict[object, dict[str, str]] = {}
    if "comment" in ratings:
        wanted = set(stats["answer_id"])
        for answer_id, reviewer, comment in zip(ratings["answer_id"], ratings["reviewer"],
                                                ratings["comment"], strict=True):
            if answer_id in wanted and isinstance(comment, str) and comment.strip():
                comments.setdefault(answer_id, {})[reviewer] = comment
    stats["values"] = [dict(sorted(values[(a, d)].items()))
                       for a, d in zip(stats["answer_id"], stats["dimension"], strict=True)]
    stats["comments"] = [dict(sorted(comments.get(a, {}).items())) for a in stats["answer_id"]]
    return stats[columns].reset_index(drop=True)


def _empty(rubric: dict[str, float], method: str) -> RatingAnalysis:
    answers = pd.DataFrame(columns=["rating", "raw", "reviewers", *rubric])
    answers.index.name = "answer_id"
    return RatingAnalysis(
        answers=answers,
        reviewers=pd.DataFrame(columns=["reviewer", "dimension", "leniency", "noise", "ratings"]),
        agreement=pd.DataFrame([{"dimension": d, "alpha": None, "units": 0,
                                 "note": "no ratings"} for d in [*rubric, "(all)"]]),
        disagreements=pd.DataFrame(columns=["answer_id", "dimension", "spread", "sd", "values",
                                            "comments"]),
        method=method,
    )

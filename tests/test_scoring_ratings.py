"""Reviewer ratings: bias correction, aggregation, Krippendorff's alpha, disagreements."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scriptlab.scoring.ratings import (
    agreement,
    analyse_ratings,
    correct,
    disagreements,
    krippendorff_alpha,
)

RUBRIC = {"准确完整": 0.5, "热情友好": 0.5}
NAN = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
# observers, twelve units, values 1-5, missing data. Published: nominal 0.743,
# ordinal 0.815, interval 0.849 (also the `krippendorff` package's own test data).
KRIPPENDORFF_2011 = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
])


def long_form(matrix: np.ndarray, dimension: str = "准确完整") -> pd.DataFrame:
    rows = [{"answer_id": unit + 1, "reviewer": f"r{coder}", "dimension": dimension,
             "value": int(matrix[coder, unit])}
            for coder in range(matrix.shape[0]) for unit in range(matrix.shape[1])
            if not np.isnan(matrix[coder, unit])]
    return pd.DataFrame(rows)


def test_alpha_matches_the_published_worked_example() -> None:
    assert round(krippendorff_alpha(KRIPPENDORFF_2011), 3) == 0.815
    # The same data through the long-format path used for a quiz.
    table = agreement(long_form(KRIPPENDORFF_2011), ["准确完整"])
    assert table.to_dict("records")[0] == {"dimension": "准确完整",
                                           "alpha": pytest.approx(0.8154, abs=1e-4),
                                           "units": 11, "note": ""}


def test_alpha_over_the_quiz_pools_dimensions() -> None:
    both = pd.concat([long_form(KRIPPENDORFF_2011, "准确完整"),
                      long_form(KRIPPENDORFF_2011, "热情友好")])
    table = agreement(both, list(RUBRIC)).set_index("dimension")
    assert table.loc["(all)", "units"] == 22
    assert table.loc["(all)", "alpha"] == pytest.approx(0.815, abs=2e-3)


def test_alpha_undefined_cases_are_none_with_a_note() -> None:
    single = pd.DataFrame({"answer_id": [1, 2], "reviewer": ["r1", "r1"],
                           "dimension": ["准确完整"] * 2, "value": [3, 4]})
    same = pd.DataFrame({"answer_id": [1, 1], "reviewer": ["r1", "r2"],
                         "dimension": ["准确完整"] * 2, "value": [4, 4]})
    assert agreement(single, ["准确完整"]).iloc[0]["note"] == (
        "needs answers rated by at least two reviewers")
    assert agreement(same, ["准确完整"]).iloc[0]["note"] == "all ratings identical"
    assert agreement(same, ["准确完整"]).iloc[0]["alpha"] is None


def biased_ratings(seed: int = 3, n: int = 60) -> tuple[pd.DataFrame, np.ndarray]:
    """Answers of known quality rated by a lenient, a harsh and a fair reviewer, each
    answer by two of them (a split design, where the raw mean is unfair)."""
    rng = np.random.default_rng(seed)
    quality = rng.uniform(1.5, 4.0, n)  # on the 1-5 scale
    bias = {"lenient": 1.0, "harsh": -1.0, "fair": 0.0}
    reviewers = list(bias)
    rows = []
    for answer in range(n):
        for k in range(2):
            reviewer = reviewers[(answer * 2 + k) % 3]
            for dim in RUBRIC:
                value = np.clip(round(quality[answer] + bias[reviewer] + rng.normal(0, 0.3)),
                                1, 5)
                rows.append({"answer_id": answer + 1, "reviewer": reviewer, "dimension": dim,
                             "value": int(value)})
    return pd.DataFrame(rows), quality


def test_model_recovers_reviewer_leniency_and_beats_the_raw_mean() -> None:
    ratings, quality = biased_ratings()
    corrected, reviewers = correct(ratings, method="model", reviewer_prior=2.0)
    leniency = reviewers.groupby("reviewer")["leniency"].mean()
    assert leniency["lenient"] == pytest.approx(1.0, abs=0.3)
    assert leniency["harsh"] == pytest.approx(-1.0, abs=0.3)
    assert abs(leniency["fair"]) < 0.3
    result = analyse_ratings(ratings, RUBRIC, method="model", reviewer_prior=2.0)
    truth = quality[result.answers.index - 1]
    from scriptlab.evaluation.scoring import spearman

    assert spearman(result.answers["rating"], truth) > spearman(result.answers["raw"], truth)
    assert spearman(result.answers["rating"], truth) > 0.9


def test_model_weights_a_noisy_reviewer_down() -> None:
    rng = np.random.default_rng(5)
    quality = rng.uniform(1.5, 4.5, 80)
    rows = []
    for answer, q in enumerate(quality, start=1):
        for reviewer, noise in (("steady", 0.2), ("steady2", 0.2), ("noisy", 1.5)):
            value = int(np.clip(round(q + rng.normal(0, noise)), 1, 5))
            rows.append({"answer_id": answer, "reviewer": reviewer, "dimension": "准确完整",
                         "value": value})
    _, reviewers = correct(pd.DataFrame(rows), method="model")
    noise = reviewers.set_index("reviewer")["noise"]
    assert noise["noisy"] > 2 * noise["steady"]


def test_zscore_and_none_methods() -> None:
    ratings = pd.DataFrame({
        "answer_id": [1, 2, 1, 2], "reviewer": ["a", "a", "b", "b"],
        "dimension": ["准确完整"] * 4, "value": [5, 4, 2, 1],
    })
    raw, _ = correct(ratings, method="none")
    assert raw["score"].tolist() == [3.5, 2.5]
    z, reviewers = correct(ratings, method="zscore")
    assert z["score"].iloc[0] > z["score"].iloc[1]
    assert reviewers.set_index("reviewer")["leniency"].to_dict() == {"a": 1.5, "b": -1.5}
    with pytest.raises(ValueError, match="unknown bias correction 'magic'"):
        correct(ratings, method="magic")


def test_aggregate_weights_dimensions_and_counts_reviewers() -> None:
    ratings = pd.DataFrame({
        "answer_id": [1, 1, 1, 1], "reviewer": ["a", "a", "b", "b"],
        "dimension": ["准确完整", "热情友好", "准确完整", "热情友好"], "value": [5, 1, 5, 1],
    })
    result = analyse_ratings(ratings, {"准确完整": 3.0, "热情友好": 1.0}, method="none")
    row = result.answers.loc[1]
    assert row["rating"] == pytest.approx(0.75)  # (1.0 × 3 + 0.0 × 1) / 4
    assert row["raw"] == pytest.approx(0.75)
    assert row["reviewers"] == 2
    assert row["准确完整"] == 5.0


def test_dimensions_outside_the_rubric_are_ignored() -> None:
    ratings = pd.DataFrame({"answer_id": [1], "reviewer": ["a"], "dimension": ["其他"],
                            "value": [5]})
    result = analyse_ratings(ratings, RUBRIC)
    assert result.answers.empty
    assert result.agreement["note"].tolist() == ["no ratings"] * 3


def test_disagreements_list_the_widest_spreads_with_comments() -> None:
    ratings = pd.DataFrame({
        "answer_id": [1, 1, 2, 2, 3, 3],
        "reviewer": ["a", "b"] * 3,
        "dimension": ["热情友好"] * 6,
        "value": [1, 5, 3, 4, 2, 2],
        "comment": ["太冷淡", "很热情", None, "", None, None],
    })
    table = disagreements(ratings, top=5)
    assert table[["answer_id", "spread"]].to_dict("records") == [
        {"answer_id": 1, "spread": 4.0}, {"answer_id": 2, "spread": 1.0}]
    assert table.loc[0, "values"] == {"a": 1, "b": 5}
    assert table.loc[0, "comments"] == {"a": "太冷淡", "b": "很热情"}
    assert table.loc[1, "comments"] == {}

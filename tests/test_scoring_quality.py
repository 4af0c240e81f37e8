"""The quality bar, measured on simulated answers of known true quality.

Simulation (`scriptlab.sample.answers`): 51 intent questions × 8 agents (the sample
roster's skill profiles), answers built from the catalogue's model / mediocre / poor
replies plus controlled degradations; three simulated reviewers (lenient +0.9, harsh
-0.9, noisy SD 1.2). The numbers printed here are the README's "Quality" section.
"""

from __future__ import annotations

import pytest

from scriptlab.evaluation.scoring import simulate_and_score


@pytest.fixture(scope="module")
def complete():
    """Every answer rated by all three reviewers (the default review sheet)."""
    quality, _, _ = simulate_and_score(n_questions=51, n_agents=8, per_answer=3, seed=7)
    print("\ncomplete design:", quality.summary(), f"(exact {quality.winner_exact:.2f})")
    return quality


def test_bias_corrected_ratings_beat_the_raw_mean(complete) -> None:
    assert complete.corrected > complete.raw


def test_winner_is_truly_best_or_tied_for_90_percent_of_questions(complete) -> None:
    assert complete.questions == 51
    assert complete.winner_best >= 0.9


def test_automatic_score_alone_correlates_with_true_quality(complete) -> None:
    assert complete.automatic >= 0.6


def test_split_review_gains_most_from_bias_correction() -> None:
    """Each answer rated by 2 of the 3 reviewers (`review sheet --per-answer 2`)."""
    quality, _, _ = simulate_and_score(n_questions=51, n_agents=8, per_answer=2, seed=7)
    print("\nsplit design:", quality.summary())
    assert quality.corrected > quality.raw + 0.02
    assert quality.automatic >= 0.6


@pytest.mark.parametrize("reference", ["logs", None])
def test_automatic_score_without_an_approved_script(reference) -> None:
    """Reference = the replies seen in the logs, or none at all (consensus only)."""
    quality, _, _ = simulate_and_score(n_questions=20, n_agents=12, per_answer=3,
                                       reference=reference, seed=11)
    print(f"\nreference {reference}:", quality.summary())
    assert quality.automatic >= 0.6

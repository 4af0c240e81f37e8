"""Settings of the `[scoring]` section of scriptlab.toml."""

from __future__ import annotations

from dataclasses import dataclass

from scriptlab.errors import ScriptlabError
from scriptlab.lexicon import load
from scriptlab.setting import setting

# The five things customers expect from an agent (shared/seeds/004: 热情友好, 诚实守信,
# 专业耐心 …), as review dimensions with their weight in the rating score.
DEFAULT_RUBRIC = {
    "准确完整": 0.3, "热情友好": 0.2, "专业耐心": 0.2, "简洁清晰": 0.15, "诚实合规": 0.15,
}
DEFAULT_SIGNAL_WEIGHTS = {"reference": 0.25, "consensus": 0.2, "keypoints": 0.35, "style": 0.2}
DEFAULT_STYLE_WEIGHTS = {"politeness": 0.35, "length": 0.3, "closing": 0.2, "choices": 0.15}
SIGNALS = tuple(DEFAULT_SIGNAL_WEIGHTS)
STYLE_PARTS = tuple(DEFAULT_STYLE_WEIGHTS)
BIAS_CORRECTIONS = ("model", "zscore", "none")
# Default policy terms and style phrase lists: scriptlab/lexicon/style.toml.
_PHRASES = load("style")


@dataclass(frozen=True)
class ScoringSettings:
    """How answers are scored and winners chosen."""

    min_ratings: int = setting(
        2,
        "Reviewers (distinct people) an answer needs before it can win its question.",
    )
    rating_weight: float = setting(
        0.7,
        "Share of an answer's total that comes from reviewer ratings when it has any (0-1).",
    )
    signal_weights: dict = setting(
        factory=lambda: dict(DEFAULT_SIGNAL_WEIGHTS),
        help="Weights of the automatic signals; signals that don't apply to a question are "
        "dropped and the rest renormalised.",
    )
    rubric: dict = setting(
        factory=lambda: dict(DEFAULT_RUBRIC),
        help="Review dimensions (one 1-5 column each on review sheets) and their weights.",
    )
    bias_correction: str = setting(
        "model",
        "Reviewer-bias correction: \"model\" (additive reviewer effects, noisy reviewers weighted "
        "down), \"zscore\" (per-reviewer standardisation) or \"none\" (raw mean).",
    )
    reviewer_prior: float = setting(
        5.0,
        "Pseudo-ratings pulling a reviewer's leniency towards 0 (more = trust small samples "
        "less).",
    )
    similarity_saturation: float = setting(
        0.8,
        "Cosine similarity that counts as a perfect match (similarities are divided by this).",
    )
    consensus_share: float = setting(
        0.5,
        "A fact used by at least this share of the other agents' answers is a key point.",
    )
    policy_terms: tuple = setting(
        tuple(_PHRASES["policy_terms"]),
        "Policy terms that count as key points when the reference or the team uses them.",
    )
    politeness_markers: tuple = setting(
        tuple(_PHRASES["politeness_markers"]),
        "Politeness markers (您/请/亲/感谢 …): at least one earns the politeness points.",
    )
    neutral_words: tuple = setting(
        tuple(_PHRASES["neutral_words"]),
        "Words removed before matching style phrases (请 in 申请 is not politeness).",
    )
    cold_phrases: tuple = setting(
        tuple(_PHRASES["cold_phrases"]),
        "Cold or dismissive phrases: each one found multiplies the style score by 1 - "
        "cold_penalty.",
    )
    cold_penalty: float = setting(
        0.5,
        "Each cold phrase found multiplies the style score by 1 - cold_penalty.",
    )
    overpromise_phrases: tuple = setting(
        tuple(_PHRASES["overpromise_phrases"]),
        "Over-promising: each one found multiplies the style score by 1 - overpromise_penalty.",
    )
    overpromise_penalty: float = setting(
        0.35,
        "Each over-promise found multiplies the style score by 1 - overpromise_penalty.",
    )
    closing_phrases: tuple = setting(
        tuple(_PHRASES["closing_phrases"]),
        "Closing with an offer of further help.",
    )
    choice_phrases: tuple = setting(
        tuple(_PHRASES["choice_phrases"]),
        "Offering the customer a choice.",
    )
    min_chars: int = setting(
        15,
        "Answer length bounds in characters (letters/digits/CJK; punctuation not counted).",
    )
    max_chars: int = setting(
        150,
        "Answer length bounds in characters (letters/digits/CJK; punctuation not counted): the "
        "upper one.",
    )
    style_weights: dict = setting(
        factory=lambda: dict(DEFAULT_STYLE_WEIGHTS),
        help="Weights of the style rules that earn points (penalties are multiplicative, above).",
    )
    disagreements: int = setting(
        20,
        "Answers listed in the report's \"reviewers disagree\" section.",
    )
    trend_weeks: int = setting(8, "Past quizzes shown in each agent's trend.")


def check_scoring_settings(settings: ScoringSettings) -> None:
    """Reject values the loader cannot type-check (table contents, ranges)."""
    where = "scriptlab.toml [scoring]"
    _check_weights(settings.signal_weights, f"{where} signal_weights", allowed=SIGNALS)
    _check_weights(settings.style_weights, f"{where} style_weights", allowed=STYLE_PARTS)
    _check_weights(settings.rubric, f"{where} rubric", allowed=None)
    if not 0.0 <= settings.rating_weight <= 1.0:
        raise ScriptlabError(f"{where} rating_weight must be between 0 and 1, "
                             f"got {settings.rating_weight}.")
    if settings.bias_correction not in BIAS_CORRECTIONS:
        raise ScriptlabError(f"{where} bias_correction must be one of "
                             f"{', '.join(BIAS_CORRECTIONS)}; got {settings.bias_correction!r}.")
    if settings.min_ratings < 1:
        raise ScriptlabError(f"{where} min_ratings must be at least 1, got {settings.min_ratings}.")
    if not 0 < settings.similarity_saturation <= 1:
        raise ScriptlabError(f"{where} similarity_saturation must be in (0, 1], "
                             f"got {settings.similarity_saturation}.")
    if settings.min_chars >= settings.max_chars:
        raise ScriptlabError(f"{where} min_chars ({settings.min_chars}) must be below "
                             f"max_chars ({settings.max_chars}).")


def _check_weights(weights: dict, where: str, allowed: tuple[str, ...] | None) -> None:
    if not weights:
        raise ScriptlabError(f"{where} is empty; give at least one name = weight.")
    for name, weight in weights.items():
        if allowed is not None and name not in allowed:
            raise ScriptlabError(f"{where}: unknown name '{name}'; known: {', '.join(allowed)}.")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
            raise ScriptlabError(f"{where}: weight of '{name}' must be a number >= 0, "
                                 f"got {weight!r}.")
    if sum(weights.values()) <= 0:
        raise ScriptlabError(f"{where}: weights add up to 0; make at least one positive.")

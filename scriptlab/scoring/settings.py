"""Settings of the `[scoring]` section of scriptlab.toml."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScoringSettings:
    """How answers are scored and winners chosen."""

    # Ratings needed before an answer can win a question.
    min_ratings: int = 2

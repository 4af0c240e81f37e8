"""Settings of the `[quiz]` section of scriptlab.toml."""

from __future__ import annotations

from dataclasses import dataclass

REFRESH_CHOICES = ("skip", "include")


@dataclass(frozen=True)
class QuizSettings:
    """How the weekly quiz picks its questions and what the sheets look like."""

    # Questions per quiz (`scriptlab quiz new --size` overrides it).
    size: int = 15
    # Question groups asked fewer times than this in the mining run are never quizzed.
    min_count: int = 3
    # Skip a topic quizzed in the last N weeks (0 = never skip)...
    skip_recent_weeks: int = 4
    # ...unless its last best score (0-1) was below this: bring back what the team answers badly.
    retry_below: float = 0.6
    # A group that grew by at least this fraction from the first to the second half of the
    # mined period (0.5 = +50%), or is new, is always included.
    rising_min_growth: float = 0.5
    # At most this many questions are included because they are new or rising.
    max_rising: int = 3
    # Topics that already have an approved (active) library script: "skip" or "include".
    refresh_approved: str = "skip"
    # With refresh_approved = "include", at most this many such refresher questions.
    max_refreshers: int = 2
    # Real customer phrasings printed under each question as context.
    phrasings: int = 3
    # A logged agent reply shorter than this (characters) is never the reference answer.
    reference_min_chars: int = 8
    # Give every agent their own (seeded) question order.
    shuffle: bool = False
    # Ruled lines to write on under each question of the printable sheet.
    answer_lines: int = 4

"""Settings of the `[quiz]` section of scriptlab.toml."""

from __future__ import annotations

from dataclasses import dataclass

from scriptlab.setting import setting

REFRESH_CHOICES = ("skip", "include")


@dataclass(frozen=True)
class QuizSettings:
    """How the weekly quiz picks its questions and what the sheets look like."""

    size: int = setting(15, "Questions per quiz (`scriptlab quiz new --size` overrides it).")
    min_count: int = setting(
        3,
        "Question groups asked fewer times than this in the mining run are never quizzed.",
    )
    skip_recent_weeks: int = setting(
        4,
        "Skip a topic quizzed in the last N weeks (0 = never skip), unless its last best score "
        "was below retry_below.",
    )
    retry_below: float = setting(
        0.6,
        "A recently quizzed topic whose last best score (0-1) was below this is quizzed again: "
        "bring back what the team answers badly.",
    )
    rising_min_growth: float = setting(
        0.5,
        "A group that grew by at least this fraction from the first to the second half of the "
        "mined period (0.5 = +50%), or is new, is always included.",
    )
    max_rising: int = setting(
        3,
        "At most this many questions are included because they are new or rising.",
    )
    refresh_approved: str = setting(
        "skip",
        "Topics that already have an approved (active) library script: \"skip\" or \"include\".",
    )
    max_refreshers: int = setting(
        2,
        "With refresh_approved = \"include\", at most this many such refresher questions.",
    )
    phrasings: int = setting(3, "Real customer phrasings printed under each question as context.")
    reference_min_chars: int = setting(
        8,
        "A logged agent reply shorter than this (characters) is never the reference answer.",
    )
    shuffle: bool = setting(False, "Give every agent their own (seeded) question order.")
    answer_lines: int = setting(
        4,
        "Ruled lines to write on under each question of the printable sheet.",
    )

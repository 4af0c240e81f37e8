"""Settings of the `[quiz]` section of scriptlab.toml."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuizSettings:
    """How the weekly quiz picks its questions."""

    # Questions per quiz.
    size: int = 15

"""ISO weeks (`2026-W48`): the unit a team quizzes in."""

from __future__ import annotations

import re
from datetime import date

from scriptlab.errors import UsageError

_WEEK = re.compile(r"^(\d{4})-[Ww](\d{1,2})$")


def week_of(day: date) -> str:
    """The ISO week a day falls in, e.g. `2026-W48`."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def current_week() -> str:
    """The ISO week of today: the default week of a new quiz."""
    return week_of(date.today())


def weeks_in_year(year: int) -> int:
    """52 or 53: 28 December is always in the last ISO week of its year."""
    return date(year, 12, 28).isocalendar()[1]


def parse_week(text: str) -> str:
    """Check and normalise a week given by a user (`2026-w7` → `2026-W07`).

    Raises
    ------
    UsageError
        When the text is not `YYYY-Www` or the week does not exist in that year.
    """
    match = _WEEK.match(text.strip())
    if match is None or int(match[1]) == 0:
        raise UsageError(
            f"Week '{text}' is not an ISO week; write it as YYYY-Www, e.g. 2026-W48."
        )
    year, week = int(match[1]), int(match[2])
    last = weeks_in_year(year)
    if not 1 <= week <= last:
        raise UsageError(
            f"Week '{text}' does not exist: {year} has weeks W01 to W{last:02d}. "
            "Write it as YYYY-Www, e.g. 2026-W48."
        )
    return f"{year}-W{week:02d}"


def week_monday(week: str) -> date:
    """The Monday starting an (already valid) ISO week."""
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def weeks_between(earlier: str, later: str) -> int:
    """Whole weeks from `earlier` to `later` (negative when `earlier` is after `later`)."""
    return (week_monday(later) - week_monday(earlier)).days // 7

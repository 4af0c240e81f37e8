"""ISO week parsing: the format users type for `--week`."""

from __future__ import annotations

from datetime import date

import pytest

from scriptlab.errors import UsageError
from scriptlab.quiz.weeks import parse_week, week_monday, week_of, weeks_between, weeks_in_year


@pytest.mark.parametrize(
    ("given", "expected"),
    [("2026-W48", "2026-W48"), ("2026-w7", "2026-W07"), (" 2026-W01 ", "2026-W01"),
     ("2026-W53", "2026-W53")],
)
def test_parse_week_normalises(given: str, expected: str) -> None:
    assert parse_week(given) == expected


def test_parse_week_without_w_is_rejected() -> None:
    with pytest.raises(UsageError) as err:
        parse_week("2026-48")
    assert str(err.value) == (
        "Week '2026-48' is not an ISO week; write it as YYYY-Www, e.g. 2026-W48."
    )


def test_parse_week_out_of_range_is_rejected() -> None:
    with pytest.raises(UsageError) as err:
        parse_week("2026-W60")
    assert str(err.value) == (
        "Week '2026-W60' does not exist: 2026 has weeks W01 to W53. "
        "Write it as YYYY-Www, e.g. 2026-W48."
    )
    with pytest.raises(UsageError, match="2025 has weeks W01 to W52"):
        parse_week("2025-W53")
    with pytest.raises(UsageError, match="not an ISO week"):
        parse_week("0000-W01")


def test_week_arithmetic_crosses_years() -> None:
    assert weeks_in_year(2026) == 53 and weeks_in_year(2027) == 52
    assert week_of(date(2026, 11, 23)) == "2026-W48"
    assert week_of(date(2027, 1, 1)) == "2026-W53"  # ISO: still the old year's week
    assert week_monday("2026-W48") == date(2026, 11, 23)
    assert weeks_between("2026-W52", "2027-W02") == 3
    assert weeks_between("2026-W48", "2026-W46") == -2

"""The whole of `scriptlab mine`: mine the logs, store the run, write its documents.

Kept apart from the CLI so `scriptlab demo` and tests run exactly what the command runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scriptlab.mine.pipeline import MineOptions, MineResult
from scriptlab.mine.report import ReportFiles, write_assignments, write_reports
from scriptlab.mine.runs import StoredRun, store_run
from scriptlab.mine.sources import mine


@dataclass(frozen=True)
class MiningOutcome:
    """A stored, reported mining run."""

    result: MineResult
    stored: StoredRun
    files: ReportFiles
    assignments: Path | None = None

    @property
    def run_id(self) -> int:
        return self.stored.run_id


def mine_into_workspace(
    ws,  # noqa: ANN001 - scriptlab.store.workspace.Workspace
    paths: Sequence[Path] = (),
    options: MineOptions | None = None,
    *,
    assignments: Path | None = None,
    force: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> MiningOutcome:
    """Mine `paths` (or the workspace's imported messages), store the run, write reports.

    Parameters
    ----------
    ws
        The workspace (its ``[mine]`` settings, dictionary and synonyms apply).
    paths
        Chat-log files; empty means the messages imported with ``scriptlab logs import``.
    options
        Date range, --top, --min-count, column and role names.
    assignments
        Also write one CSV row per customer message read to this file.
    force
        Replace the assignments file even if scriptlab did not write it (checked first,
        before any mining).
    on_progress
        Called with the number of messages in each chunk read.
    """
    from scriptlab.files import check_replaceable
    from scriptlab.text.vocabulary import load_vocabulary

    options = options or MineOptions()
    if assignments is not None:
        check_replaceable(Path(assignments).parent, [Path(assignments).name], force=force)
    if assignments is not None and not options.keep_assignments:
        options = MineOptions(**{**options.__dict__, "keep_assignments": True})
    result = mine(ws, paths, options, on_progress=on_progress)
    synonyms = load_vocabulary(ws.root, ws.settings.mine).synonyms
    started = time.perf_counter()
    stored = store_run(ws, result, since=options.since, until=options.until, synonyms=synonyms)
    result.stats.timings["store"] = round(time.perf_counter() - started, 3)
    files = write_reports(ws, result, stored.run_id, stored.group_ids,
                          topic_ids=stored.topic_ids, since=options.since, until=options.until)
    result.stats.timings["report"] = round(
        time.perf_counter() - started - result.stats.timings["store"], 3)
    record_timings(ws, stored.run_id, result.stats.timings)
    written = None
    if assignments is not None and result.assignments is not None:
        ranks = {int(g): int(r) for g, r in zip(result.groups["group"], result.groups["rank"],
                                                strict=True)}
        written = write_assignments(assignments, result.assignments, stored.group_ids, ranks,
                                    force=force)
    return MiningOutcome(result=result, stored=stored, files=files, assignments=written)


def parse_day(value: str | None, option: str, *, end_of_day: bool = False) -> datetime | None:
    """Read --since/--until: ``YYYY-MM-DD`` (a whole day) or ``YYYY-MM-DD HH:MM[:SS]``."""
    from scriptlab.errors import UsageError

    if value is None or not value.strip():
        return None
    text = value.strip().replace("/", "-").replace("T", " ")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"{option}: '{value}' is not a date; use YYYY-MM-DD (e.g. 2026-11-02) or "
            "'YYYY-MM-DD HH:MM'."
        ) from None
    if end_of_day and len(text) <= 10:
        parsed = parsed.replace(hour=23, minute=59, second=59, microsecond=999999)
    return parsed


def record_timings(ws, run_id: int, timings: dict[str, float]) -> None:  # noqa: ANN001
    """Add the store/report seconds to the stored run's stats (for `bench/run.py`)."""
    import sqlalchemy as sa

    from scriptlab.store import schema

    runs = schema.mine_runs
    with ws.write() as conn:
        stats = conn.execute(sa.select(runs.c.stats).where(runs.c.id == run_id)).scalar()
        conn.execute(sa.update(runs).where(runs.c.id == run_id)
                     .values(stats={**(stats or {}), "timings": dict(timings)}))
